//! What the unit tests read: the bundled standards, compiled, with their demo facts and cases.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::facts::Facts;
use duibiao_compiler::graph::Graph;
use std::path::PathBuf;

/// The bundled standards, each with a folder of demo facts and cases.
pub(crate) const STANDARDS: [&str; 6] = [
    "haiyan-2021",
    "chunjiang-365",
    "jiaxing-2016",
    "zhuji-2018",
    "quality-2020",
    "shengzhou-2015",
];

/// The file at `path` under the repository's `standards/` folder.
pub(crate) fn read(path: &str) -> String {
    let full = format!("{}/../../standards/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

/// The bundled standard `name`, compiled.
pub(crate) fn standard(name: &str) -> Graph {
    compiled(&read(&format!("{name}.std")))
}

/// `src` compiled; it must compile.
pub(crate) fn compiled(src: &str) -> Graph {
    let out = duibiao_compiler::compile(src);
    out.graph
        .unwrap_or_else(|| panic!("does not compile: {:?}", out.diagnostics))
}

/// `json` loaded as facts of `graph`; they must load without a problem.
pub(crate) fn loaded(graph: &Graph, json: &str) -> Facts {
    let (facts, problems) = crate::facts::load(graph, json, &Default::default());
    assert!(problems.is_empty(), "{problems:?}");
    facts
}

/// The bundled standard `name`, compiled, with its demo facts.
pub(crate) fn demo(name: &str) -> (Graph, Facts) {
    let graph = standard(name);
    let facts = loaded(&graph, &read(&format!("{name}/demo.json")));
    (graph, facts)
}

/// The facts files of standard `name`: its demo first, then its cases in name order.
pub(crate) fn facts_files(name: &str) -> Vec<PathBuf> {
    let root = format!("{}/../../standards/{name}", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(format!("{root}/cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.to_string_lossy().ends_with(".expected.json"))
        .collect();
    files.sort();
    files.insert(0, format!("{root}/demo.json").into());
    files
}
