//! A reader of one plain unit, byte by byte, for the parts of a large file: the object of a
//! unit whose fields are those of the format, each once, whose strings have no escapes and whose
//! `facts` and `scores` hold only strings, numbers, `true`, `false` and `null` — what a facts
//! file holds for nearly every unit. It fills the loader's `RawUnit` exactly as the fast pass
//! through `serde_json` does (a differential test holds them equal), without a visitor's calls
//! per token. Whatever else it meets (an escape, a control character, a nested value, a key that
//! is not a field, a field twice, text after the object) it gives up on, leaving `raw` empty,
//! and the unit is read through `serde_json`, which reports it as before.

use super::loader::{Part, RawUnit, UNIT_FIELDS};
use super::stream::NUMBER_TOKEN;
use super::value::Json;
use std::borrow::Cow;

/// Whether a value of a unit may end before `next`: whitespace, or the `,` or `}` that follow a
/// value in an object (a value at the text's end or before a `]` is in no unit this reader takes).
fn ends_value(next: Option<&u8>) -> bool {
    matches!(next, Some(b' ' | b'\t' | b'\n' | b'\r' | b',' | b'}'))
}

/// Where the number as JSON writes it that starts at `start` of `bytes` ends: `-`, then `0` or
/// digits not starting with `0`, then a fraction and an exponent, each optional. `None` when no
/// such number starts there; what follows the number is not looked at.
#[inline]
pub(super) fn number_end(bytes: &[u8], start: usize) -> Option<usize> {
    let digits = |at: &mut usize| {
        let from = *at;
        while bytes.get(*at).is_some_and(u8::is_ascii_digit) {
            *at += 1;
        }
        *at > from
    };
    let mut at = start + usize::from(bytes.get(start) == Some(&b'-'));
    if bytes.get(at) == Some(&b'0') {
        at += 1;
    } else if !digits(&mut at) {
        return None;
    }
    if bytes.get(at) == Some(&b'.') {
        at += 1;
        if !digits(&mut at) {
            return None;
        }
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(bytes.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        if !digits(&mut at) {
            return None;
        }
    }
    Some(at)
}

/// The cursor over one unit's text.
struct Scan<'de> {
    text: &'de str,
    at: usize,
}

impl<'de> Scan<'de> {
    /// The next byte after whitespace, not consumed.
    #[inline]
    fn peek(&mut self) -> Option<u8> {
        let bytes = self.text.as_bytes();
        while let Some(&b) = bytes.get(self.at) {
            if !matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                return Some(b);
            }
            self.at += 1;
        }
        None
    }

    /// Consumes `b`, the next byte after whitespace.
    fn eat(&mut self, b: u8) -> Option<()> {
        (self.peek()? == b).then(|| self.at += 1)
    }

    /// A string without escapes or control characters, its quotes consumed.
    fn string(&mut self) -> Option<&'de str> {
        self.eat(b'"')?;
        let start = self.at;
        let rest = self.text.as_bytes().get(start..)?;
        let len = rest
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
        if rest.get(len) != Some(&b'"') {
            return None;
        }
        self.at = start + len + 1;
        self.text.get(start..start + len)
    }

    /// A number as JSON writes it ([`number_end`]), borrowed as written.
    fn number(&mut self) -> Option<&'de str> {
        let start = self.at;
        let bytes = self.text.as_bytes();
        let at = number_end(bytes, start)?;
        // A number ends where a value may end: `01` or `1x` is not a number.
        if !ends_value(bytes.get(at)) {
            return None;
        }
        self.at = at;
        self.text.get(start..at)
    }

    /// `word` (`true`, `false`, `null`), whole.
    fn word(&mut self, word: &str) -> Option<()> {
        let end = self.at + word.len();
        (self.text.get(self.at..end)? == word).then(|| self.at = end)?;
        // `truex` is not `true`: the word must end where a value may end.
        ends_value(self.text.as_bytes().get(self.at)).then_some(())
    }

    /// A string, number, `true`, `false` or `null`.
    fn scalar(&mut self) -> Option<Json<'de>> {
        Some(match self.peek()? {
            b'"' => Json::Str(Cow::Borrowed(self.string()?)),
            b'-' | b'0'..=b'9' => Json::Num(Cow::Borrowed(self.number()?)),
            b't' => self.word("true").map(|()| Json::Bool(true))?,
            b'f' => self.word("false").map(|()| Json::Bool(false))?,
            b'n' => self.word("null").map(|()| Json::Null)?,
            _ => return None,
        })
    }

    /// `facts` or `scores`: `null`, or an object of scalars, its entries to `out`.
    fn entries(&mut self, out: &mut Vec<(Cow<'de, str>, Json<'de>)>) -> Option<Part> {
        if self.peek()? == b'n' {
            self.word("null")?;
            return Some(Part::Null);
        }
        self.eat(b'{')?;
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(Part::Map);
        }
        loop {
            let key = self.string()?;
            if key == NUMBER_TOKEN {
                return None;
            }
            self.eat(b':')?;
            let value = self.scalar()?;
            out.push((Cow::Borrowed(key), value));
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    return Some(Part::Map);
                }
                _ => return None,
            }
        }
    }

    /// The unit's object, into `raw`.
    fn unit(&mut self, raw: &mut RawUnit<'de>) -> Option<()> {
        self.eat(b'{')?;
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(());
        }
        loop {
            let key = self.string()?;
            let at = UNIT_FIELDS.iter().position(|f| *f == key)?;
            let bit = 1u8 << at;
            if raw.fields & bit != 0 {
                return None;
            }
            raw.fields |= bit;
            self.eat(b':')?;
            match key {
                "facts" => raw.facts = self.entries(&mut raw.facts_entries)?,
                "scores" => raw.scores = self.entries(&mut raw.scores_entries)?,
                _ => {
                    let value = Some(self.scalar()?);
                    match key {
                        "id" => raw.id = value,
                        "kind" => raw.kind = value,
                        "name" => raw.name = value,
                        _ => raw.parent = value,
                    }
                }
            }
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }
}

/// Reads the unit that `text` holds (nothing else, but whitespace) into `raw`, which must be
/// empty; `false`, with `raw` emptied again, when the unit is not one this reader takes.
pub(super) fn scan_unit<'de>(text: &'de str, raw: &mut RawUnit<'de>) -> bool {
    let mut scan = Scan { text, at: 0 };
    let read = scan.unit(raw).is_some() && scan.peek().is_none();
    if !read {
        raw.clear();
    }
    read
}

#[cfg(test)]
mod tests;
