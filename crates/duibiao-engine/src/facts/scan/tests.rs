//! The plain units the byte reader takes, read as the fast pass through `serde_json` reads them;
//! and every other shape given up on with nothing kept. (The parallel load's properties, which
//! compare whole files read in parts — by this reader first — with the serial load through
//! `serde_json` alone, are its differential test.)

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::super::loader::{Part, RawUnit, FACTS_FIELD, KIND_FIELD, SCORES_FIELD, UNIT_FIELDS};
use super::scan_unit;
use proptest::strategy::Just;

/// What the reader kept of `text`, as the loader's `Debug` shows it; `None` if it gave up.
fn scanned(text: &str) -> Option<String> {
    let mut raw = RawUnit::default();
    if scan_unit(text, &mut raw) {
        Some(format!("{raw:?}"))
    } else {
        assert_eq!(
            format!("{raw:?}"),
            format!("{:?}", RawUnit::default()),
            "{text}: something kept"
        );
        None
    }
}

#[test]
fn the_named_places_are_those_of_their_fields() {
    assert_eq!(UNIT_FIELDS[KIND_FIELD], "kind");
    assert_eq!(UNIT_FIELDS[SCORES_FIELD], "scores");
    assert_eq!(UNIT_FIELDS[FACTS_FIELD], "facts");
}

#[test]
fn a_plain_unit_is_read_field_by_field() {
    let text = " {\"id\": \"XQ1\",\"name\":\"示例 小区\" , \"kind\": \"小区\", \"parent\": null,\n\
                \t\"scores\": {\"1.1\": 8.5, \"2\": -0, \"3\": 1e2},\r\n \"facts\": {\"否决\": false, \"户数\": 120, \
                \"备注\": \"有\", \"无\": null, \"是\": true, \"户数\": 3}} \n";
    let mut raw = RawUnit::default();
    assert!(scan_unit(text, &mut raw));
    let shown = |j: &Option<super::Json>| format!("{j:?}");
    assert_eq!(shown(&raw.id), "Some(Str(\"XQ1\"))");
    assert_eq!(shown(&raw.name), "Some(Str(\"示例 小区\"))");
    assert_eq!(shown(&raw.kind), "Some(Str(\"小区\"))");
    assert_eq!(shown(&raw.parent), "Some(Null)");
    assert_eq!((raw.scores, raw.facts), (Part::Map, Part::Map));
    assert_eq!(
        format!("{:?}", raw.scores_entries),
        r#"[("1.1", Num("8.5")), ("2", Num("-0")), ("3", Num("1e2"))]"#
    );
    // A key given twice in `facts` is kept twice, in order, as serde_json hands it over.
    assert_eq!(
        format!("{:?}", raw.facts_entries),
        r#"[("否决", Bool(false)), ("户数", Num("120")), ("备注", Str("有")), ("无", Null), ("是", Bool(true)), ("户数", Num("3"))]"#
    );
    assert_eq!(raw.repeated, 0);
}

#[test]
fn any_whitespace_may_follow_a_value() {
    for ws in [" ", "\t", "\n", "\r"] {
        let text = format!(
            r#"{{"id": 12{ws}, "kind": "村"{ws}, "facts": {{"a": true{ws}, "b": 1.5{ws}, "c": null{ws}}}{ws}}}"#
        );
        let raw = scanned(&text).unwrap_or_else(|| panic!("{text:?} not read"));
        assert!(
            raw.contains(r#"("a", Bool(true)), ("b", Num("1.5")), ("c", Null)"#),
            "{raw}"
        );
    }
}

#[test]
fn empty_and_null_parts_and_a_number_id_are_read() {
    assert!(scanned("{}").is_some());
    let raw = scanned(r#"{"id": 12, "kind": "村", "facts": {}, "scores": null}"#).unwrap();
    assert!(raw.contains("id: Some(Num(\"12\"))"), "{raw}");
    assert!(
        raw.contains("facts: Map") && raw.contains("scores: Null"),
        "{raw}"
    );
}

#[test]
fn every_other_shape_is_left_to_serde_json() {
    let given_up = [
        // Escapes and control characters in a string, a key or a value.
        r#"{"id": "a\"b"}"#,
        r#"{"i\u0064": "a"}"#,
        "{\"id\": \"a\tb\"}",
        r#"{"facts": {"户数": "\u4e2d"}}"#,
        // Values that are not scalars where a scalar is read, or not objects for facts.
        r#"{"id": ["a"]}"#,
        r#"{"name": {"x": 1}}"#,
        r#"{"facts": {"户数": [1]}}"#,
        r#"{"facts": {"户数": {"x": 1}}}"#,
        r#"{"facts": [1]}"#,
        r#"{"scores": 3}"#,
        r#"{"facts": true}"#,
        // Keys that are not a unit's fields (records, misspellings), and a field twice.
        r#"{"id": "a", "积分记录": []}"#,
        r#"{"id": "a", "score": {}}"#,
        r#"{"ids": "a"}"#,
        r#"{"i": "a"}"#,
        r#"{"kinds": "a"}"#,
        r#"{"facts ": {}}"#,
        r#"{"parentid": "a"}"#,
        r#"{"id": "a", "id": "b"}"#,
        r#"{"facts": {"$serde_json::private::Number": "1"}}"#,
        // Numbers and words JSON does not write, or that run on.
        r#"{"id": 01}"#,
        r#"{"id": 1.}"#,
        r#"{"id": -}"#,
        r#"{"id": +1}"#,
        r#"{"id": 1e}"#,
        r#"{"id": 1x}"#,
        r#"{"facts": {"a": truex}}"#,
        r#"{"facts": {"a": nul}}"#,
        r#"{"facts": {"a": NaN}}"#,
        // Broken or cut objects, and text after the unit.
        r#"{"id": "a",}"#,
        r#"{"id" "a"}"#,
        r#"{"id": "a" "kind": "b"}"#,
        r#"{"facts": {"a": 1,}}"#,
        r#"{"facts": {"a" 1}}"#,
        r#"{"id": "a}"#,
        r#"{"id": "a""#,
        r#"{"id": "a"} x"#,
        r#"{"id": "a"}}"#,
        r#"{id: "a"}"#,
        "",
        "  ",
        "[]",
        "3",
        "null",
    ];
    for text in given_up {
        assert_eq!(scanned(text), None, "{text} was read");
    }
}

proptest::proptest! {
    /// The one grammar of a JSON number (the byte reader's and the stream's check of what
    /// `serde_json` hands over) takes a text whole exactly when `serde_json` reads it as a number.
    #[test]
    fn a_number_is_what_serde_json_reads_as_one(text in "[-+.eE0-9]{1,8}") {
        let whole = super::number_end(text.as_bytes(), 0) == Some(text.len());
        let serde = serde_json::from_str::<serde_json::Number>(&text).is_ok();
        proptest::prop_assert_eq!(whole, serde, "{}", text);
    }

    /// A number written plainly is read, in one pass, exactly when `serde_json` reads its text as
    /// a number without sign or exponent of at most 19 digits, followed by what may follow a
    /// value; its mantissa and scale are the decimal's, trailing zeros left out; nothing is
    /// consumed otherwise.
    #[test]
    fn a_plain_number_is_read_as_the_decimal_it_writes(
        text in proptest::prop_oneof![
            "[-.eE0-9]{1,22}",
            "-?0?[0-9]{0,20}(\\.[0-9]{0,4})?([eE][-+]?[0-9]{0,2})?",
        ],
        after in proptest::sample::select(vec![",", "}", " ", "\n", "x", "\"", "]", ""]),
    ) {
        let whole = format!("{text}{after}");
        let mut scan = super::Scan { text: &whole, at: 0 };
        let read = scan.plain_number();
        let digits = text.bytes().filter(u8::is_ascii_digit).count();
        let plain = serde_json::from_str::<serde_json::Number>(&text).is_ok()
            && !text.contains(['-', 'e', 'E'])
            && digits <= 19
            && [",", "}", " ", "\n"].contains(&after);
        proptest::prop_assert_eq!(read.is_some(), plain, "{:?}", whole);
        match read {
            Some((written, mantissa, scale)) => {
                proptest::prop_assert_eq!(written, text.as_str());
                proptest::prop_assert_eq!(scan.at, text.len());
                let d = rust_decimal::Decimal::from_str_exact(&text).unwrap().normalize();
                let ours = rust_decimal::Decimal::from_i128_with_scale(mantissa.into(), scale);
                proptest::prop_assert_eq!((ours, ours.scale()), (d, d.scale()));
            }
            None => proptest::prop_assert_eq!(scan.at, 0),
        }
    }

    /// The length of a string's plain run, a word at a time, is where the first `"`, `\\` or
    /// control character is, byte by byte.
    #[test]
    fn a_strings_plain_run_ends_at_its_first_stop(
        bytes in proptest::collection::vec(
            proptest::prop_oneof![
                Just(b'"'), Just(b'\\'), 0u8..0x20, 0x20u8..0x80, 0x80u8..=0xff,
                Just(0x21u8), Just(0x5bu8), Just(0x1fu8), Just(0x7fu8),
            ],
            0..40,
        ),
    ) {
        let expected = bytes
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
            .unwrap_or(bytes.len());
        proptest::prop_assert_eq!(super::plain_len(&bytes), expected);
    }
}
