//! Loading a large facts file in parallel over its `units` array: the array is cut at unit
//! boundaries near equal offsets, each part is read by a fast-pass loader of its own on the rayon
//! pool, and the parts are stitched in order into exactly the facts a serial load gives. Whatever
//! is unusual gives way to the serial load ([`super::load`]), which reports every problem.
//!
//! The boundaries are found speculatively, by the text alone (a `}` then `,` then `{`, whitespace
//! between them), and are checked by parsing: a unit is read from its `{` to a `}` followed by
//! such a boundary, and must end exactly there; a piece that ends inside the unit (inside a string,
//! or a value of its own) is taken again up to the next candidate. The file's own fields are read
//! by the serial loader from a copy of the file with the array emptied (`"units": []`), whose
//! array must be the one cut (its `[` at the same place), so the text around the parts is read as
//! the file's top level.

use super::loader::{Loader, Pass, Piece, Read};
use super::stream::read_file;
use super::{Facts, FactsError, FactsLimits};
use duibiao_compiler::graph::{Graph, KindGraph};
use rayon::prelude::*;
use serde_json::value::RawValue;
use std::collections::BTreeMap;

/// Files smaller than this are loaded on one thread: they load in a few milliseconds, and a file
/// with problems is read twice when the parallel load gives way.
pub(super) const MIN_BYTES: usize = 1 << 20;

/// Parts of the units array per thread of the pool, so that a thread slowed by other work on
/// the machine leaves its share to the others.
pub(super) const PARTS_PER_THREAD: usize = 4;

/// Candidate ends tried for one unit before the parallel load gives way (a unit whose strings or
/// values hold many `},{`), which bounds the text read again.
const TRIES: usize = 16;

/// Loads `text` (at least `min_bytes` long) in `parts` parts over its units array, exactly as
/// the serial load would; `None` when it gives way to the serial load: the standard has records
/// or text facts (whose units and stores are numbered across the file), the array is not found
/// or not cut where it seemed, or anything in the file or in any part is amiss (any problem, a
/// value the fast pass gives way on, a repeated id, units beyond the limit).
pub(super) fn load(
    graph: &Graph,
    text: &str,
    limits: &FactsLimits,
    parts: usize,
    min_bytes: usize,
) -> Option<(Facts, Vec<FactsError>)> {
    let kept_apart = |k: &KindGraph| k.is_record() || !k.texts.is_empty();
    if parts < 2 || text.len() < min_bytes || graph.kinds.iter().any(kept_apart) {
        return None;
    }
    let bytes = text.as_bytes();
    let (open, close) = units_span(bytes)?;
    let skeleton = format!("{}{}", text.get(..=open)?, text.get(close..)?);
    if !units_at(&skeleton, open) {
        return None;
    }
    let mut top = Loader::new(graph, limits, Pass::Fast);
    read_file(&mut top, &skeleton).ok()?;
    let ranges = split(bytes, open + 1, close, parts)?;
    // The first part reserves room for every part's units (see `Loader::for_part`).
    let room = |i: usize, (start, end): (usize, usize)| {
        text.get(if i == 0 { 0..close } else { start..end })
    };
    top.stitch(read_parts(graph, limits, text, &ranges, true, room)?)
}

/// Reads the parts `ranges` of `text`, each by a loader of its own (on the rayon pool when
/// `parallel`) that reserves room for the units of `room(i, range)`; `None` when any part gives
/// way (the parts not yet started are then left unread).
pub(super) fn read_parts<'de>(
    graph: &Graph,
    limits: &FactsLimits,
    text: &'de str,
    ranges: &[(usize, usize)],
    parallel: bool,
    room: impl Fn(usize, (usize, usize)) -> Option<&'de str> + Sync,
) -> Option<Vec<Piece<'de>>> {
    let one = |(i, &(start, end)): (usize, &(usize, usize))| {
        let loader = Loader::for_part(graph, limits, room(i, (start, end))?);
        read_part(loader, text, start, end)?.into_piece()
    };
    if parallel {
        ranges.par_iter().enumerate().map(one).collect()
    } else {
        ranges.iter().enumerate().map(one).collect()
    }
}

/// Whether `b` is JSON whitespace.
pub(super) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// The first place from `at` that is not whitespace (or the end).
fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).copied().is_some_and(is_space) {
        at += 1;
    }
    at
}

/// Where the units array seems to open and close: its `[` (see [`units_open`]) and the file's
/// last `]` (checked by [`units_at`] and by reading the parts).
fn units_span(bytes: &[u8]) -> Option<(usize, usize)> {
    let open = units_open(bytes)?;
    let close = memchr::memrchr(b']', bytes)?;
    (close > open).then_some((open, close))
}

/// Where the units array seems to open: the `[` of the first `"units"` followed by `:`.
pub(super) fn units_open(bytes: &[u8]) -> Option<usize> {
    let key = memchr::memmem::find(bytes, b"\"units\"")?;
    let colon = skip_space(bytes, key + "\"units\"".len());
    let open = skip_space(bytes, colon + 1);
    (bytes.get(colon) == Some(&b':') && bytes.get(open) == Some(&b'[')).then_some(open)
}

/// Whether `skeleton`, the file with its units array emptied, is a JSON object whose `units` is
/// the array opened at `open`: then the file's text up to there is read as its top level up to
/// the value of `units`.
pub(super) fn units_at(skeleton: &str, open: usize) -> bool {
    let Ok(fields) = serde_json::from_str::<BTreeMap<String, &RawValue>>(skeleton) else {
        return false;
    };
    fields.get("units").is_some_and(|units| {
        let at = (units.get().as_ptr() as usize).wrapping_sub(skeleton.as_ptr() as usize);
        units.get() == "[]" && at == open
    })
}

/// The end of the first unit boundary from `from` before `limit`: a `}` followed by `,` and a `{`
/// (whitespace between them): the place after the `}` and the place of the `{`.
fn boundary(bytes: &[u8], mut from: usize, limit: usize) -> Option<(usize, usize)> {
    while let Some(at) = memchr::memchr(b'}', bytes.get(from..limit)?) {
        let end = from + at + 1;
        let comma = skip_space(bytes, end);
        let next = skip_space(bytes, comma + 1);
        if bytes.get(comma) == Some(&b',') && next < limit && bytes.get(next) == Some(&b'{') {
            return Some((end, next));
        }
        from = end;
    }
    None
}

/// The array's content between `start` and `end` (its brackets excluded) cut into at most
/// `parts` ranges, each from a unit's `{` to a unit's `}`, near equal in length; `None` unless
/// the content starts with `{` and ends with `}` (whitespace aside).
pub(super) fn split(
    bytes: &[u8],
    start: usize,
    end: usize,
    parts: usize,
) -> Option<Vec<(usize, usize)>> {
    let first = skip_space(bytes, start);
    let mut stop = end;
    while stop > first && bytes.get(stop - 1).copied().is_some_and(is_space) {
        stop -= 1;
    }
    if stop <= first || bytes.get(first) != Some(&b'{') || bytes.get(stop - 1) != Some(&b'}') {
        return None;
    }
    let share = (stop - first) / parts;
    let mut ranges = Vec::with_capacity(parts);
    let mut from = first;
    for i in 1..parts {
        let target = first + share * i;
        if target <= from {
            continue;
        }
        let Some((end, next)) = boundary(bytes, target, stop) else {
            break;
        };
        ranges.push((from, end));
        from = next;
    }
    ranges.push((from, stop));
    Some(ranges)
}

/// Reads the units between `start` (a unit's `{`) and `end` (after a unit's `}`) of `text`;
/// `None` unless every piece between boundaries held exactly one unit, read without a problem
/// (the first problem ends the part: the file is then loaded serially).
fn read_part<'g, 'de>(
    mut loader: Loader<'g, 'de>,
    text: &'de str,
    start: usize,
    end: usize,
) -> Option<Loader<'g, 'de>> {
    let bytes = text.as_bytes();
    let mut at = start;
    while at < end {
        let mut from = at;
        let mut tries = 0;
        loop {
            let (stop, next) = boundary(bytes, from, end).unwrap_or((end, end));
            match loader.unit_in(text.get(at..stop)?) {
                Read::Unit if loader.clean() => {
                    at = next;
                    break;
                }
                Read::Short if stop < end && tries < TRIES => {
                    from = stop;
                    tries += 1;
                }
                Read::Unit | Read::Short | Read::Failed => return None,
            }
        }
    }
    Some(loader)
}

#[cfg(test)]
pub(super) mod tests;
