//! A unit's inputs, by slot, in 8 bytes a value where a [`Value`] takes 20: the inputs of a
//! large forest are most of its memory, and nearly all of them are flags, levels, dates and
//! short decimals (a score of 9.5, a rate of 0.85). A number whose digits do not fit in 55 bits
//! is kept whole after the slots. Every value reads back exactly as it was set: the same digits,
//! scale and sign (`9.50` stays `9.50`, `-0` stays `-0`).

use duibiao_compiler::Value;
use rust_decimal::Decimal;

/// The kind of value a word holds, in its lowest three bits.
const TAG: u64 = 0b111;
const UNKNOWN: u64 = 0;
const BOOL: u64 = 1;
const ENUM: u64 = 2;
const DATE: u64 = 3;
/// A number within the word: bit 3 its sign, bits 4–8 its scale, bits 9–63 its digits.
const NUM: u64 = 4;
/// A number kept after the slots: bits 32–63 its place among them.
const WIDE: u64 = 5;
/// The digits a number within a word may have.
const DIGITS: u32 = 55;

/// A unit's inputs, by slot of its kind's graph; [`Value::Unknown`] where missing.
///
/// One allocation: a word per slot (each a value, or the place of a number kept whole), then two
/// words per number kept whole. Setting a slot to a value of another size rebuilds it.
#[derive(Default)]
pub struct Inputs {
    /// The slots, then the numbers kept whole.
    words: Box<[u64]>,
    /// How many slots.
    slots: u32,
}

impl Inputs {
    /// A word of the inputs (0 when there are none): reading it brings them near the processor
    /// ahead of their use (see `Evaluation::warm`).
    pub(crate) fn touch(&self) -> u64 {
        self.words.first().copied().unwrap_or(0)
    }

    /// `n` slots, every one unknown.
    pub fn unknown(n: usize) -> Self {
        Inputs {
            words: vec![UNKNOWN; n].into_boxed_slice(),
            slots: u32::try_from(n).unwrap_or(u32::MAX),
        }
    }

    /// The inputs `values`, in order.
    pub fn from_values(values: &[Value]) -> Self {
        let mut words = Vec::with_capacity(values.len());
        let mut wide = Vec::new();
        for &v in values {
            words.push(pack(v).unwrap_or_else(|| wide_word(v, &mut wide)));
        }
        let slots = u32::try_from(words.len()).unwrap_or(u32::MAX);
        words.extend(wide);
        Inputs {
            words: words.into_boxed_slice(),
            slots,
        }
    }

    /// How many slots.
    pub fn len(&self) -> usize {
        self.slots as usize
    }

    /// Whether there are no slots.
    pub fn is_empty(&self) -> bool {
        self.slots == 0
    }

    /// The value in `slot` (`None` past the last slot).
    #[inline]
    pub fn get(&self, slot: usize) -> Option<Value> {
        self.slots().get(slot)
    }

    /// The slots, to read one at a time without finding where they end at each read.
    #[inline]
    pub fn slots(&self) -> Slots<'_> {
        let (words, wide) = self.split();
        Slots { words, wide }
    }

    /// Every slot's value, in order.
    pub fn iter(&self) -> impl Iterator<Item = Value> + Clone + '_ {
        let (slots, wide) = self.split();
        slots.iter().map(move |&w| unpack(w, wide))
    }

    /// The slots' words and the numbers kept whole.
    fn split(&self) -> (&[u64], &[u64]) {
        self.words.split_at(self.len().min(self.words.len()))
    }

    /// The values of the slots from `from` on, into `to` (unknown past the last slot): what the
    /// evaluation reads of every unit, in one pass over the words.
    #[inline]
    pub fn read_into(&self, from: usize, to: &mut [Value]) {
        let (slots, wide) = self.split();
        let words = slots.get(from..).unwrap_or(&[]);
        let read = words.len().min(to.len());
        for (value, &word) in to.iter_mut().zip(words) {
            // Numbers first, then unknowns: most reported inputs are scores.
            *value = if word & TAG == NUM {
                Value::Num(number(word))
            } else if word == UNKNOWN {
                Value::Unknown
            } else {
                unpack(word, wide)
            };
        }
        for value in to.iter_mut().skip(read) {
            *value = Value::Unknown;
        }
    }

    /// Every slot's value, in order.
    pub fn to_vec(&self) -> Vec<Value> {
        self.iter().collect()
    }

    /// Sets `slot` to `value`; the value it held (`None`, and nothing set, past the last slot).
    pub fn set(&mut self, slot: usize, value: Value) -> Option<Value> {
        let old = self.get(slot)?;
        match (pack(value), self.words.get_mut(slot)) {
            // Neither value kept whole: the slot alone changes.
            (Some(word), Some(at)) if *at & TAG != WIDE => *at = word,
            _ => {
                let values: Vec<Value> = (0..)
                    .zip(self.iter())
                    .map(|(i, v)| if i == slot { value } else { v })
                    .collect();
                *self = Inputs::from_values(&values);
            }
        }
        Some(old)
    }
}

/// A unit's inputs by slot, read one at a time ([`Inputs::slots`]).
#[derive(Clone, Copy)]
pub struct Slots<'a> {
    /// A word per slot.
    words: &'a [u64],
    /// The numbers kept whole.
    wide: &'a [u64],
}

impl Slots<'_> {
    /// The value in `slot` (`None` past the last slot).
    #[inline]
    pub fn get(&self, slot: usize) -> Option<Value> {
        self.words.get(slot).map(|&w| unpack(w, self.wide))
    }
}

impl Clone for Inputs {
    fn clone(&self) -> Self {
        Inputs {
            words: self.words.clone(),
            slots: self.slots,
        }
    }

    /// Reuses this one's words when the sizes agree (a unit's inputs copied again and again).
    fn clone_from(&mut self, source: &Self) {
        if self.words.len() == source.words.len() {
            self.words.copy_from_slice(&source.words);
            self.slots = source.slots;
        } else {
            *self = source.clone();
        }
    }
}

/// Equal when every slot's value is (a number equal whatever its scale, as values are).
impl PartialEq for Inputs {
    fn eq(&self, other: &Self) -> bool {
        self.slots == other.slots && self.iter().eq(other.iter())
    }
}

impl std::fmt::Debug for Inputs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl FromIterator<Value> for Inputs {
    fn from_iter<I: IntoIterator<Item = Value>>(values: I) -> Self {
        Inputs::from_values(&values.into_iter().collect::<Vec<_>>())
    }
}

impl From<Vec<Value>> for Inputs {
    fn from(values: Vec<Value>) -> Self {
        Inputs::from_values(&values)
    }
}

/// A unit's inputs as a reader fills them, a slot at a time, each slot given once; reused from
/// one unit to the next. [`InputWords::inputs`] gives exactly what [`Inputs::from_values`] gives
/// of the same values.
#[derive(Debug, Default)]
pub(crate) struct InputWords {
    words: Vec<u64>,
    /// The numbers kept whole, two words each.
    wide: Vec<u64>,
}

impl InputWords {
    /// Starts a unit of `n` slots, every one unknown.
    pub(crate) fn start(&mut self, n: usize) {
        self.words.clear();
        self.words.resize(n, UNKNOWN);
        self.wide.clear();
    }

    /// Sets `slot`, not set since [`InputWords::start`], to `value`; `None` past the last slot.
    pub(crate) fn set(&mut self, slot: usize, value: Value) -> Option<()> {
        let at = self.words.get_mut(slot)?;
        *at = pack(value).unwrap_or_else(|| wide_word(value, &mut self.wide));
        Some(())
    }

    /// Sets `slot`, not set since [`InputWords::start`], to the number `mantissa` × 10^-`scale`
    /// (as [`Decimal::try_from_i128_with_scale`] makes it), without making the decimal:
    /// `false`, with nothing set, when it does not fit in a word or its scale is beyond a
    /// decimal's.
    #[inline]
    pub(crate) fn set_plain(&mut self, slot: usize, mantissa: u64, scale: u32) -> bool {
        let fits = mantissa >> DIGITS == 0 && scale <= Decimal::MAX_SCALE;
        match self.words.get_mut(slot) {
            Some(at) if fits => {
                *at = NUM | u64::from(scale) << 4 | mantissa << 9;
                true
            }
            _ => false,
        }
    }

    /// The inputs set.
    pub(crate) fn inputs(&self) -> Inputs {
        let mut words = Vec::with_capacity(self.words.len() + self.wide.len());
        words.extend_from_slice(&self.words);
        words.extend_from_slice(&self.wide);
        Inputs {
            words: words.into_boxed_slice(),
            slots: u32::try_from(self.words.len()).unwrap_or(u32::MAX),
        }
    }
}

/// `value` in one word; `None` for a number whose digits do not fit.
fn pack(value: Value) -> Option<u64> {
    Some(match value {
        Value::Unknown => UNKNOWN,
        Value::Bool(b) => BOOL | u64::from(b) << 3,
        Value::Enum(e) => ENUM | u64::from(e) << 32,
        Value::Date(d) => DATE | u64::from(chrono::Datelike::num_days_from_ce(&d) as u32) << 32,
        Value::Num(n) => {
            let digits = u64::try_from(n.mantissa().unsigned_abs()).ok()?;
            if digits >> DIGITS != 0 {
                return None;
            }
            NUM | u64::from(n.is_sign_negative()) << 3 | u64::from(n.scale()) << 4 | digits << 9
        }
    })
}

/// The word of a number kept whole, which is appended to `wide` (its place counted among the
/// numbers kept whole, not among the words).
fn wide_word(value: Value, wide: &mut Vec<u64>) -> u64 {
    let Value::Num(n) = value else {
        // Only numbers are kept whole.
        return UNKNOWN;
    };
    let place = (wide.len() / 2) as u64;
    let bytes = n.serialize();
    let (low, high) = bytes.split_at(8);
    wide.extend([low, high].map(|half| u64::from_le_bytes(half.try_into().unwrap_or_default())));
    WIDE | place << 32
}

/// The number in `word`, a word tagged [`NUM`]. A zero keeps its sign, as it was packed.
#[inline(always)]
fn number(word: u64) -> Decimal {
    let digits = word >> 9;
    let negative = word >> 3 & 1 == 1;
    // A scale is at most 28 (`Decimal::MAX_SCALE`), as every word packed has.
    let scale = ((word >> 4 & 0b1_1111) as u32).min(Decimal::MAX_SCALE);
    let mut n = Decimal::from_parts(digits as u32, (digits >> 32) as u32, 0, negative, scale);
    if negative && digits == 0 {
        // `from_parts` drops the sign of a zero: kept as it was.
        n.set_sign_negative(true);
    }
    n
}

/// The value of `word`, a slot whose numbers kept whole are `wide`.
#[inline(always)]
fn unpack(word: u64, wide: &[u64]) -> Value {
    let high = (word >> 32) as u32;
    match word & TAG {
        BOOL => Value::Bool(word >> 3 & 1 == 1),
        ENUM => Value::Enum(high),
        DATE => chrono::NaiveDate::from_num_days_from_ce_opt(high as i32)
            .map_or(Value::Unknown, Value::Date),
        NUM => Value::Num(number(word)),
        WIDE => {
            let at = 2 * high as usize;
            match (wide.get(at), wide.get(at + 1)) {
                (Some(low), Some(high)) => {
                    let mut bytes = [0u8; 16];
                    bytes[..8].copy_from_slice(&low.to_le_bytes());
                    bytes[8..].copy_from_slice(&high.to_le_bytes());
                    Value::Num(Decimal::deserialize(bytes))
                }
                _ => Value::Unknown,
            }
        }
        _ => Value::Unknown,
    }
}

#[cfg(test)]
pub(crate) mod tests;
