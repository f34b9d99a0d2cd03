//! The [`Report`] of a run: what it measured, the ratios drawn from it, and how it is printed
//! (the one-line JSON summary and the readable table).

use super::breakdown::Breakdown;
use super::e2e::Timed;
use super::STANDARD;
use std::fmt::Write as _;

/// The end-to-end step: the command line as a process, and its steps in this process.
#[derive(Debug, Clone, PartialEq)]
pub struct E2eReport {
    /// `duibiao eval … --format json`.
    pub json: Timed,
    /// `duibiao eval …` (the table).
    pub table: Timed,
    /// The command's steps.
    pub steps: Breakdown,
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
    /// The same evaluation on the calling thread alone (`Context::with_parallel(false)`), whatever
    /// [`Report::threads`] is.
    pub engine_1t_s: f64,
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
    /// Mean number of units one change brought up to date (the unit and its ancestors).
    pub update_units: f64,
    /// Mean number of those one change evaluated again (the others read nothing that changed).
    pub update_evaluated: f64,
    /// Units at each tier, as both evaluators found them: 示范型, 标准型 only, neither.
    pub tiers: [usize; 3],
    /// Peak resident set size of the process, in MB (`VmHWM`); `None` where unavailable.
    pub peak_rss_mb: Option<f64>,
    /// The command line end to end, when it was run.
    pub e2e: Option<E2eReport>,
}

impl Report {
    /// Engine over reference, full evaluation.
    pub fn engine_over_reference(&self) -> f64 {
        self.engine_s / self.reference_s
    }

    /// Engine on one thread over reference (on one thread), full evaluation, measured in the same
    /// run.
    pub fn single_thread_over_reference(&self) -> f64 {
        self.engine_1t_s / self.reference_s
    }

    /// The engine on one thread over the engine on [`Report::threads`] threads: how much the
    /// threads gain.
    pub fn threads_speedup(&self) -> f64 {
        self.engine_1t_s / self.engine_s
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
        let e2e = |f: fn(&E2eReport) -> f64| {
            self.e2e
                .as_ref()
                .map_or("null".to_string(), |e| number(f(e)))
        };
        format!(
            "{{\"units\": {}, \"engine_s\": {}, \"reference_s\": {}, \"zen_s\": {}, \"engine_over_reference\": {}, \"engine_1t_s\": {}, \"single_thread_over_reference\": {}, \"threads_speedup\": {}, \"zen_over_engine\": {}, \"full_over_incremental\": {}, \"load_mb_s\": {}, \"peak_rss_mb\": {}, \"e2e_s\": {}, \"e2e_table_s\": {}, \"e2e_peak_rss_mb\": {}, \"threads\": {}}}",
            self.units,
            number(self.engine_s),
            number(self.reference_s),
            self.zen_s.map_or("null".to_string(), number),
            number(self.engine_over_reference()),
            number(self.engine_1t_s),
            number(self.single_thread_over_reference()),
            number(self.threads_speedup()),
            self.zen_over_engine().map_or("null".to_string(), number),
            number(self.full_over_incremental()),
            number(self.load_mb_s()),
            self.peak_rss_mb.map_or("null".to_string(), number),
            e2e(|e| e.json.wall_s),
            e2e(|e| e.table.wall_s),
            e2e(|e| e.json.peak_rss_mb.max(e.table.peak_rss_mb)),
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
            "duibiao-bench: {} units of {STANDARD} ({mb:.1} MB of JSON), best of {} run{}, threads {} (the engine's full evaluation and load; updates and the reference use one)",
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
            "evaluate: engine values, 1 thread",
            self.engine_1t_s,
            true,
            format!(
                "evaluate, Context::with_parallel(false): {:.2}x the reference",
                self.single_thread_over_reference()
            ),
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
            format!(
                "{:.2} of {:.1} units evaluated again per change",
                self.update_evaluated, self.update_units
            ),
        );
        row(
            &format!("incremental: Live::set (mean of {})", self.updates),
            self.set_s,
            false,
            "unit, slot and value resolved beforehand".into(),
        );
        if let Some(e) = &self.e2e {
            self.e2e_rows(e, &mut row);
        }
        let _ = writeln!(t, "{}", "-".repeat(96));
        let _ = writeln!(
            t,
            "engine / reference (full evaluation)           {:>10.2}x",
            self.engine_over_reference()
        );
        let _ = writeln!(
            t,
            "engine, 1 thread / reference (full evaluation) {:>10.2}x",
            self.single_thread_over_reference()
        );
        let _ = writeln!(
            t,
            "engine, 1 thread / {} thread{} (full evaluation) {:>9.2}x",
            self.threads,
            if self.threads == 1 { "" } else { "s" },
            self.threads_speedup()
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

impl Report {
    /// The rows of the end-to-end step.
    fn e2e_rows(&self, e: &E2eReport, row: &mut impl FnMut(&str, f64, bool, String)) {
        let mb = |bytes: u64| bytes as f64 / 1e6;
        row(
            "e2e: duibiao eval --format json (process)",
            e.json.wall_s,
            true,
            format!(
                "wall; peak RSS {:.1} MB; output {:.1} MB",
                e.json.peak_rss_mb,
                mb(e.json.out_bytes)
            ),
        );
        row(
            "e2e: duibiao eval, the table (process)",
            e.table.wall_s,
            true,
            format!(
                "wall; peak RSS {:.1} MB; output {:.1} MB",
                e.table.peak_rss_mb,
                mb(e.table.out_bytes)
            ),
        );
        let b = &e.steps;
        let steps = [
            (
                "  step: read the file",
                b.read_s,
                "read, UTF-8 checked".to_string(),
            ),
            (
                "  step: load (parse, build the forest)",
                b.load_s,
                format!("{:.1} MB/s", self.bytes as f64 / 1e6 / b.load_s),
            ),
            (
                "  step: evaluate (Standard::live)",
                b.evaluate_s,
                String::new(),
            ),
            (
                "  step: render JSON (summaries)",
                b.render_json_s,
                "into io::sink".into(),
            ),
            (
                "  step: render the table",
                b.render_table_s,
                "into io::sink".into(),
            ),
            ("  step: write the JSON to a file", b.write_s, String::new()),
            (
                "  step: drop the evaluation and the forest",
                b.drop_s,
                "the command exits without it".into(),
            ),
        ];
        for (name, s, note) in steps {
            row(name, s, true, note);
        }
    }
}

/// A number for the JSON line: four significant digits, `null` when not finite.
pub(super) fn number(x: f64) -> String {
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
