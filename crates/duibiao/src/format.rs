//! The formatter of `.std` files ([`duibiao_fmt`]), its syntax errors said as problems.

use crate::{Limits, Problem, Problems};
use duibiao_compiler::Diagnostic;

/// The text of the `.std` file named `file` in its one canonical layout, within `limits`: every
/// keyword in the language it was written in, strings, numbers and comments kept where they
/// were (see `docs/fmt.md`). A file that does not parse is not formatted: its problems are the
/// ones [`crate::Standard::compile`] reports for it.
pub fn format_standard(file: &str, source: &str, limits: &Limits) -> Result<String, Problems> {
    duibiao_fmt::format_with(source, &limits.source()).map_err(|errors| {
        let diagnostics: Vec<Diagnostic> = errors.into_iter().map(Diagnostic::from).collect();
        Problems(Problem::of_diagnostics(&diagnostics, file, source))
    })
}
