//! Running every step: compiling the standards, generating, loading and evaluating the forest,
//! the incremental updates and the zen-engine peer, each timed as the best of several runs.

use super::agree::agree;
use super::breakdown::breakdown;
use super::change::{change, score_slots};
use super::report::E2eReport;
use super::{zen, Options, Report, STANDARD};
use duibiao::generate::{write_forest, Rng, Shape};
use duibiao::Standard;
use duibiao_compiler::Graph;
use duibiao_engine::incremental::Live;
use duibiao_engine::Context;
use duibiao_reference::haiyan::{self, Forest};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

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

    // The forest as a file, for the command line and the peer (removed when `run` returns).
    let file = ForestFile::write(&text)?;

    // 8. End to end: the release command line on the file, as a process, and where its time
    // goes, step by step in this process.
    let e2e = match &opts.e2e {
        Some(how) => {
            let standard = opts.standards.join(format!("{STANDARD}.std"));
            Some(E2eReport {
                json: how.time(&standard, &file.0, "json", runs)?,
                table: how.time(&standard, &file.0, "table", runs)?,
                steps: breakdown(&std, &file.0, runs)?,
            })
        }
        None => None,
    };

    // 3. Load.
    // On rayon's pool, as the command line loads (a large file is read in parallel there).
    let (engine_load_s, loaded) = best(runs, || Ok(rayon::scope(|_| std.load_facts(&text))))?;
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
    // The same evaluation on the calling thread alone, whatever `--threads` is: the engine thread
    // for thread against the reference, in the same run.
    let (engine_1t_s, serial) = best(runs, || {
        let ctx = Context::new(graph, &facts.params, facts.as_of).map_err(|m| missing(&m))?;
        Ok(duibiao_engine::evaluate(
            graph,
            &facts.tree,
            &ctx.with_parallel(false),
        ))
    })?;
    if serial != eval {
        return Err("evaluating on one thread gives other values than the full evaluation".into());
    }
    drop(serial);
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
            &file.0,
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
    let (mut affected, mut evaluated) = (0usize, 0usize);
    for _ in 0..runs {
        let mut spent = Duration::ZERO;
        for _ in 0..opts.updates {
            let (assignment, _, _, _) = change(&live, graph, &slots, &mut rng)?;
            let start = Instant::now();
            let done = live.assign(&assignment);
            spent += start.elapsed();
            let done =
                done.map_err(|e| format!("`{assignment}` was refused: {}", e.message_en()))?;
            affected += done.evaluated;
            evaluated += live.last_evaluated();
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
        engine_1t_s,
        units_s,
        overall_s,
        live_s,
        outcome_s,
        reference_s,
        zen_s,
        updates: opts.updates,
        update_s,
        update_units: affected as f64 / (updates * runs as f64),
        update_evaluated: evaluated as f64 / (updates * runs as f64),
        set_s,
        tiers,
        peak_rss_mb: peak_rss_mb(),
        e2e,
    })
}

/// The generated forest written to a file of the temporary folder, removed when dropped.
struct ForestFile(PathBuf);

impl ForestFile {
    fn write(text: &str) -> Result<Self, String> {
        let path = std::env::temp_dir().join(format!("duibiao-bench-{}.json", std::process::id()));
        std::fs::write(&path, text)
            .map_err(|e| format!("cannot write the forest to `{}`: {e}", path.display()))?;
        Ok(ForestFile(path))
    }
}

impl Drop for ForestFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
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
