//! The language server of the duibiao standards language, `duibiao lsp`: diagnostics as the
//! writer types (in the client's language, Chinese by default), hover on a name showing its
//! description, type, unit and cited clause, go to definition and find references, completion of
//! keywords in both languages and of the names in scope, the standard's outline, and quick fixes
//! for what the compiler knows how to fix. Built on rust-analyzer's `lsp-server` and
//! `lsp-types`, over standard input and output; see `docs/lsp.md`.
//!
//! Everything it knows about a standard comes from the compiler ([`duibiao_compiler::analyze`]):
//! its diagnostics, its resolution of names, its types.

mod complete;
mod diagnostics;
mod document;
pub mod format;
pub mod line_index;
mod navigate;
mod server;
mod symbols;

pub use duibiao_compiler::Lang;
pub use line_index::LineIndex;
pub use server::{capabilities, lang_of, run, Error, Options};

/// Runs the server over standard input and output until the client shuts it down.
pub fn run_stdio(options: Options) -> Result<(), Error> {
    let (connection, io_threads) = lsp_server::Connection::stdio();
    run(&connection, options)?;
    drop(connection);
    io_threads.join()?;
    Ok(())
}
