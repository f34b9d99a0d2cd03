//! A unit's summary written as JSON straight into a buffer: the bytes `serde_json::to_writer`
//! writes for the [`SummaryView`] (compact), without a serializer's call per key and per
//! fragment. Writing a million summaries was about a quarter of `duibiao eval --format json`'s
//! instructions through `serde_json`, most of them escaping keys that never need it. Strings
//! that need escaping go through `serde_json` itself, so there is one JSON grammar of strings.

use super::SummaryView;
use crate::outcome::Verdict;
use rust_decimal::Decimal;
use std::io::Write;

/// The bytes a JSON string cannot hold as they are: `"`, `\` and the control characters.
static ESCAPED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

/// Appends `s` as a JSON string: as is, between quotes, when no character needs escaping (no
/// `"`, `\` or control character), else as `serde_json` escapes it.
fn string(out: &mut Vec<u8>, s: &str) -> serde_json::Result<()> {
    if s.bytes().any(|b| ESCAPED[usize::from(b)]) {
        serde_json::to_writer(out, s)
    } else {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
        Ok(())
    }
}

/// Appends a string, or `null`.
fn string_or_null(out: &mut Vec<u8>, s: Option<&str>) -> serde_json::Result<()> {
    match s {
        Some(s) => string(out, s),
        None => {
            out.extend_from_slice(b"null");
            Ok(())
        }
    }
}

/// Appends a decimal as a JSON string (its digits never need escaping), or `null`: written as
/// its `Display` writes it, the digits of its mantissa with the point `scale` digits from the
/// right; through `Display` itself for zero (whose sign `Display` shows) and mantissas beyond 64
/// bits.
fn decimal_or_null(out: &mut Vec<u8>, d: Option<Decimal>) -> serde_json::Result<()> {
    let Some(d) = d else {
        out.extend_from_slice(b"null");
        return Ok(());
    };
    let mantissa = d.mantissa();
    let Some(magnitude) = u64::try_from(mantissa.unsigned_abs())
        .ok()
        .filter(|m| *m != 0)
    else {
        return write!(out, "\"{d}\"").map_err(serde_json::Error::io);
    };
    let mut digits = itoa::Buffer::new();
    let digits = digits.format(magnitude).as_bytes();
    let scale = d.scale() as usize;
    out.push(b'"');
    if mantissa < 0 {
        out.push(b'-');
    }
    match digits.len().checked_sub(scale) {
        Some(0) | None => {
            out.extend_from_slice(b"0.");
            out.extend(std::iter::repeat_n(b'0', scale - digits.len()));
            out.extend_from_slice(digits);
        }
        Some(whole) => {
            let (int, frac) = digits.split_at(whole);
            out.extend_from_slice(int);
            if !frac.is_empty() {
                out.push(b'.');
                out.extend_from_slice(frac);
            }
        }
    }
    out.push(b'"');
    Ok(())
}

/// A verdict as its JSON string.
fn verdict(v: Verdict) -> &'static [u8] {
    match v {
        Verdict::Pass => b"\"pass\"",
        Verdict::Fail => b"\"fail\"",
        Verdict::Unknown => b"\"unknown\"",
    }
}

impl SummaryView<'_> {
    /// Appends the summary's JSON to `out`: byte for byte what `serde_json::to_writer` writes
    /// for it.
    ///
    /// # Errors
    /// None in practice: writing into a vector does not fail.
    pub fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        out.extend_from_slice(b"{\"id\":");
        string(out, self.id())?;
        out.extend_from_slice(b",\"name\":");
        string_or_null(out, self.name())?;
        out.extend_from_slice(b",\"kind\":");
        string(out, self.kind())?;
        out.extend_from_slice(b",\"parent\":");
        string_or_null(out, self.parent())?;
        out.extend_from_slice(b",\"score\":");
        decimal_or_null(out, self.score())?;
        out.extend_from_slice(b",\"score_total\":");
        decimal_or_null(out, self.score_total())?;
        out.extend_from_slice(b",\"tier\":");
        string_or_null(out, self.tier())?;
        out.extend_from_slice(b",\"tiers\":{");
        for (i, (name, v)) in self.tiers().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            string(out, name)?;
            out.push(b':');
            out.extend_from_slice(verdict(v));
        }
        out.push(b'}');
        if let Some(r) = self.rated() {
            out.extend_from_slice(b",\"rated\":");
            out.extend_from_slice(verdict(r));
        }
        if self.formula() {
            out.extend_from_slice(b",\"formula\":true");
        }
        out.extend_from_slice(b",\"vetoes\":{");
        for (i, (name, fired)) in self.vetoes().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            string(out, name)?;
            out.extend_from_slice(match fired {
                Some(true) => b":true",
                Some(false) => b":false",
                None => b":null",
            });
        }
        out.extend_from_slice(b"},\"missing\":[");
        for (i, key) in self.missing().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            string(out, key)?;
        }
        out.extend_from_slice(b"]}");
        Ok(())
    }
}

#[cfg(test)]
mod tests;
