//! `duibiao-bench`: times compile, generation, load, full evaluation and incremental updates of
//! a generated haiyan-2021 forest, the engine against the hand-written reference and (unless
//! `--no-zen`) the zen-engine peer of `peers/zen`, which it builds with cargo first; prints a
//! table and one JSON line. Run in release: `cargo run --release -p duibiao-bench -- --units 100000`.

use clap::Parser;
use duibiao_bench::e2e::{self, EndToEnd};
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
    /// Threads for the engine's full evaluation and its loading: sets `RAYON_NUM_THREADS`, which
    /// the engine's pool follows where it evaluates or loads a large file in parallel (default: the
    /// environment's `RAYON_NUM_THREADS`, else every core). Updates and the reference run on one
    /// thread.
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
    /// The release `duibiao` binary to time end to end (default: `duibiao` beside this binary,
    /// when it is there).
    #[arg(long, value_name = "PATH")]
    cli: Option<PathBuf>,
    /// Skip the end-to-end step (the command line as a process).
    #[arg(long)]
    no_e2e: bool,
}

/// The command line to time end to end, unless told not to or not found.
fn end_to_end(cli: &Cli) -> Option<EndToEnd> {
    if cli.no_e2e {
        return None;
    }
    let helper = std::env::current_exe().ok()?;
    let binary = match &cli.cli {
        Some(p) => p.clone(),
        None => {
            let beside = helper.with_file_name("duibiao");
            if !beside.is_file() {
                eprintln!(
                    "duibiao-bench: no `{}`, the end-to-end step is skipped (build it with `cargo build --release -p duibiao-cli`, or give --cli)",
                    beside.display()
                );
                return None;
            }
            beside
        }
    };
    Some(EndToEnd {
        cli: binary,
        helper,
    })
}

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    if args.next().is_some_and(|a| a == e2e::MEASURE_FLAG) {
        // The helper of the end-to-end step: run one command and say what it cost.
        return match e2e::helper(args) {
            Ok(r) => {
                println!("{}", r.line());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(1)
            }
        };
    }
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
    let e2e = end_to_end(&cli);
    let opts = Options {
        units: cli.units,
        threads,
        runs: cli.runs,
        updates: cli.updates,
        seed: cli.seed,
        standards: cli.standards.unwrap_or_else(default_standards),
        outcome: cli.outcome,
        zen: !cli.no_zen,
        e2e,
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
