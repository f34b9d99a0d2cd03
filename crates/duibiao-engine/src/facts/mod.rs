//! Loading a facts file (JSON) against a compiled standard. Every problem is collected, each
//! naming the unit id, the key and what was expected; a bad value is treated as missing and the
//! rest of the file is still loaded. Nothing here panics on any input.

mod chunks;
mod error;
mod inputs;
mod loader;
mod parallel;
mod parents;
mod scan;
mod stream;
mod syntax;
mod value;

pub use crate::limits::{FactsLimit, FactsLimits};
use crate::tree::UnitTree;
use duibiao_compiler::graph::Graph;
use duibiao_compiler::Value;
use error::shape;
pub use error::{FactsError, FactsErrorKind, Listed, LOOP_SHOWN};
use loader::{Loader, Pass};
pub use syntax::json_syntax;
pub(crate) use value::plain_input;
pub use value::{input_value, parse_value};

/// A loaded facts file: the forest, the evaluation date and parameter values it gives.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The units.
    pub tree: UnitTree,
    /// `as_of`, the evaluation date.
    pub as_of: Option<chrono::NaiveDate>,
    /// Parameter values supplied by the file, by parameter index: [`Value::Unknown`] for a value
    /// given but unusable (reported), which counts as missing rather than falling back to the
    /// standard's own value.
    pub params: Vec<(usize, Value)>,
}

/// Loads a facts file. Always returns what could be loaded, with every problem found.
///
/// The file is read as a stream, straight from its text: each unit's fields and values are read
/// as borrowed text (no JSON tree is built, no number is copied), checked and stored before the
/// next unit is read. A file that this fast pass cannot read to its end, or that holds an object,
/// an array or a string with invalid escapes among its facts or scores, is read a second time with
/// `serde_json`'s own checks, so that every problem is reported as and where `serde_json` finds
/// it.
///
/// When the standard has neither records nor text facts, a file of 1 MiB or more loaded from a
/// thread of a rayon pool of two threads or more (within `ThreadPool::install` or `rayon::scope`;
/// called from any other thread it never touches rayon) is first read in parallel over its
/// `units` array: cut at unit boundaries
/// into four parts a thread, each part read by the fast pass on a thread of its own, the parts
/// stitched in order into the same forest, whose parents are then linked as above. If anything is
/// amiss (any problem but those of linking parents, a value the fast pass gives way on, a cut that
/// does not fall between units), the file is loaded as above, so that every problem comes out as it
/// does serially.
pub fn load(graph: &Graph, text: &str, limits: &FactsLimits) -> (Facts, Vec<FactsError>) {
    if text.len() > limits.bytes {
        let error = FactsError::new(
            None,
            None,
            FactsErrorKind::OverLimit {
                limit: FactsLimit::Bytes,
                max: limits.bytes,
                found: text.len(),
            },
        );
        return (Facts::default(), vec![error]);
    }
    // Editors on Windows often save a byte-order mark; it is not part of the JSON.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        let error = FactsError::new(None, None, FactsErrorKind::Empty);
        return (Facts::default(), vec![error]);
    }
    // Only on a pool the caller chose: asking outside one would start rayon's global pool.
    let threads = rayon::current_thread_index().map_or(1, |_| rayon::current_num_threads());
    (threads > 1)
        .then(|| {
            let parts = threads * parallel::PARTS_PER_THREAD;
            parallel::load(graph, text, limits, parts, parallel::MIN_BYTES)
        })
        .flatten()
        .unwrap_or_else(|| load_serial(graph, text, limits))
}

/// Loads a facts file from `reader`, `size` bytes long (as its metadata says), a chunk of 16 MiB
/// at a time, so that the file's text is never held whole; `None` when it gives way: the caller
/// then reads the file whole and calls [`load`], which reports every problem as usual.
///
/// Each chunk's units, from the array's start or the last chunk's last unit to its own last
/// whole unit, are read as [`load`] reads a file in parallel (on the rayon pool when called from
/// one of its threads, else on the calling thread); the file's own fields are read once the
/// array's end is found. It gives way, with part of the file read, where the parallel load gives
/// way (records or text facts in the standard, any problem but those of linking parents, a unit
/// not cut where it seemed), for a file under 1 MiB or over the limit of its size, and for a
/// file that cannot be read, is not UTF-8, or whose `units` array does not open within its first
/// 64 MiB.
pub fn load_reader(
    graph: &Graph,
    reader: &mut dyn std::io::Read,
    size: usize,
    limits: &FactsLimits,
) -> Option<(Facts, Vec<FactsError>)> {
    let threads = rayon::current_thread_index().map_or(1, |_| rayon::current_num_threads());
    chunks::load(
        graph,
        reader,
        size,
        limits,
        threads,
        chunks::CHUNK,
        parallel::MIN_BYTES,
        &mut |_| {},
    )
}

/// The load of a large file ([`load_reader`]: a chunk of `chunk` bytes at a time, each unit read
/// by the byte reader first) for a text of any size, on the calling thread; `None` where it gives
/// way, when the serial load is the load. What the `load_parts` fuzz target holds equal to
/// [`load`], whose files are too small to be read so. Only with the `fuzzing` feature.
#[cfg(feature = "fuzzing")]
pub fn load_in_chunks(
    graph: &Graph,
    text: &str,
    limits: &FactsLimits,
    chunk: usize,
) -> Option<(Facts, Vec<FactsError>)> {
    chunks::load(
        graph,
        &mut text.as_bytes(),
        text.len(),
        limits,
        1,
        chunk,
        0,
        &mut |_| {},
    )
}

/// Loads a facts file on the calling thread: the fast pass, else the exact one.
fn load_serial(graph: &Graph, text: &str, limits: &FactsLimits) -> (Facts, Vec<FactsError>) {
    load_pass(graph, text, limits, Pass::Fast)
        .unwrap_or_else(|| load_pass(graph, text, limits, Pass::Exact).unwrap_or_default())
}

/// Loads a facts file in one pass; `None` when the fast pass gives way to the exact one (which
/// always returns something).
fn load_pass(
    graph: &Graph,
    text: &str,
    limits: &FactsLimits,
    pass: Pass,
) -> Option<(Facts, Vec<FactsError>)> {
    let mut loader = Loader::new(graph, limits, pass);
    if let Err(e) = stream::read_file(&mut loader, text) {
        // Whatever stopped the fast pass, the exact pass finds it (or finds an earlier problem).
        if pass == Pass::Fast {
            return None;
        }
        if e.classify() == serde_json::error::Category::Data && !loader.started_units {
            loader.top.push(FactsError::new(
                None,
                None,
                FactsErrorKind::Shape {
                    expected: "a JSON object".into(),
                },
            ));
        } else if e.classify() == serde_json::error::Category::Data {
            loader.top.push(shape(None, "units", "a list of units"));
        } else {
            let full = e.to_string();
            let message = match full.rfind(" at line ") {
                Some(i) => full[..i].to_string(),
                None => full,
            };
            let error = FactsError::new(
                None,
                None,
                FactsErrorKind::Json {
                    message,
                    line: e.line(),
                    column: e.column().max(1),
                },
            );
            return Some((Facts::default(), vec![error]));
        }
    }
    Some(loader.finish())
}

/// Loads facts already parsed as JSON (errors found so far in `errors` come first), within
/// `limits` but for the size of the text, which is gone.
pub fn load_value(
    graph: &Graph,
    root: &serde_json::Value,
    limits: &FactsLimits,
    errors: &mut Vec<FactsError>,
) -> (Facts, Vec<FactsError>) {
    let mut loader = Loader::new(graph, limits, Pass::Exact);
    loader.top = std::mem::take(errors);
    match root.as_object() {
        None => loader.top.push(FactsError::new(
            None,
            None,
            FactsErrorKind::Shape {
                expected: "a JSON object".into(),
            },
        )),
        Some(obj) => {
            for (key, v) in obj {
                match (key.as_str(), v.as_array()) {
                    ("units", Some(list)) => {
                        loader.started_units = true;
                        list.iter().for_each(|u| loader.unit_value(u));
                    }
                    ("units", None) => {
                        loader.started_units = true;
                        loader.top.push(shape(None, "units", "a list of units"));
                    }
                    _ => loader.field(key, v),
                }
            }
        }
    }
    loader.finish()
}
