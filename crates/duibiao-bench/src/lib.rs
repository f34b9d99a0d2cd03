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
//!    [`zen`]), which must also agree with the engine on every unit's tier.
//!
//! [`run`] does the work and returns a [`Report`]; [`Report::table`] and [`Report::json_line`]
//! print it. Run it with `cargo run --release -p duibiao-bench -- --units N`.
//!
//! The facade (`duibiao`) compiles, generates and loads; the steps that time the engine's
//! internals (its evaluation graph, forest, raw values and incremental state, which the facade
//! does not expose) use `duibiao-compiler` and `duibiao-engine` directly, on the graph of the same
//! text and a forest the engine's loader reads from the same facts.

use duibiao::generate::{write_forest, Rng, Shape};
use duibiao::Standard;
use duibiao_compiler::graph::InputOrigin;
use duibiao_compiler::{Graph, Value};
use duibiao_engine::incremental::Live;
use duibiao_engine::{Context, UnitTree};
use duibiao_reference::haiyan::{self, Forest};
use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub mod zen;

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

/// What a run measured. Times are in seconds, the best of [`Report::runs`] timings.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Units in the forest.
    pub units: usize,
    /// Size of the facts file, in bytes.
    pub bytes: usize,
    /// Timings taken of each step.
    pub runs: usize,
    /// Threads asked for.
    pub threads: usize,
    /// The standards compiled.
    pub standards: Vec<String>,
    /// Compiling all of them.
    pub compile_s: f64,
    /// Generating the forest's text.
    pub generate_s: f64,
    /// `Standard::load_facts`.
    pub engine_load_s: f64,
    /// The reference's `Forest::from_json`.
    pub reference_load_s: f64,
    /// The engine's values: `duibiao_engine::evaluate` (with its `Context`).
    pub engine_s: f64,
    /// Every unit's own rules alone, on one thread, in bottom-up order
    /// (`duibiao_engine::eval::reevaluate_units` over every unit).
    pub units_s: f64,
    /// The whole forest's own rules alone (`overall` targets; `evaluate_overall`).
    pub overall_s: f64,
    /// The engine's `incremental::Live::new` (with its `Context`), as `Standard::live` makes it,
    /// on a clone of the forest made before timing.
    pub live_s: f64,
    /// The values and the outcome (`duibiao_engine::evaluate` and `duibiao_engine::outcome`, as
    /// `Standard::evaluate` calls them), when asked for.
    pub outcome_s: Option<f64>,
    /// The reference's `evaluate_forest`.
    pub reference_s: f64,
    /// The zen-engine peer's full evaluation, when it was run.
    pub zen_s: Option<f64>,
    /// Single-score changes in each timed round.
    pub updates: usize,
    /// Mean time of one engine `Live::assign` (the best round's: see [`Report::runs`]).
    pub update_s: f64,
    /// Mean time of one engine `Live::set` (unit, slot and value resolved beforehand; the best
    /// round's).
    pub set_s: f64,
    /// Mean number of units one change evaluated again.
    pub update_units: f64,
    /// Units at each tier, as both evaluators found them: 示范型, 标准型 only, neither.
    pub tiers: [usize; 3],
    /// Peak resident set size of the process, in MB (`VmHWM`); `None` where unavailable.
    pub peak_rss_mb: Option<f64>,
}

impl Report {
    /// Engine over reference, full evaluation.
    pub fn engine_over_reference(&self) -> f64 {
        self.engine_s / self.reference_s
    }

    /// The zen-engine peer over the engine, full evaluation.
    pub fn zen_over_engine(&self) -> Option<f64> {
        self.zen_s.map(|z| z / self.engine_s)
    }

    /// A full evaluation over one incremental update.
    pub fn full_over_incremental(&self) -> f64 {
        self.engine_s / self.update_s
    }

    /// The engine's loading speed, in MB (10^6 bytes) of JSON per second.
    pub fn load_mb_s(&self) -> f64 {
        self.bytes as f64 / 1e6 / self.engine_load_s
    }

    /// The one-line JSON summary.
    pub fn json_line(&self) -> String {
        format!(
            "{{\"units\": {}, \"engine_s\": {}, \"reference_s\": {}, \"zen_s\": {}, \"engine_over_reference\": {}, \"zen_over_engine\": {}, \"full_over_incremental\": {}, \"load_mb_s\": {}, \"peak_rss_mb\": {}, \"threads\": {}}}",
            self.units,
            number(self.engine_s),
            number(self.reference_s),
            self.zen_s.map_or("null".to_string(), number),
            number(self.engine_over_reference()),
            self.zen_over_engine().map_or("null".to_string(), number),
            number(self.full_over_incremental()),
            number(self.load_mb_s()),
            self.peak_rss_mb.map_or("null".to_string(), number),
            self.threads,
        )
    }

    /// The readable table.
    pub fn table(&self) -> String {
        let n = self.units.max(1) as f64;
        let mb = self.bytes as f64 / 1e6;
        let mut t = String::new();
        let _ = writeln!(
            t,
            "duibiao-bench: {} units of {STANDARD} ({mb:.1} MB of JSON), best of {} run{}, threads {} (the engine's full evaluation only; load, updates and the reference use one)",
            self.units,
            self.runs,
            if self.runs == 1 { "" } else { "s" },
            self.threads,
        );
        let _ = writeln!(t);
        let _ = writeln!(t, "{:<46} {:>11} {:>11}  note", "step", "time", "per unit");
        let _ = writeln!(t, "{}", "-".repeat(96));
        let mut row = |name: &str, s: f64, per_unit: bool, note: String| {
            let per = if per_unit {
                duration(s / n)
            } else {
                String::new()
            };
            let _ = writeln!(t, "{name:<46} {:>11} {per:>11}  {note}", duration(s));
        };
        row(
            &format!("compile {} standards", self.standards.len()),
            self.compile_s,
            false,
            self.standards.join(", "),
        );
        row(
            "generate forest",
            self.generate_s,
            true,
            "not in any ratio".into(),
        );
        row(
            "load: engine Standard::load_facts",
            self.engine_load_s,
            true,
            format!("{:.1} MB/s", self.load_mb_s()),
        );
        row(
            "load: reference Forest::from_json",
            self.reference_load_s,
            true,
            format!("{:.1} MB/s", mb / self.reference_load_s),
        );
        row(
            "evaluate: engine values (engine_s)",
            self.engine_s,
            true,
            "duibiao_engine::evaluate".into(),
        );
        row(
            "  of which: every unit's rules, 1 thread",
            self.units_s,
            true,
            format!(
                "reevaluate_units in bottom-up order: {:.2}x the reference",
                self.units_s / self.reference_s
            ),
        );
        row(
            "  of which: forest-wide (overall) targets",
            self.overall_s,
            true,
            "evaluate_overall, 1 thread; the reference has none".into(),
        );
        row(
            "evaluate: engine Live::new",
            self.live_s,
            true,
            "values + incremental state; forest clone not timed".into(),
        );
        if let Some(o) = self.outcome_s {
            row(
                "evaluate: engine values + outcome",
                o,
                true,
                "evaluate + outcome, as Standard::evaluate".into(),
            );
        }
        row(
            "evaluate: reference evaluate_forest",
            self.reference_s,
            true,
            "hand-written, on its parsed forest".into(),
        );
        if let Some(z) = self.zen_s {
            row(
                "evaluate: zen-engine peer",
                z,
                true,
                "peers/zen: JDM decision graph per unit, 1 thread".into(),
            );
        }
        row(
            &format!("incremental: Live::assign (mean of {})", self.updates),
            self.update_s,
            false,
            format!("{:.1} units evaluated again per change", self.update_units),
        );
        row(
            &format!("incremental: Live::set (mean of {})", self.updates),
            self.set_s,
            false,
            "unit, slot and value resolved beforehand".into(),
        );
        let _ = writeln!(t, "{}", "-".repeat(96));
        let _ = writeln!(
            t,
            "engine / reference (full evaluation)           {:>10.2}x",
            self.engine_over_reference()
        );
        if let Some(r) = self.zen_over_engine() {
            let _ = writeln!(
                t,
                "zen-engine peer / engine (full evaluation)     {r:>10.1}x"
            );
        }
        let _ = writeln!(
            t,
            "full evaluation / incremental update           {:>10.0}x",
            self.full_over_incremental()
        );
        let _ = writeln!(
            t,
            "peak RSS (VmHWM)                               {:>11}",
            self.peak_rss_mb
                .map_or("n/a".to_string(), |m| format!("{m:.1} MB"))
        );
        let _ = writeln!(
            t,
            "tiers (engine = reference on every unit): 示范型 {}, 标准型 {}, neither {}",
            self.tiers[0], self.tiers[1], self.tiers[2]
        );
        if self.zen_s.is_some() {
            let _ = write!(t, "zen-engine peer = engine on every unit's tier");
        } else {
            let _ = write!(t, "zen-engine peer: not run (zen_s null)");
        }
        t
    }
}

/// A number for the JSON line: four significant digits, `null` when not finite.
fn number(x: f64) -> String {
    if !x.is_finite() {
        return "null".to_string();
    }
    if x == 0.0 {
        return "0".to_string();
    }
    let decimals = (3 - x.abs().log10().floor() as i64).clamp(0, 12) as usize;
    format!("{x:.decimals$}")
}

/// A duration in seconds, in a readable unit.
fn duration(s: f64) -> String {
    if !s.is_finite() {
        "n/a".to_string()
    } else if s >= 1.0 {
        format!("{s:.3} s")
    } else if s >= 1e-3 {
        format!("{:.2} ms", s * 1e3)
    } else if s >= 1e-6 {
        format!("{:.2} µs", s * 1e6)
    } else {
        format!("{:.0} ns", s * 1e9)
    }
}

/// The best of `runs` timings of `f`, and its last result.
fn best<T>(runs: usize, mut f: impl FnMut() -> Result<T, String>) -> Result<(f64, T), String> {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs.max(1) {
        // The previous result is dropped before the next run, not during it.
        drop(last.take());
        let start = Instant::now();
        let r = f()?;
        best = best.min(start.elapsed());
        last = Some(r);
    }
    let last = last.ok_or("no run was made")?;
    Ok((best.as_secs_f64(), last))
}

/// The peak resident set size of this process in MB, from `VmHWM` in `/proc/self/status`.
pub fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line
        .trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

/// Every `.std` file of `dir`: name and text, by name.
fn read_standards(dir: &Path) -> Result<Vec<(String, String)>, String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read the standards folder `{}`: {e}", dir.display()))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "std"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p)
                .map_err(|e| format!("cannot read `{}`: {e}", p.display()))?;
            let name = p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok((name, text))
        })
        .collect()
}

/// The name of the highest tier unit `u` passes in `eval`, as the engine's outcome names it.
fn engine_tier<'g>(
    graph: &'g Graph,
    tree: &UnitTree,
    eval: &duibiao_engine::Evaluation,
    u: usize,
) -> Option<&'g str> {
    let kg = graph.kinds.get(tree.units.get(u)?.kind as usize)?;
    let values = eval.unit(tree, u);
    kg.tiers
        .iter()
        .rev()
        .find(|t| values.get(t.node) == Value::Bool(true))
        .map(|t| t.name.as_str())
}

/// Checks that the engine and the reference give every unit the same tier; counts the tiers.
fn agree(
    graph: &Graph,
    tree: &UnitTree,
    eval: &duibiao_engine::Evaluation,
    reference: &[haiyan::UnitResult<'_>],
) -> Result<[usize; 3], String> {
    if tree.units.len() != reference.len() {
        return Err(format!(
            "the engine and the reference disagree on the forest: the engine has {} units, the reference {}",
            tree.units.len(),
            reference.len()
        ));
    }
    let mut tiers = [0usize; 3];
    let mut wrong = Vec::new();
    for (u, (unit, r)) in tree.units.iter().zip(reference).enumerate() {
        if unit.id != r.id {
            return Err(format!(
                "the engine and the reference disagree on the order of units: unit {u} is `{}` to the engine, `{}` to the reference",
                unit.id, r.id
            ));
        }
        let e = engine_tier(graph, tree, eval, u);
        let re = r.tier.map(haiyan::Tier::name);
        if e != re {
            wrong.push(format!(
                "`{}` ({}): engine {}, reference {}",
                unit.id,
                r.kind.name(),
                e.unwrap_or("no tier"),
                re.unwrap_or("no tier")
            ));
        }
        tiers[match re {
            Some(t) if t == haiyan::Tier::Demonstration.name() => 0,
            Some(_) => 1,
            None => 2,
        }] += 1;
    }
    disagreement("the reference", &wrong, tree.units.len()).map(|()| tiers)
}

/// `Ok` when no unit's tier differs between the engine and `other`; else an error naming how
/// many differ and the first ten (`wrong`: one line per unit).
fn disagreement(other: &str, wrong: &[String], units: usize) -> Result<(), String> {
    if wrong.is_empty() {
        return Ok(());
    }
    let shown: Vec<&str> = wrong.iter().take(10).map(String::as_str).collect();
    Err(format!(
        "the engine and {other} disagree on the tier of {} of {units} units; first: {}",
        wrong.len(),
        shown.join("; ")
    ))
}

/// The score slots of each kind: slot and the most points, in halves.
fn score_slots(graph: &Graph) -> Vec<Vec<(usize, u64)>> {
    graph
        .kinds
        .iter()
        .map(|k| {
            k.inputs
                .iter()
                .enumerate()
                .filter_map(|(slot, i)| match &i.origin {
                    InputOrigin::Points { max } => {
                        let halves = max.to_string().parse::<f64>().ok()? * 2.0;
                        (halves >= 1.0).then_some((slot, halves.floor() as u64))
                    }
                    InputOrigin::Fact => None,
                })
                .collect()
        })
        .collect()
}

/// `halves / 2` as a facts-file number.
fn points(halves: u64) -> String {
    if halves & 1 == 0 {
        (halves / 2).to_string()
    } else {
        format!("{}.5", halves / 2)
    }
}

/// A random single-score change to `live`: the assignment `ID.KEY=VALUE`, the unit, the slot
/// and the new value in halves (always another value than the unit has).
fn change(
    live: &Live,
    graph: &Graph,
    slots: &[Vec<(usize, u64)>],
    rng: &mut Rng,
) -> Result<(String, usize, usize, u64), String> {
    let tree = live.tree();
    let mut pick = None;
    for _ in 0..10_000 {
        let u = rng.below(tree.units.len() as u64) as usize;
        let kind = tree.units.get(u).map_or(0, |x| x.kind as usize);
        if let Some(ks) = slots.get(kind).filter(|s| !s.is_empty()) {
            let (slot, most) = ks[rng.below(ks.len() as u64) as usize];
            pick = Some((u, slot, most));
            break;
        }
    }
    let (u, slot, most) = pick.ok_or("found no scored unit to change")?;
    let unit = &tree.units[u];
    let now = match unit.inputs.get(slot) {
        Some(Value::Num(d)) => d.to_string().parse::<f64>().ok(),
        _ => None,
    };
    let mut halves = rng.below(most + 1);
    if now == Some(halves as f64 / 2.0) {
        halves = (halves + 1) % (most + 1);
    }
    let key = &graph.kinds[unit.kind as usize].inputs[slot].key;
    Ok((
        format!("{}.{key}={}", unit.id, points(halves)),
        u,
        slot,
        halves,
    ))
}

/// Runs every step; an error says what went wrong (a standard that does not compile, a forest
/// that does not load, the engine and the reference disagreeing …).
pub fn run(opts: &Options) -> Result<Report, String> {
    if opts.units == 0 {
        return Err("--units must be at least 1".into());
    }
    if opts.threads == 0 {
        return Err("--threads must be at least 1".into());
    }
    let runs = opts.runs();

    // 0. Build the zen-engine peer before anything is timed.
    let zen_peer = if opts.zen {
        zen::build(&zen::peer_dir())
            .map_err(|e| eprintln!("duibiao-bench: no zen-engine peer, zen_s stays null: {e}"))
            .ok()
    } else {
        None
    };

    // 1. Compile every standard.
    let sources = read_standards(&opts.standards)?;
    if sources.is_empty() {
        return Err(format!("no `.std` files in `{}`", opts.standards.display()));
    }
    let (compile_s, compiled) = best(runs, || {
        sources
            .iter()
            .map(|(name, text)| {
                Standard::compile(&format!("{name}.std"), text)
                    .map(|s| (name.clone(), s))
                    .map_err(|e| {
                        format!(
                            "`{name}.std` does not compile:\n{}",
                            e.render(duibiao::Lang::En)
                        )
                    })
            })
            .collect::<Result<Vec<_>, String>>()
    })?;
    let standards: Vec<String> = compiled.iter().map(|(n, _)| n.clone()).collect();
    let std = compiled
        .into_iter()
        .find(|(n, _)| n == STANDARD)
        .map(|(_, s)| s)
        .ok_or_else(|| format!("no `{STANDARD}.std` in `{}`", opts.standards.display()))?;
    let shared = engine_graph(&std)?;
    let graph: &Graph = &shared;

    // 2. Generate the forest.
    let (generate_s, text) = best(runs, || {
        let mut out = Vec::new();
        write_forest(&std, opts.units, opts.seed, &Shape::default(), &mut out)
            .map_err(|e| format!("cannot generate the forest: {e}"))?;
        String::from_utf8(out).map_err(|e| format!("the generated forest is not UTF-8: {e}"))
    })?;

    // 3. Load.
    let (engine_load_s, loaded) = best(runs, || Ok(std.load_facts(&text)))?;
    let (loaded, problems) = loaded;
    if let Some(first) = problems.first() {
        return Err(format!(
            "the engine found {} problems loading the generated forest; first: {first}",
            problems.len(),
        ));
    }
    if loaded.len() != opts.units {
        return Err(format!(
            "the engine loaded {} units of the {} generated",
            loaded.len(),
            opts.units
        ));
    }
    // The engine's own forest of the same text, for the steps below (read by the loader
    // `Standard::load_facts` wraps; the facade's facts are dropped first, so that the two forests
    // are never held at once).
    drop(loaded);
    let (facts, errors) = duibiao_engine::facts::load(graph, &text, &Default::default());
    if let Some(first) = errors.first() {
        return Err(format!(
            "the engine's loader found {} problems in the generated forest; first: {}",
            errors.len(),
            first.message_en()
        ));
    }
    if facts.tree.units.len() != opts.units {
        return Err(format!(
            "the engine's loader read {} units of the {} generated",
            facts.tree.units.len(),
            opts.units
        ));
    }
    let (reference_load_s, forest) = best(runs, || {
        Forest::from_json(&text).map_err(|e| format!("the reference cannot parse the forest: {e}"))
    })?;

    // 4. Evaluate in full.
    let (reference_s, results) = best(runs, || {
        Ok(haiyan::evaluate_forest(&forest, &forest.params))
    })?;
    let (engine_s, eval) = best(runs, || {
        let ctx = Context::new(graph, &facts.params, facts.as_of).map_err(|m| missing(&m))?;
        Ok(duibiao_engine::evaluate(graph, &facts.tree, &ctx))
    })?;
    let tiers = agree(graph, &facts.tree, &eval, &results)?;
    // What the full evaluation is made of: every unit's own rules, on this thread, in the
    // bottom-up order (what the reference computes), and the whole forest's own rules (its
    // `overall` targets, which the reference does not compute).
    let ctx = Context::new(graph, &facts.params, facts.as_of).map_err(|m| missing(&m))?;
    let (units_s, by_unit) = best(runs, || {
        let mut e = duibiao_engine::Evaluation::new(graph, &facts.tree);
        duibiao_engine::eval::reevaluate_units(
            graph,
            &facts.tree,
            &ctx,
            &mut e,
            facts.tree.bottom_up(),
        );
        Ok(e)
    })?;
    if (0..facts.tree.units.len())
        .any(|u| by_unit.unit(&facts.tree, u) != eval.unit(&facts.tree, u))
    {
        return Err(
            "evaluating unit by unit in order gives other values than the full evaluation".into(),
        );
    }
    drop(by_unit);
    let mut overall = eval.clone();
    let (overall_s, ()) = best(runs, || {
        duibiao_engine::eval::evaluate_overall(graph, &facts.tree, &ctx, &mut overall);
        Ok(())
    })?;
    if overall.overall != eval.overall {
        return Err("the whole forest's rules evaluated again give other values".into());
    }
    drop(overall);
    // 7. The zen-engine peer, on the same text, as another process.
    let zen_s = match &zen_peer {
        Some(binary) => Some(zen::measure(
            binary,
            &text,
            runs,
            graph,
            &facts.tree,
            &eval,
        )?),
        None => None,
    };
    drop(results);
    drop(eval);
    drop(forest);
    let bytes = text.len();
    drop(text);

    let outcome_s = if opts.outcome {
        let (s, outcome) = best(runs, || {
            let ctx = Context::new(graph, &facts.params, facts.as_of).map_err(|m| missing(&m))?;
            let eval = duibiao_engine::evaluate(graph, &facts.tree, &ctx);
            Ok(duibiao_engine::outcome(
                graph,
                std.fingerprint(),
                &facts.tree,
                &eval,
                &ctx,
                false,
            ))
        })?;
        black_box(outcome.units.len());
        drop(outcome);
        Some(s)
    } else {
        None
    };

    // `Live::new` consumes its forest: each timing gets a clone made beforehand.
    let mut live_s = f64::INFINITY;
    let mut live = None;
    for _ in 0..runs {
        drop(live.take());
        let copy = facts.tree.clone();
        let start = Instant::now();
        let ctx = Context::new(graph, &facts.params, facts.as_of).map_err(|m| missing(&m))?;
        let l = Live::new(Arc::clone(&shared), copy, ctx);
        live_s = live_s.min(start.elapsed().as_secs_f64());
        live = Some(l);
    }
    drop(facts);
    let mut live = live.ok_or("no run was made")?;

    // 5. Incremental updates: one score of a random unit to another value within its range,
    // through `Live::assign` (the measured figure), then as many through `Live::set` with the
    // unit, slot and value resolved beforehand (what re-evaluating alone costs).
    let slots = score_slots(graph);
    if slots.iter().all(Vec::is_empty) {
        return Err(format!("`{STANDARD}` has no scores to change"));
    }
    let mut rng = Rng(opts.seed ^ 0x5DEE_CE66_D1CE_5EED);
    // Like every other step, timed `runs` times (rounds of `updates` changes each, one after
    // another): the best round's mean is kept.
    let updates = opts.updates.max(1) as f64;
    let (mut update_s, mut set_s) = (f64::INFINITY, f64::INFINITY);
    let mut evaluated = 0usize;
    for _ in 0..runs {
        let mut spent = Duration::ZERO;
        for _ in 0..opts.updates {
            let (assignment, _, _, _) = change(&live, graph, &slots, &mut rng)?;
            let start = Instant::now();
            let done = live.assign(&assignment);
            spent += start.elapsed();
            let (_, n) =
                done.map_err(|e| format!("`{assignment}` was refused: {}", e.message_en()))?;
            evaluated += n;
        }
        update_s = update_s.min(spent.as_secs_f64() / updates);
    }
    for _ in 0..runs {
        let mut spent = Duration::ZERO;
        for _ in 0..opts.updates {
            let (assignment, u, slot, halves) = change(&live, graph, &slots, &mut rng)?;
            let ty = graph.kinds[live.tree().units[u].kind as usize].inputs[slot].ty;
            let json = serde_json::Value::from(halves as f64 / 2.0);
            let v = duibiao_engine::facts::parse_value(graph, ty, &json)
                .ok()
                .flatten()
                .ok_or_else(|| format!("`{assignment}`: the value does not fit"))?;
            let start = Instant::now();
            black_box(live.set(u, slot, v));
            spent += start.elapsed();
        }
        set_s = set_s.min(spent.as_secs_f64() / updates);
    }

    // The changed forest, evaluated in full, must give what the updates left.
    let ctx = live.context().clone();
    let fresh = duibiao_engine::evaluate(graph, live.tree(), &ctx);
    if fresh != *live.evaluation() {
        return Err(
            "after the changes, the incremental evaluation differs from a full evaluation of the changed forest".into(),
        );
    }
    drop(fresh);

    Ok(Report {
        units: opts.units,
        bytes,
        runs,
        threads: opts.threads,
        standards,
        compile_s,
        generate_s,
        engine_load_s,
        reference_load_s,
        engine_s,
        units_s,
        overall_s,
        live_s,
        outcome_s,
        reference_s,
        zen_s,
        updates: opts.updates,
        update_s,
        update_units: evaluated as f64 / (updates * runs as f64),
        set_s,
        tiers,
        peak_rss_mb: peak_rss_mb(),
    })
}

/// The engine's evaluation graph of `std`: its text compiled again by the compiler, which must
/// give the graph of the same fingerprint.
fn engine_graph(std: &Standard) -> Result<Arc<Graph>, String> {
    let compiled = duibiao_compiler::compile(std.source());
    if compiled.fingerprint.as_deref() != Some(std.fingerprint()) {
        return Err(format!(
            "`{}`: the compiler gives another fingerprint than the facade",
            std.file()
        ));
    }
    compiled
        .graph
        .map(Arc::new)
        .ok_or_else(|| format!("`{}`: the compiler gives no graph", std.file()))
}

/// Parameters without values, as one message.
fn missing(m: &[duibiao_engine::MissingParam]) -> String {
    m.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

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
