//! Shared helpers for the cross-crate tests: where the repository is, and loading its standards.

use std::path::{Path, PathBuf};

/// The repository's root directory.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Reads a file of the repository, by path relative to its root.
pub fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
}

/// Compiles `standards/<slug>.std`, failing the test with its diagnostics if it does not compile.
pub fn standard(slug: &str) -> duibiao::Standard {
    let rel = format!("standards/{slug}.std");
    duibiao::Standard::compile(&rel, &read(&rel))
        .unwrap_or_else(|e| panic!("{rel} does not compile:\n{}", e.render(duibiao::Lang::En)))
}

/// Small random forests for property tests, drawn by [`duibiao::generate`].
pub mod generate {
    use duibiao::generate::Shape;
    use duibiao::Standard;
    use serde_json::Value;

    pub use duibiao::generate::Rng;

    /// A small random forest of `std`: 8 to 47 units (by the seed), 0 to 4 sub-units of each
    /// contained kind per parent, scores and facts filled with plausible values, vetoes one time
    /// in ten, and `missing` percent of the values left out.
    pub fn forest(std: &Standard, seed: u64, missing: u64) -> Value {
        let graph = std.graph();
        let fanout = (0..graph.kinds.len() as u32)
            .filter(|k| graph.kinds.iter().any(|p| p.children.contains(k)))
            .map(|k| (graph.kinds[k as usize].name.clone(), (0, 4)))
            .collect();
        let shape = Shape {
            fanout,
            missing: missing as f64,
            veto: 10.0,
            as_of: None,
        };
        duibiao::generate::forest(graph, 8 + (seed % 40) as usize, seed, &shape)
    }
}
