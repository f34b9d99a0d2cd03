//! The end-to-end performance harness of duibiao (issue 5): in one run, on a generated
//! haiyan-2021 forest of N units, it times
//!
//! 1. compiling every standard in `standards/*.std`;
//! 2. generating the forest (`duibiao::generate::write_forest` into memory; reported, not part
//!    of any ratio);
//! 3. loading it: the engine's `Standard::load_facts` and the reference's `Forest::from_json`;
//! 4. evaluating it in full: the engine's values (`duibiao_engine::evaluate`, as
//!    `Standard::evaluate` calls it before building the outcome), the engine's
//!    `incremental::Live::new` (the same evaluation plus the incremental state, as
//!    `Standard::live` makes it, on a clone of the forest made outside the timed region) and the
//!    reference's `evaluate_forest` on its parsed forest; the engine and the reference must agree
//!    on every unit's tier;
//! 5. incremental updates: single-score changes to random units through the engine's
//!    `incremental::Live::assign`, in rounds of [`Options::updates`] changes, the best round's
//!    mean kept;
//! 6. the peak resident set size (`VmHWM`);
//! 7. with [`Options::zen`], the zen-engine peer's full evaluation of the same forest (module
//!    [`zen`]), which must also agree with the engine on every unit's tier;
//! 8. with [`Options::e2e`], the release command line end to end (module [`e2e`]): `duibiao eval`
//!    of the forest written to a file, `--format json` and the table, each output to a file, as
//!    a process (wall time and peak resident set size); and where its time goes, the command's
//!    steps done in this process one by one (module [`breakdown`]: read, load, evaluate, render,
//!    write).
//!
//! [`run`] does the work and returns a [`Report`]; [`Report::table`] and [`Report::json_line`]
//! print it. Run it with `cargo run --release -p duibiao-bench -- --units N`.
//!
//! The facade (`duibiao`) compiles, generates and loads; the steps that time the engine's
//! internals (its evaluation graph, forest, raw values and incremental state, which the facade
//! does not expose) use `duibiao-compiler` and `duibiao-engine` directly, on the graph of the same
//! text and a forest the engine's loader reads from the same facts.

use std::path::{Path, PathBuf};

pub mod breakdown;
pub mod e2e;
pub mod zen;

mod agree;
mod change;
mod report;
mod run;

pub use report::{E2eReport, Report};
pub use run::{peak_rss_mb, run};

/// The standard the forest is drawn from and evaluated against.
pub const STANDARD: &str = "haiyan-2021";

/// The `standards/` folder of the repository this crate was built in.
pub fn default_standards() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../standards")
}

/// What to run.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Units in the forest.
    pub units: usize,
    /// Threads the engine's full evaluation may use (reported; the binary passes it to the
    /// engine's pool through `RAYON_NUM_THREADS`, [`run`] itself does not set it).
    pub threads: usize,
    /// Timings of each step to take the best of; `None`: [`Options::runs`]'s default.
    pub runs: Option<usize>,
    /// Single-score changes applied through the engine's `Live::assign` in each timed round (and
    /// as many through `Live::set`).
    pub updates: usize,
    /// The seed of the forest and of the changes.
    pub seed: u64,
    /// The folder holding the `.std` files.
    pub standards: PathBuf,
    /// Also time the values and the full outcome (every unit's conditions and verdicts), as
    /// `Standard::evaluate` computes them.
    pub outcome: bool,
    /// Also build and time the zen-engine peer (`peers/zen`, see [`zen`]); when it cannot be
    /// built, say why on stderr and leave `zen_s` out.
    pub zen: bool,
    /// Also time the release command line end to end, and its steps ([`e2e`], [`breakdown`]).
    pub e2e: Option<e2e::EndToEnd>,
}

impl Options {
    /// The defaults for `units` units.
    pub fn new(units: usize) -> Self {
        Options {
            units,
            threads: 1,
            runs: None,
            updates: 1000,
            seed: 7,
            standards: default_standards(),
            outcome: false,
            zen: false,
            e2e: None,
        }
    }

    /// How many timings of each step are taken: as asked, else more for a smaller forest, whose
    /// steps take milliseconds and vary with the host as much as they last (10^6 / units, at
    /// least 5 and at most 20: 20 at 10^4 units, 10 at 10^5, 5 at 10^6). The first timing of a
    /// large forest pays for memory the process has not used before, so at least four more.
    pub fn runs(&self) -> usize {
        self.runs
            .unwrap_or_else(|| (1_000_000 / self.units.max(1)).clamp(5, 20))
            .max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::change::points;
    use super::report::number;

    #[test]
    fn numbers_are_json() {
        assert_eq!(number(0.0123456), "0.01235");
        assert_eq!(number(123.44), "123.4");
        assert_eq!(number(123456.0), "123456");
        assert_eq!(number(f64::INFINITY), "null");
        assert_eq!(points(17), "8.5");
        assert_eq!(points(20), "10");
    }
}
