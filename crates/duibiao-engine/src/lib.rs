//! The duibiao engine: loads facts against a compiled standard, evaluates whole forests of units
//! bottom-up in exact decimal arithmetic with three-valued logic, and reports every unit's score,
//! tiers, conditions and vetoes.

pub mod change;
pub mod diff;
pub mod eval;
pub mod explain;
pub mod facts;
pub mod gap;
mod grouped;
pub mod guides;
pub mod incremental;
mod index;
pub mod inputs;
mod layout;
mod limits;
pub mod outcome;
pub mod progress;
mod store;
mod tally;
#[cfg(test)]
mod testing;
pub mod texts;
pub mod tree;

pub use eval::{evaluate, evaluate_in_order, Context, Evaluation, Missing, MissingParam};
pub use facts::{load, load_reader, Facts, FactsError, FactsErrorKind, FactsLimit, FactsLimits};
pub use inputs::Inputs;
pub use outcome::{outcome, unit_outcome, Outcome, UnitOutcome, Verdict};
pub use store::UnitValues;
pub use texts::Texts;
pub use tree::{Unit, UnitTree};
