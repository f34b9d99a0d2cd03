//! A reader of one plain unit, byte by byte, for the parts of a large file: the object of a
//! unit whose fields are those of the format, each once, whose strings have no escapes and whose
//! `facts` and `scores` hold only strings, numbers, `true`, `false` and `null` — what a facts
//! file holds for nearly every unit. It fills the loader's `RawUnit` exactly as the fast pass
//! through `serde_json` does (a differential test holds them equal), without a visitor's calls
//! per token. Whatever else it meets (an escape, a control character, a nested value, a key that
//! is not a field, a field twice, text after the object) it gives up on, leaving `raw` empty,
//! and the unit is read through `serde_json`, which reports it as before.

use super::loader::{Part, RawUnit, FACTS_FIELD, SCORES_FIELD, UNIT_FIELDS};
use super::stream::NUMBER_TOKEN;
use super::value::{without_trailing_zeros, Json};
use std::borrow::Cow;

/// What a reader of one unit does with what it reads: the scalars of `id`, `name`, `kind` and
/// `parent`, whether `facts` and `scores` are `null` or objects, and each entry of them. Any
/// method returning `None` gives the unit up.
pub(super) trait Reading<'de> {
    /// The field at `at` of [`UNIT_FIELDS`] (`id`, `name`, `kind` or `parent`) holds `value`.
    fn field(&mut self, at: usize, value: Json<'de>) -> Option<()>;
    /// `scores` (when `scores`) or `facts` is `part`: `null`, or an object whose entries follow.
    fn part(&mut self, scores: bool, part: Part) -> Option<()>;
    /// The key the `i`th entry of `scores` (when `scores`) or `facts` most likely has, written
    /// in JSON as it is (see [`needs_escape`]), and a place of the reader's own for it: when the
    /// file has that key there, it is matched byte for byte and the place handed back to
    /// [`Reading::entry`] as `known`.
    fn expected(&self, _scores: bool, _i: usize) -> Option<(&str, usize)> {
        None
    }
    /// The `i`th entry of `scores` or `facts` has key `key` (the one [`Reading::expected`] gave,
    /// with its place, when `known`); `scan` is at its value, which the reader reads.
    fn entry(
        &mut self,
        scores: bool,
        i: usize,
        key: &'de str,
        known: Option<usize>,
        scan: &mut Scan<'de>,
    ) -> Option<()>;
}

/// Whether JSON writes `key` otherwise than as it is: it holds a quote, a backslash or a control
/// character.
pub(super) fn needs_escape(key: &str) -> bool {
    key.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20)
}

impl<'de> Reading<'de> for RawUnit<'de> {
    fn field(&mut self, at: usize, value: Json<'de>) -> Option<()> {
        let slot = match at {
            0 => &mut self.id,
            1 => &mut self.name,
            2 => &mut self.kind,
            _ => &mut self.parent,
        };
        *slot = Some(value);
        Some(())
    }

    fn part(&mut self, scores: bool, part: Part) -> Option<()> {
        *(if scores {
            &mut self.scores
        } else {
            &mut self.facts
        }) = part;
        Some(())
    }

    fn entry(
        &mut self,
        scores: bool,
        _: usize,
        key: &'de str,
        _: Option<usize>,
        scan: &mut Scan<'de>,
    ) -> Option<()> {
        let value = scan.scalar()?;
        let out = if scores {
            &mut self.scores_entries
        } else {
            &mut self.facts_entries
        };
        out.push((Cow::Borrowed(key), value));
        Some(())
    }
}

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

/// How many bytes of `bytes` come before the first `"`, `\\` or control character (all of them
/// when none does), found eight bytes at a time: in a word, the bytes equal to a given one are
/// those that become zero when it is subtracted, and the bytes below `0x20` those that borrow
/// when `0x20` is subtracted. A borrow can only mark wrongly the bytes after a byte rightly
/// marked, so the first marked byte is the first stop.
fn plain_len(bytes: &[u8]) -> usize {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = ONES << 7;
    let below = |word: u64, n: u8| word.wrapping_sub(ONES * u64::from(n)) & !word & HIGH;
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let word = <[u8; 8]>::try_from(chunk).map_or(0, u64::from_le_bytes);
        let quote = below(word ^ (ONES * u64::from(b'"')), 1);
        let backslash = below(word ^ (ONES * u64::from(b'\\')), 1);
        let stops = quote | backslash | below(word, 0x20);
        if stops != 0 {
            return at + (stops.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    let rest = chunks.remainder();
    at + rest
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .unwrap_or(rest.len())
}

/// The cursor over one unit's text.
pub(super) struct Scan<'de> {
    text: &'de str,
    at: usize,
}

impl<'de> Scan<'de> {
    /// The next byte after whitespace, not consumed.
    #[inline]
    fn peek(&mut self) -> Option<u8> {
        let bytes = self.text.as_bytes();
        while let Some(&b) = bytes.get(self.at) {
            // Above the space, nothing is whitespace: one comparison for most bytes.
            if b > b' ' || !matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
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
        let len = plain_len(rest);
        if rest.get(len) != Some(&b'"') {
            return None;
        }
        self.at = start + len + 1;
        self.text.get(start..start + len)
    }

    /// The string `key` (written in JSON as it is), its quotes consumed, when it is next after
    /// whitespace; `None`, with only the whitespace consumed, otherwise.
    fn exact(&mut self, key: &str) -> Option<&'de str> {
        if self.peek()? != b'"' {
            return None;
        }
        let start = self.at + 1;
        let end = start + key.len();
        let bytes = self.text.as_bytes();
        if bytes.get(start..end)? != key.as_bytes() || bytes.get(end) != Some(&b'"') {
            return None;
        }
        self.at = end + 1;
        self.text.get(start..end)
    }

    /// The place in [`UNIT_FIELDS`] of the field whose key is next after whitespace, told by its
    /// first letter (each field's is its own) and then matched whole, its quotes consumed;
    /// `None`, with only the whitespace consumed, when the next key is not a field's as it is.
    fn field_key(&mut self) -> Option<usize> {
        self.peek()?;
        let at = match self.text.as_bytes().get(self.at + 1)? {
            b'i' => 0,
            b'n' => 1,
            b'k' => 2,
            b'p' => 3,
            b's' => 4,
            b'f' => 5,
            _ => return None,
        };
        self.exact(UNIT_FIELDS.get(at)?).map(|_| at)
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

    /// A number written plainly at the cursor — digits (`0` alone, or not starting with `0`),
    /// then a point and digits or not, at most 19 digits in all, ending where a value may end:
    /// a JSON number without sign or exponent — consumed, with its mantissa and scale (trailing
    /// zeros after the point left out, as `value::plain_parts` gives them). `None`, with nothing
    /// consumed, for any other value. One pass over the digits.
    pub(super) fn plain_number(&mut self) -> Option<(&'de str, u64, u32)> {
        let (start, bytes) = (self.at, self.text.as_bytes());
        let (mut at, mut mantissa) = (start, 0u64);
        let digits = |at: &mut usize, mantissa: &mut u64| {
            let from = *at;
            while let Some(d) = bytes
                .get(*at)
                .map(|b| b.wrapping_sub(b'0'))
                .filter(|d| *d < 10)
            {
                *mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(d));
                *at += 1;
            }
            *at - from
        };
        let whole = digits(&mut at, &mut mantissa);
        if whole == 0 || (whole > 1 && bytes.get(start) == Some(&b'0')) {
            return None;
        }
        let mut scale = 0;
        if bytes.get(at) == Some(&b'.') {
            at += 1;
            scale = digits(&mut at, &mut mantissa);
            if scale == 0 {
                return None;
            }
        }
        if whole + scale > 19 || !ends_value(bytes.get(at)) {
            return None;
        }
        let (mantissa, scale) = without_trailing_zeros(mantissa, u32::try_from(scale).ok()?);
        let text = self.text.get(start..at)?;
        self.at = at;
        Some((text, mantissa, scale))
    }

    /// `word` (`true`, `false`, `null`), whole.
    fn word(&mut self, word: &str) -> Option<()> {
        let end = self.at + word.len();
        (self.text.get(self.at..end)? == word).then(|| self.at = end)?;
        // `truex` is not `true`: the word must end where a value may end.
        ends_value(self.text.as_bytes().get(self.at)).then_some(())
    }

    /// A string, number, `true`, `false` or `null`.
    pub(super) fn scalar(&mut self) -> Option<Json<'de>> {
        Some(match self.peek()? {
            b'"' => Json::Str(Cow::Borrowed(self.string()?)),
            b'-' | b'0'..=b'9' => Json::Num(Cow::Borrowed(self.number()?)),
            b't' => self.word("true").map(|()| Json::Bool(true))?,
            b'f' => self.word("false").map(|()| Json::Bool(false))?,
            b'n' => self.word("null").map(|()| Json::Null)?,
            _ => return None,
        })
    }

    /// `scores` (when `scores`) or `facts`: `null`, or an object of scalars, its entries to
    /// `reading`.
    fn entries<R: Reading<'de>>(&mut self, scores: bool, reading: &mut R) -> Option<()> {
        if self.peek()? == b'n' {
            self.word("null")?;
            return reading.part(scores, Part::Null);
        }
        self.eat(b'{')?;
        reading.part(scores, Part::Map)?;
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(());
        }
        let mut i = 0;
        loop {
            let expected = reading
                .expected(scores, i)
                .and_then(|(k, place)| self.exact(k).map(|key| (key, place)));
            let (key, known) = match expected {
                Some((key, place)) => (key, Some(place)),
                None => (self.string()?, None),
            };
            if key == NUMBER_TOKEN {
                return None;
            }
            self.eat(b':')?;
            self.peek()?;
            reading.entry(scores, i, key, known, self)?;
            i = i.saturating_add(1);
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

    /// The unit's object, to `reading`.
    fn unit<R: Reading<'de>>(&mut self, reading: &mut R) -> Option<()> {
        self.eat(b'{')?;
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(());
        }
        let mut fields = 0u8;
        loop {
            let at = match self.field_key() {
                Some(at) => at,
                None => {
                    let key = self.string()?;
                    UNIT_FIELDS.iter().position(|f| *f == key)?
                }
            };
            let bit = 1u8 << at;
            if fields & bit != 0 {
                return None;
            }
            fields |= bit;
            self.eat(b':')?;
            match at {
                FACTS_FIELD => self.entries(false, reading)?,
                SCORES_FIELD => self.entries(true, reading)?,
                _ => reading.field(at, self.scalar()?)?,
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

/// Reads the unit that `text` holds (nothing else, but whitespace) to `reading`; `false` when
/// the unit is not one this reader takes (what `reading` kept of it is then to be dropped).
pub(super) fn scan_with<'de, R: Reading<'de>>(text: &'de str, reading: &mut R) -> bool {
    let mut scan = Scan { text, at: 0 };
    scan.unit(reading).is_some() && scan.peek().is_none()
}

/// Reads the unit that `text` holds (nothing else, but whitespace) into `raw`, which must be
/// empty; `false`, with `raw` emptied again, when the unit is not one this reader takes.
pub(super) fn scan_unit<'de>(text: &'de str, raw: &mut RawUnit<'de>) -> bool {
    let read = scan_with(text, raw);
    if !read {
        raw.clear();
    }
    read
}

#[cfg(test)]
mod tests;
