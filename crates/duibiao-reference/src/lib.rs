//! Reference evaluators: standards written directly in Rust, by hand, without the duibiao
//! engine.
//!
//! Each module encodes one `.std` file the way a programmer would for that one document: plain
//! structs, fixed arrays, one bottom-up pass. They serve two purposes:
//!
//! - **a speed yardstick**: what evaluating the standard costs when nothing is interpreted, so
//!   that the engine's overhead can be measured;
//! - **a differential oracle**: the tests in `tests/differential.rs` compare every unit's score
//!   and tier verdicts with the engine's on random forests.
//!
//! The semantics are those of the language reference (`docs/language.md`): exact decimal
//! points, three-valued (Kleene) logic, `all` over no sub-units is true, `share` over none is
//! unknown, and a `count` or `share` compared with a constant is decided whenever its unknown
//! members cannot change the answer (§23–24), as is a score compared with a threshold whenever
//! its unreported parts, at none or all of their points, cannot change it (§24).

pub mod haiyan;
