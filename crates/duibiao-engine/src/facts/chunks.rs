//! Loading a large facts file from a reader a chunk at a time, so that its text is never held
//! whole: the `units` array is read in regions that end at a unit boundary, each region cut into
//! parts read as [`super::parallel`] reads them (on the rayon pool when there is one, while the
//! calling thread reads the next chunk), its units kept and its text dropped once it is read. The file's own fields — the text
//! before the array and after it — are read at the end, as the parallel load reads them. Whatever
//! is unusual gives way, and the caller loads the file whole ([`super::load`]), which reports
//! every problem.

use super::loader::{Loader, Pass, Piece};
use super::parallel::{self, is_space};
use super::stream::read_file;
use super::{Facts, FactsError, FactsLimits};
use duibiao_compiler::graph::{Graph, KindGraph};
use std::io::Read;

/// Bytes read at a time.
pub(super) const CHUNK: usize = 16 << 20;

/// Chunks read to find where the units array opens before the file is loaded whole.
const HEAD_CHUNKS: usize = 4;

/// The byte-order mark some editors write before the JSON.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Loads the facts file that `reader` gives (`size` bytes, as the file's metadata says), reading
/// `chunk` bytes at a time, in `threads * PARTS_PER_THREAD` parts a region (one part on one
/// thread); `None` when it gives way, having read part of the file: the file is smaller than
/// `min_bytes` or larger than the limit, the standard has records or text facts,
/// the file cannot be read or is not UTF-8, the units array does not open within the first
/// few chunks or is not where it seemed, or anything is amiss in the file or in any part (as for the parallel
/// load). On more than one thread, the next chunk is read while a region is; `held` is told, as
/// each region is read, how many bytes of the file are held then (the region's, and the next
/// chunk's when it is read meanwhile).
#[allow(clippy::too_many_arguments)]
pub(super) fn load(
    graph: &Graph,
    reader: &mut dyn Read,
    size: usize,
    limits: &FactsLimits,
    threads: usize,
    chunk: usize,
    min_bytes: usize,
    held: &mut dyn FnMut(usize),
) -> Option<(Facts, Vec<FactsError>)> {
    let kept_apart = |k: &KindGraph| k.is_record() || !k.texts.is_empty();
    if size < min_bytes || size > limits.bytes || graph.kinds.iter().any(kept_apart) {
        return None;
    }
    let mut source = Source {
        reader,
        buf: Vec::with_capacity(chunk + chunk / 4),
        read: 0,
        max: limits.bytes,
        chunk,
        ended: false,
    };
    // The array opens within the first few chunks, or the file is loaded whole.
    let start = |buf: &[u8]| if buf.starts_with(BOM) { BOM.len() } else { 0 };
    let open = loop {
        source.fill()?;
        let start = start(&source.buf);
        if let Some(open) = parallel::units_open(source.buf.get(start..)?) {
            break start + open;
        }
        if source.ended || source.buf.len() >= HEAD_CHUNKS * chunk {
            return None;
        }
    };
    let start = start(&source.buf);
    let head = std::str::from_utf8(source.buf.get(start..=open)?)
        .ok()?
        .to_owned();
    let mut regions = Regions {
        graph,
        limits,
        parts: parts(threads),
        all: Piece::default(),
        units: 0,
        size,
    };
    let mut at = open + 1;
    // The buffer the next chunk is read into while a region is read (on more than one thread).
    let mut spare = Vec::new();
    while !source.ended {
        let Some((end, next)) = last_boundary(&source.buf, at) else {
            source.fill()?;
            continue;
        };
        if threads > 1 {
            // The region keeps its buffer; what follows it starts the other, which the next
            // chunk is read into meanwhile.
            spare.reserve(chunk + chunk / 4);
            spare.extend_from_slice(source.buf.get(next..)?);
            let region = std::mem::replace(&mut source.buf, std::mem::take(&mut spare));
            let mut read = None;
            let filled = rayon::in_place_scope(|scope| {
                scope.spawn(|_| read = region.get(at..end).and_then(|r| regions.read(r)));
                source.fill()
            });
            held(region.len() + source.buf.len());
            read?;
            filled?;
            spare = region;
            spare.clear();
        } else {
            held(source.buf.len());
            regions.read(source.buf.get(at..end)?)?;
            source.buf.drain(..next);
            source.fill()?;
        }
        at = 0;
    }
    let close = at + memchr::memrchr(b']', source.buf.get(at..)?)?;
    held(source.buf.len());
    regions.read(source.buf.get(at..close)?)?;
    let skeleton = format!(
        "{head}{}",
        std::str::from_utf8(source.buf.get(close..)?).ok()?
    );
    if !parallel::units_at(&skeleton, head.len() - 1) {
        return None;
    }
    let mut top = Loader::new(graph, limits, Pass::Fast);
    read_file(&mut top, &skeleton).ok()?;
    top.stitch(vec![regions.all])
}

/// Parts a region is cut into on `threads` threads: as many a thread as the parallel load cuts,
/// and the region whole on one thread.
fn parts(threads: usize) -> usize {
    if threads > 1 {
        threads * parallel::PARTS_PER_THREAD
    } else {
        1
    }
}

/// The file, read a chunk at a time into a buffer that keeps what is not read yet.
struct Source<'r> {
    reader: &'r mut dyn Read,
    buf: Vec<u8>,
    /// Bytes read so far.
    read: usize,
    /// The most bytes the file may have.
    max: usize,
    chunk: usize,
    /// Whether the file is read to its end.
    ended: bool,
}

impl Source<'_> {
    /// Reads the next chunk onto the end of the buffer; `None` when the file cannot be read or
    /// grows beyond the limit.
    fn fill(&mut self) -> Option<()> {
        let want = u64::try_from(self.chunk).ok()?;
        let got = self.reader.take(want).read_to_end(&mut self.buf).ok()?;
        self.read = self.read.checked_add(got)?;
        self.ended = got < self.chunk;
        (self.read <= self.max).then_some(())
    }
}

/// The regions of the units array read so far.
struct Regions<'g, 'l> {
    graph: &'g Graph,
    limits: &'l FactsLimits,
    /// Parts a region is cut into.
    parts: usize,
    /// What the parts read, appended in order as each region is read (so that the next
    /// region's parts may take the memory this one's held), its parent ids copied out of the
    /// chunks' text.
    all: Piece<'static>,
    /// Units read so far.
    units: usize,
    /// The file's size, to estimate how many units it holds.
    size: usize,
}

impl Regions<'_, '_> {
    /// Reads the units of `region` (from a unit's `{` to a unit's `}`, whitespace around them);
    /// `None` when it gives way, or when the units read exceed the limit.
    fn read(&mut self, region: &[u8]) -> Option<()> {
        // Checked with SIMD: a region is megabytes, mostly Chinese, where the standard
        // library's check takes about a tenth of the load; which byte is wrong does not matter
        // here (a region that is not UTF-8 gives way to the whole file's read, which says where).
        let text = simdutf8::basic::from_utf8(region).ok()?;
        let ranges = parallel::split(region, 0, region.len(), self.parts)?;
        let room = |_, (start, end)| text.get(start..end);
        let read =
            parallel::read_parts(self.graph, self.limits, text, &ranges, self.parts > 1, room)?;
        let before = self.units;
        self.units += read.iter().map(Piece::len).sum::<usize>();
        if self.units > self.limits.most_units() {
            return None;
        }
        if before == 0 {
            // Room for every unit, at the size per unit of the first region, and a sixteenth more.
            let per_unit = region.len() / self.units.max(1);
            let total = self.size / per_unit.max(1);
            self.all.reserve(total + total / 16);
        }
        for piece in read {
            self.all.append(piece.into_owned())?;
        }
        Some(())
    }
}

/// The last unit boundary in `bytes` after `from`: a `}`, then `,` and a `{` (whitespace between
/// them); the place after its `}` and the place of its `{`.
fn last_boundary(bytes: &[u8], from: usize) -> Option<(usize, usize)> {
    let mut before = bytes.len();
    while let Some(at) = memchr::memrchr(b'{', bytes.get(from..before)?) {
        let next = from + at;
        let comma = skip_back(bytes, from, next);
        if comma > from && bytes.get(comma - 1) == Some(&b',') {
            let brace = skip_back(bytes, from, comma - 1);
            if brace > from && bytes.get(brace - 1) == Some(&b'}') {
                return Some((brace, next));
            }
        }
        before = next;
    }
    None
}

/// The place after the last byte before `at` (and from `from`) that is not whitespace.
fn skip_back(bytes: &[u8], from: usize, mut at: usize) -> usize {
    while at > from && bytes.get(at - 1).copied().is_some_and(is_space) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests;
