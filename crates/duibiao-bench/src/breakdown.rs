//! Where the end-to-end time of `duibiao eval` goes (issue 18): the steps of the command, done
//! in this process through the facade as the command does them, each timed alone.

use duibiao::{Detail, Lang, Limits, Options as Opts, Standard};
use std::path::Path;
use std::time::Instant;

/// The steps of `duibiao eval STANDARD FACTS`, in seconds, each the best of the runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Breakdown {
    /// Reading the file and checking it is UTF-8 (`Limits::read_facts_bytes`, `facts_text`).
    pub read_s: f64,
    /// Parsing the text and building the forest (`Standard::load_facts_named`).
    pub load_s: f64,
    /// Evaluating it, as the command does (`Standard::live`).
    pub evaluate_s: f64,
    /// Rendering every unit's result as `--format json` writes it (into `io::sink`).
    pub render_json_s: f64,
    /// Rendering the table, as the command writes it (into `io::sink`).
    pub render_table_s: f64,
    /// Writing the JSON, rendered beforehand, to a file.
    pub write_s: f64,
    /// Dropping the evaluation and the forest.
    pub drop_s: f64,
}

/// Times the steps of `duibiao eval` on `facts` (a file), `runs` times, keeping each step's
/// best time.
pub fn breakdown(std: &Standard, facts: &Path, runs: usize) -> Result<Breakdown, String> {
    let mut b = Breakdown {
        read_s: f64::INFINITY,
        load_s: f64::INFINITY,
        evaluate_s: f64::INFINITY,
        render_json_s: f64::INFINITY,
        render_table_s: f64::INFINITY,
        write_s: f64::INFINITY,
        drop_s: f64::INFINITY,
    };
    let out = std::env::temp_dir().join(format!(
        "duibiao-bench-breakdown-{}.json",
        std::process::id()
    ));
    let name = facts.display().to_string();
    let limits = Limits::default();
    let fail = |p: duibiao::Problems| p.render(Lang::En);
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let bytes = limits.read_facts_bytes(facts).map_err(fail)?;
        let text = Limits::facts_text(facts, bytes).map_err(fail)?;
        b.read_s = b.read_s.min(start.elapsed().as_secs_f64());

        let start = Instant::now();
        let (loaded, problems) = rayon::scope(|_| std.load_facts_named(Some(&name), &text));
        b.load_s = b.load_s.min(start.elapsed().as_secs_f64());
        drop(text);
        if let Some(first) = problems.first() {
            return Err(format!("loading `{name}`: {first}"));
        }

        let start = Instant::now();
        let opts = Opts::new().detail(Detail::Summary);
        let live = std.live(loaded, &opts).map_err(fail)?;
        b.evaluate_s = b.evaluate_s.min(start.elapsed().as_secs_f64());

        // Rendering alone, into a sink: a buffer of the whole output would time the first
        // touch of its memory too (see docs/performance.md, "Machine").
        let start = Instant::now();
        duibiao::table::write_table(&mut std::io::sink(), &live, Lang::Zh)
            .map_err(|e| format!("rendering the table: {e}"))?;
        b.render_table_s = b.render_table_s.min(start.elapsed().as_secs_f64());
        let start = Instant::now();
        write_json(&mut std::io::sink(), &live)?;
        b.render_json_s = b.render_json_s.min(start.elapsed().as_secs_f64());

        // Writing: the JSON rendered into memory first (not timed), then written to a file.
        let mut json = Vec::new();
        write_json(&mut json, &live)?;
        let start = Instant::now();
        let written = std::fs::write(&out, &json);
        b.write_s = b.write_s.min(start.elapsed().as_secs_f64());
        let _ = std::fs::remove_file(&out);
        written.map_err(|e| format!("cannot write `{}`: {e}", out.display()))?;
        drop(json);

        let start = Instant::now();
        drop(live);
        b.drop_s = b.drop_s.min(start.elapsed().as_secs_f64());
    }
    Ok(b)
}

/// Writes `--format json` of `live` to `out`.
fn write_json(out: &mut impl std::io::Write, live: &duibiao::Live) -> Result<(), String> {
    duibiao::protocol::write_evaluation(
        out,
        live,
        Vec::new(),
        Detail::Summary,
        duibiao::protocol::Style::Lines,
    )
    .map_err(|e| format!("rendering the JSON: {e}"))
}
