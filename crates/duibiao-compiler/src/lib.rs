//! The duibiao compiler: resolves names, checks types and units, detects cycles and lowers a
//! standard to an immutable evaluation [`graph::Graph`], reporting every problem as a coded,
//! bilingual [`diagnostic::Diagnostic`].

mod analysis;
mod compile;
pub mod diagnostic;
pub mod fingerprint;
pub mod graph;
mod guide;
pub mod index;
mod kinds;
mod lower;
mod order;
mod rating;
pub mod render;
pub mod types;
pub mod value;

pub use compile::{analyze, compile, compile_with, Analysis, Compiled};
pub use diagnostic::{related_label, Diagnostic, DiagnosticKind, Severity};
pub use duibiao_syntax::SourceLimits;
pub use graph::Graph;
pub use lower::NO_TIER;
pub use render::Lang;
pub use types::{Dim, Type};
pub use value::Value;

/// The value and type of a quantity as written (`30%` is 0.3, a percentage; `15万元` is 150000 元).
pub fn literal_quantity(q: &duibiao_syntax::ast::Quantity) -> (Value, Type) {
    lower::quantity(q)
}
