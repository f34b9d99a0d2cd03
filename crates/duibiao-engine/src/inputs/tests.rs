//! Inputs read back exactly as set (digits, scale and sign of every number, whether it fits in a
//! word or is kept whole), against a vector of values as the model, through any sequence of sets.

use super::{InputWords, Inputs};
use duibiao_compiler::Value;
use proptest::prelude::*;
use rust_decimal::Decimal;

/// Any number: few digits or up to 96 bits of them, any scale, either sign (zero included).
fn any_number() -> impl Strategy<Value = Decimal> {
    let digits = prop_oneof![
        1 => Just(0u128),
        3 => 0u128..100_000,
        1 => (0u128..(1 << 55)).prop_map(|d| d | (1 << 54)),
        1 => (1u128 << 55)..(1 << 56),
        1 => 0u128..(1 << 96),
    ];
    (digits, 0u32..=28, any::<bool>()).prop_map(|(d, scale, negative)| {
        let (lo, mid, hi) = (d as u32, (d >> 32) as u32, (d >> 64) as u32);
        let mut n = Decimal::from_parts(lo, mid, hi, negative, scale);
        // A zero keeps its sign too (`from_parts` drops it).
        n.set_sign_negative(negative);
        n
    })
}

/// Any value: unknown, a truth value, a level, any date, any number.
pub(crate) fn any_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Unknown),
        any::<bool>().prop_map(Value::Bool),
        any::<u32>().prop_map(Value::Enum),
        (-365_243_219i32..=365_241_780).prop_filter_map("a date", |d| {
            chrono::NaiveDate::from_num_days_from_ce_opt(d).map(Value::Date)
        }),
        any_number().prop_map(Value::Num),
    ]
}

/// The same values, bit for bit: numbers with the same digits, scale and sign.
pub(crate) fn assert_exact(got: &[Value], want: &[Value]) {
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(want) {
        match (g, w) {
            (Value::Num(g), Value::Num(w)) => assert_eq!(g.serialize(), w.serialize(), "{g} {w}"),
            _ => assert_eq!(g, w),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Inputs filled a slot at a time, a plain number packed as it stands wherever it fits, are
    /// word for word those made of the same values at once.
    #[test]
    fn inputs_filled_a_slot_at_a_time_are_those_made_at_once(
        given in prop::collection::vec(
            prop_oneof![
                any_value().prop_map(Err),
                (any::<u64>(), 0u32..=30).prop_map(Ok),
                ((0u64..1 << 56), 0u32..=29).prop_map(Ok),
            ],
            0..12,
        ),
    ) {
        let mut words = InputWords::default();
        words.start(given.len() + 1);
        let mut values = vec![Value::Unknown; given.len() + 1];
        for (slot, g) in given.iter().enumerate() {
            let value = match *g {
                Ok((mantissa, scale)) => {
                    let n = Decimal::try_from_i128_with_scale(i128::from(mantissa), scale).ok();
                    if !words.set_plain(slot, mantissa, scale) {
                        words.set(slot, n.map_or(Value::Unknown, Value::Num)).unwrap();
                    } else {
                        prop_assert!(n.is_some());
                    }
                    n.map_or(Value::Unknown, Value::Num)
                }
                Err(v) => {
                    words.set(slot, v).unwrap();
                    v
                }
            };
            values[slot] = value;
        }
        prop_assert!(!words.set_plain(given.len() + 1, 1, 0));
        prop_assert!(words.set(given.len() + 1, Value::Bool(true)).is_none());
        let (got, want) = (words.inputs(), Inputs::from_values(&values));
        prop_assert_eq!(&got.words, &want.words);
        prop_assert_eq!(got.slots, want.slots);
    }

    /// Values read back exactly, by slot and in order; past the last slot there is nothing.
    #[test]
    fn values_read_back_exactly(values in prop::collection::vec(any_value(), 0..12)) {
        let inputs = Inputs::from_values(&values);
        prop_assert_eq!(inputs.len(), values.len());
        prop_assert_eq!(inputs.is_empty(), values.is_empty());
        assert_exact(&inputs.to_vec(), &values);
        let by_slot: Vec<Value> = (0..values.len()).filter_map(|i| inputs.get(i)).collect();
        assert_exact(&by_slot, &values);
        for from in 0..=values.len() {
            let mut read = vec![Value::Bool(true); values.len() + 2 - from];
            inputs.read_into(from, &mut read);
            let mut want = values[from..].to_vec();
            want.extend([Value::Unknown; 2]);
            assert_exact(&read, &want);
        }
        prop_assert_eq!(inputs.get(values.len()), None);
        prop_assert_eq!(&Inputs::from(values.clone()), &inputs);
        let collected: Inputs = values.iter().copied().collect();
        assert_exact(&collected.to_vec(), &values);
    }

    /// Any sequence of sets gives what a vector of values gives, each set returning the value it
    /// replaced; a copy made with `clone_from` is the same inputs.
    #[test]
    fn sets_are_those_of_a_vector(
        values in prop::collection::vec(any_value(), 1..8),
        sets in prop::collection::vec((0usize..9, any_value()), 0..24),
    ) {
        let mut inputs = Inputs::from_values(&values);
        let mut model = values.clone();
        let mut copy = Inputs::unknown(values.len());
        for (slot, value) in sets {
            let fits = |v: Option<Value>| !matches!(v, Some(Value::Num(n)) if n.mantissa().unsigned_abs() >= 1 << 55);
            let (place, in_place) = (inputs.words.as_ptr(), fits(inputs.get(slot)) && fits(Some(value)));
            let old = inputs.set(slot, value);
            // A value set where neither it nor the one it replaces is kept whole changes one word.
            prop_assert!(!in_place || old.is_none() || inputs.words.as_ptr() == place);
            match model.get_mut(slot) {
                Some(at) => {
                    assert_exact(&[old.expect("a slot")], &[*at]);
                    *at = value;
                }
                None => prop_assert_eq!(old, None),
            }
            assert_exact(&inputs.to_vec(), &model);
            copy.clone_from(&inputs);
            assert_exact(&copy.to_vec(), &model);
        }
        // Numbers kept whole are as many as the slots that hold one: setting never leaves any behind.
        let wide = model.iter().filter(|v| matches!(v, Value::Num(n) if n.mantissa().unsigned_abs() >= 1 << 55)).count();
        prop_assert_eq!(inputs.words.len(), model.len() + 2 * wide);
    }
}

/// Unknown inputs, and the edges of a number within a word.
#[test]
fn edges() {
    let inputs = Inputs::unknown(3);
    assert_eq!(inputs.to_vec(), [Value::Unknown; 3]);
    assert_eq!(Inputs::default().len(), 0);
    let fits = Decimal::from_parts(u32::MAX, (1 << 23) - 1, 0, true, 28);
    let wide = Decimal::from_parts(0, 1 << 23, 0, false, 0);
    let inputs = Inputs::from_values(&[Value::Num(fits), Value::Num(wide)]);
    assert_eq!(inputs.words.len(), 2 + 2);
    assert_exact(&inputs.to_vec(), &[Value::Num(fits), Value::Num(wide)]);
    assert_eq!(
        format!("{inputs:?}"),
        format!("{:?}", [Value::Num(fits), Value::Num(wide)])
    );
    // A zero keeps its sign and its scale.
    let mut minus_zero = Decimal::new(0, 2);
    minus_zero.set_sign_negative(true);
    let zeros = [Value::Num(Decimal::new(0, 2)), Value::Num(minus_zero)];
    assert_exact(&Inputs::from_values(&zeros).to_vec(), &zeros);
    // Equal as values are: the same number at another scale.
    let a = Inputs::from_values(&[Value::Num(Decimal::new(95, 1))]);
    let b = Inputs::from_values(&[Value::Num(Decimal::new(950, 2))]);
    assert_eq!(a, b);
    assert_ne!(a, Inputs::from_values(&[Value::Num(Decimal::new(96, 1))]));
    assert_ne!(a, Inputs::unknown(2));
}
