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
