//! The load from a reader, chunk by chunk, against the serial load: on the parallel load's
//! generated files, read a few bytes at a time (so that every unit, boundary and string is cut
//! somewhere by a chunk), it gives exactly the serial facts and problems or gives way; clean
//! files are loaded rather than given way; a reader that fails, a file that grows past its
//! limit or is not UTF-8 gives way.

use super::super::parallel::tests::{
    any_file, any_limits, assert_same, clean_file, graph, towns, Loaded, SEPARATORS, TRICKY,
};
use super::super::{load_serial, FactsLimits};
use duibiao_compiler::graph::Graph;
use proptest::prelude::*;
use std::io::Read;

/// The load of `text` read `chunk` bytes at a time by `threads` threads, given way to the serial
/// load as the command line does, and whether it gave way.
fn chunked(
    graph: &Graph,
    text: &str,
    limits: &FactsLimits,
    threads: usize,
    chunk: usize,
) -> (bool, Loaded) {
    let mut reader = text.as_bytes();
    match super::load(
        graph,
        &mut reader,
        text.len(),
        limits,
        threads,
        chunk,
        0,
        &mut |_| {},
    ) {
        Some(loaded) => (false, loaded),
        None => (true, super::super::load(graph, text, limits)),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    /// Any file, read 1 to 300 bytes at a time on one to three threads: the same facts and
    /// problems as the serial load.
    #[test]
    fn the_chunked_load_is_the_serial_load(
        mut text in any_file(),
        threads in 1usize..=3,
        chunk in 1usize..300,
        bom in prop::bool::weighted(0.1),
        limits in any_limits(),
    ) {
        let graph = graph();
        if bom {
            text.insert(0, '\u{feff}');
        }
        let want = super::super::load(&graph, &text, &limits);
        let (_, got) = chunked(&graph, &text, &limits, threads, chunk);
        assert_same(&got, &want, &text);
    }

    /// A file without problems is loaded chunk by chunk, not given way, whatever the chunks
    /// (from 16 bytes, so that its units array opens within four).
    #[test]
    fn a_clean_file_is_loaded_chunk_by_chunk(
        units in prop::collection::vec(
            (0usize..64, 0..TRICKY.len(), 0..SEPARATORS.len(), 0i64..100),
            2..40,
        ),
        head in any::<bool>(),
        threads in 1usize..=3,
        chunk in 16usize..400,
    ) {
        let graph = graph();
        let text = clean_file(&units, head);
        let limits = FactsLimits::default();
        let want = load_serial(&graph, &text, &limits);
        prop_assert!(want.1.is_empty(), "{:?}", want.1);
        let (gave_way, got) = chunked(&graph, &text, &limits, threads, chunk);
        prop_assert!(!gave_way, "{}", text);
        assert_same(&got, &want, &text);
    }
}

/// A reader that gives `good` bytes of `text`, then fails.
struct Failing<'a> {
    text: &'a [u8],
    good: usize,
}

impl Read for Failing<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.good == 0 {
            return Err(std::io::Error::other("the disk went away"));
        }
        let n = buf.len().min(self.good).min(self.text.len());
        buf[..n].copy_from_slice(&self.text[..n]);
        self.text = &self.text[n..];
        self.good -= n;
        Ok(n)
    }
}

/// What gives way: a reader that fails, a file past its limit (as its size says, or growing
/// past it as it is read), a file smaller than the least size, not UTF-8, or whose units array
/// does not open in its first four chunks; the units past the limit; a standard with text facts.
#[test]
fn what_gives_way() {
    let graph = graph();
    let limits = FactsLimits::default();
    let text = towns(200, "镇");
    let load = |reader: &mut dyn Read, size, limits: &FactsLimits, chunk, min| {
        super::load(&graph, reader, size, limits, 2, chunk, min, &mut |_| {})
    };
    assert!(load(&mut text.as_bytes(), text.len(), &limits, 64, 0).is_some());
    assert!(load(
        &mut text.as_bytes(),
        text.len(),
        &limits,
        64,
        text.len() + 1
    )
    .is_none());
    assert!(load(&mut text.as_bytes(), text.len(), &limits, 64, text.len()).is_some());
    // A file of exactly the limit loads; one said to be past it gives way, whatever it holds.
    let exact = FactsLimits {
        bytes: text.len(),
        ..limits
    };
    assert!(load(&mut text.as_bytes(), text.len(), &exact, 64, 0).is_some());
    assert!(load(&mut text.as_bytes(), text.len() + 1, &exact, 64, 0).is_none());
    let failing = &mut Failing {
        text: text.as_bytes(),
        good: text.len() / 2,
    };
    assert!(load(failing, text.len(), &limits, 64, 0).is_none());
    let small = FactsLimits {
        bytes: text.len() - 1,
        ..limits
    };
    assert!(load(&mut text.as_bytes(), text.len(), &small, 64, 0).is_none());
    // The size said is within the limit, the file is not.
    assert!(load(&mut text.as_bytes(), 10, &small, 64, 0).is_none());
    let mut bytes = text.clone().into_bytes();
    let at = bytes.len() / 2;
    bytes[at] = 0xFF;
    assert!(load(&mut bytes.as_slice(), bytes.len(), &limits, 64, 0).is_none());
    // The array opens past the first four chunks: given way, then loaded whole.
    let late = text.replacen(
        '{',
        &format!("{{\"as_of\": \"2021-12-31\",{}", " ".repeat(300)),
        1,
    );
    assert!(load(&mut late.as_bytes(), late.len(), &limits, 64, 0).is_none());
    assert!(load(&mut late.as_bytes(), late.len(), &limits, 1024, 0).is_some());
    let few = FactsLimits {
        units: 199,
        ..limits
    };
    assert!(load(&mut text.as_bytes(), text.len(), &few, 64, 0).is_none());
    let enough = FactsLimits {
        units: 200,
        ..limits
    };
    assert!(load(&mut text.as_bytes(), text.len(), &enough, 64, 0).is_some());
    let texts = duibiao_compiler::compile(
        "standard t { title \"t\" }\nkind 镇\nfacts 镇 {\n  荣誉: text\n}\n",
    )
    .graph
    .unwrap();
    let mut reader = text.as_bytes();
    let none = &mut |_| {};
    assert!(super::load(&texts, &mut reader, text.len(), &limits, 2, 64, 0, none).is_none());
}

/// What is held at once is a chunk and what is left of the last one (less than a unit), or two
/// such on more than one thread, but while the array's opening is looked for; the room reserved for the units is about what they
/// take.
#[test]
fn a_chunk_at_a_time_is_held() {
    let graph = graph();
    let limits = FactsLimits::default();
    let text = towns(2000, "镇");
    let chunk = 256;
    for threads in [1, 2] {
        let mut held = Vec::new();
        let mut reader = text.as_bytes();
        let size = text.len();
        let mut watch = |bytes| held.push(bytes);
        let loaded = super::load(
            &graph,
            &mut reader,
            size,
            &limits,
            threads,
            chunk,
            0,
            &mut watch,
        );
        let (facts, problems) = loaded.expect("loaded");
        assert!(problems.is_empty());
        assert_eq!(facts.tree.units.len(), 2000);
        assert!(
            held.len() >= text.len() / (2 * chunk),
            "{} regions",
            held.len()
        );
        // On two threads the next chunk is read while a region is: two chunks are held.
        let most = if threads > 1 { 3 * chunk } else { 2 * chunk };
        assert!(held.iter().all(|&b| b <= most), "{held:?}");
        let room = facts.tree.units.capacity();
        // Estimated from the first region, of a few units here (of 16 MiB in use).
        assert!((2000..=2500).contains(&room), "{room}");
    }
}

/// A region is read in four parts a thread, whole on one thread.
#[test]
fn parts_a_region_is_cut_into() {
    let per_thread = super::parallel::PARTS_PER_THREAD;
    assert_eq!(per_thread, 4);
    assert_eq!(
        [1, 2, 3].map(super::parts),
        [1, 2 * per_thread, 3 * per_thread]
    );
}

/// A file past the least size, through [`super::super::load_reader`] on a pool of two threads
/// and on the calling thread alone: the serial load's forest. (Files of many chunks, on one
/// thread and on several, are the tests above, with chunks of a few bytes: the reader reads
/// chunks of [`super::CHUNK`], the same code.)
#[test]
fn a_file_past_the_least_size_is_loaded_from_a_reader_as_serially() {
    let graph = graph();
    let limits = FactsLimits::default();
    let text = towns(super::parallel::MIN_BYTES / 20, "一个名字");
    assert!(text.len() > super::parallel::MIN_BYTES);
    let want = load_serial(&graph, &text, &limits);
    assert!(want.1.is_empty());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let load = || super::super::load_reader(&graph, &mut text.as_bytes(), text.len(), &limits);
    let got = pool.install(load).expect("loaded on the pool");
    assert_same(&got, &want, "the file, on a pool");
    let got = load().expect("loaded on the calling thread");
    assert_same(&got, &want, "the file, on one thread");
}
