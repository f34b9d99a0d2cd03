//! `duibiao-zen-peer --facts FILE [--runs R] [--decision JDM]`: evaluates every unit of a haiyan-2021 facts file
//! with the zen-engine decision graph and prints one JSON line:
//!
//! ```text
//! {"zen_s": 1.234, "units": 100000, "runs": 3, "tiers": "DS-…"}
//! ```
//!
//! `zen_s` is the best of `R` full evaluations (every unit, bottom-up, with the tallies passed
//! up), in seconds; parsing the file and loading the decision are not timed. `tiers` has one
//! character per unit, in input order: `D` 示范型, `S` 标准型 only, `-` neither.
//!
//! `--decision` evaluates another JDM file in place of the embedded `haiyan-2021.json` (to try
//! variants of the graph; it must take the same input and give the same two verdicts).

use duibiao_reference::haiyan::Forest;
use duibiao_zen_peer::{tiers, Peer};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// The same allocator as the harness's, so that the engine, the reference and the peer are timed alike.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage: duibiao-zen-peer --facts FILE [--runs R] [--decision JDM]";

/// The command line.
struct Args {
    facts: String,
    runs: usize,
    decision: Option<String>,
}

fn args() -> Result<Args, String> {
    let mut facts = None;
    let mut runs = 1usize;
    let mut decision = None;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--facts" => facts = Some(it.next().ok_or("--facts needs a file")?),
            "--runs" => {
                let r = it.next().ok_or("--runs needs a number")?;
                runs =
                    r.parse().ok().filter(|&r| r > 0).ok_or_else(|| {
                        format!("--runs: `{r}` is not a number of runs (1 or more)")
                    })?;
            }
            "--decision" => decision = Some(it.next().ok_or("--decision needs a file")?),
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unexpected argument `{other}`\n{USAGE}")),
        }
    }
    let facts = facts.ok_or_else(|| format!("--facts is required\n{USAGE}"))?;
    Ok(Args {
        facts,
        runs,
        decision,
    })
}

fn run() -> Result<String, String> {
    let args = args()?;
    let text = std::fs::read_to_string(&args.facts)
        .map_err(|e| format!("cannot read `{}`: {e}", args.facts))?;
    let forest = Forest::from_json(&text).map_err(|e| format!("`{}`: {e}", args.facts))?;
    let peer = match &args.decision {
        None => Peer::new(),
        Some(path) => {
            let jdm =
                std::fs::read_to_string(path).map_err(|e| format!("cannot read `{path}`: {e}"))?;
            Peer::from_json(&jdm)
        }
    }
    .map_err(|e| e.to_string())?;
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..args.runs {
        drop(last.take());
        let start = Instant::now();
        let verdicts = peer.evaluate_forest(&forest).map_err(|e| e.to_string())?;
        best = best.min(start.elapsed());
        last = Some(verdicts);
    }
    let verdicts = last.ok_or("no run was made")?;
    Ok(format!(
        "{{\"zen_s\": {}, \"units\": {}, \"runs\": {}, \"tiers\": \"{}\"}}",
        best.as_secs_f64(),
        verdicts.len(),
        args.runs,
        tiers(&verdicts)
    ))
}

fn main() -> ExitCode {
    match run() {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("duibiao-zen-peer: {e}");
            ExitCode::from(1)
        }
    }
}
