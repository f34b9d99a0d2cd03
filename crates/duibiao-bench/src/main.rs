//! `duibiao-bench`: times compile, generation, load, full evaluation and incremental updates of
//! a generated haiyan-2021 forest, the engine against the hand-written reference and (unless
//! `--no-zen`) the zen-engine peer of `peers/zen`, which it builds with cargo first; prints a
//! table and one JSON line. Run in release: `cargo run --release -p duibiao-bench -- --units 100000`.

use clap::Parser;
use duibiao_bench::{default_standards, run, Options};
use std::path::PathBuf;
use std::process::ExitCode;

/// The allocator of the harness: it keeps the memory one timed run frees for the next (see
/// docs/performance.md, "Allocator").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Times the duibiao engine end to end on a generated haiyan-2021 forest.
#[derive(Debug, Parser)]
#[command(name = "duibiao-bench", version)]
struct Cli {
    /// Units in the generated forest.
    #[arg(long, value_name = "N")]
    units: usize,
    /// Threads for the engine's full evaluation: sets `RAYON_NUM_THREADS`, which the engine's
    /// evaluation pool follows where it evaluates in parallel (default: the environment's
    /// `RAYON_NUM_THREADS`, else every core). Loading, updates and the reference run on one thread.
    #[arg(long, value_name = "T")]
    threads: Option<usize>,
    /// Timings of each step to take the best of (default: 10^6 / N, at least 5 and at most 20).
    #[arg(long, value_name = "R")]
    runs: Option<usize>,
    /// Single-score changes applied to the live evaluation.
    #[arg(long, value_name = "K", default_value_t = 1000)]
    updates: usize,
    /// Seed of the forest and of the changes.
    #[arg(long, value_name = "S", default_value_t = 7)]
    seed: u64,
    /// Folder of the `.std` files (default: the repository's `standards/`).
    #[arg(long, value_name = "DIR")]
    standards: Option<PathBuf>,
    /// Also time the values and the full outcome, as `Standard::evaluate` computes them.
    #[arg(long)]
    outcome: bool,
    /// Skip the zen-engine peer (`peers/zen`), which is otherwise built with cargo and timed on
    /// the same forest.
    #[arg(long)]
    no_zen: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let threads = match cli.threads {
        Some(t) => {
            // Before any thread pool exists: nothing has run yet.
            std::env::set_var("RAYON_NUM_THREADS", t.to_string());
            t
        }
        None => std::env::var("RAYON_NUM_THREADS")
            .ok()
            .and_then(|v| v.parse().ok())
            .filter(|&t| t > 0)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
    };
    let opts = Options {
        units: cli.units,
        threads,
        runs: cli.runs,
        updates: cli.updates,
        seed: cli.seed,
        standards: cli.standards.unwrap_or_else(default_standards),
        outcome: cli.outcome,
        zen: !cli.no_zen,
    };
    match run(&opts) {
        Ok(report) => {
            println!("{}", report.table());
            println!("{}", report.json_line());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
