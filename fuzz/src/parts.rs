//! The `load_parts` target: any bytes as a facts file for each standard, read as a large file is
//! read (a chunk at a time, each unit by the byte reader first, `serde_json` where it gives up) with
//! chunks of a size the input chooses; wherever that load does not give way, it must be the serial
//! load's: the same units, every id found at the same unit, the same date, parameters and problems.

use super::SOURCES;
use duibiao_compiler::graph::Graph;
use duibiao_engine::facts::{load, load_in_chunks, FactsLimits};
use std::sync::OnceLock;

/// The six standards' graphs, compiled once.
fn graphs() -> &'static [Graph] {
    static ALL: OnceLock<Vec<Graph>> = OnceLock::new();
    ALL.get_or_init(|| {
        SOURCES
            .iter()
            .filter_map(|(_, source)| duibiao_compiler::compile(source).graph)
            .collect()
    })
}

/// `load_parts`: see the module's comment.
pub fn load_parts(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    // From 16 bytes (many chunks, units cut across them) to 4 KiB.
    let chunk = 16 << (data.len() % 9);
    let limits = FactsLimits::default();
    for graph in graphs() {
        let Some((facts, problems)) = load_in_chunks(graph, &text, &limits, chunk) else {
            continue;
        };
        // Called outside a thread pool, `load` reads the file serially.
        let (serial, serial_problems) = load(graph, &text, &limits);
        assert_eq!(problems, serial_problems, "problems differ");
        assert_eq!(facts.tree.units, serial.tree.units, "units differ");
        let elsewhere = serial
            .tree
            .units
            .iter()
            .find(|u| facts.tree.find(&u.id) != serial.tree.find(&u.id));
        assert!(elsewhere.is_none(), "{elsewhere:?} found elsewhere");
        assert_eq!(facts.as_of, serial.as_of, "dates differ");
        assert_eq!(facts.params, serial.params, "parameters differ");
    }
}
