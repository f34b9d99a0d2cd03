//! The end-to-end step (issue 18): the release command line, `duibiao eval`, timed as a process
//! on the generated facts file, with its output to a file, as a user runs it.
//!
//! Each run goes through a helper process: the harness's own binary started with
//! [`MEASURE_FLAG`], which starts the command, waits for it and prints its wall time and peak
//! resident set size. The peak comes from `getrusage(RUSAGE_CHILDREN)`, which covers every
//! child a process has waited for: in the helper that is the command alone, while the harness
//! itself has other children (cargo, the zen-engine peer).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// The first argument that makes the harness's binary the helper: `duibiao-bench
/// --measure-child OUT PROGRAM ARGS…` runs `PROGRAM ARGS…` with its standard output into the
/// file `OUT` and prints one line, [`ChildRun::line`].
pub const MEASURE_FLAG: &str = "--measure-child";

/// What one run of a command cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChildRun {
    /// From starting the process to its exit, in seconds.
    pub wall_s: f64,
    /// Its peak resident set size, in MB (`ru_maxrss` in KiB / 1024, as the harness's own
    /// `peak_rss_mb` counts `VmHWM`).
    pub peak_rss_mb: f64,
}

impl ChildRun {
    /// The line the helper prints: `wall_s peak_rss_mb`.
    pub fn line(&self) -> String {
        format!("{} {}", self.wall_s, self.peak_rss_mb)
    }

    /// Reads the helper's line.
    pub fn parse(line: &str) -> Option<ChildRun> {
        let mut words = line.split_whitespace();
        let wall_s = words.next()?.parse().ok()?;
        let peak_rss_mb = words.next()?.parse().ok()?;
        words.next().is_none().then_some(ChildRun {
            wall_s,
            peak_rss_mb,
        })
    }
}

/// Runs `program args` with its standard output into the file `out` (standard error passed
/// through), waits for it, and returns its wall time and the peak resident set size of the
/// largest child this process has waited for: called in the helper, whose only child it is.
/// Fails when the command cannot start or does not succeed.
pub fn run_child(program: &Path, args: &[OsString], out: &Path) -> Result<ChildRun, String> {
    let file = std::fs::File::create(out)
        .map_err(|e| format!("cannot create `{}`: {e}", out.display()))?;
    let start = Instant::now();
    let status = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(file)
        .stderr(Stdio::inherit())
        .status()
        .map_err(|e| format!("cannot run `{}`: {e}", program.display()))?;
    let wall_s = start.elapsed().as_secs_f64();
    if !status.success() {
        return Err(format!("`{}` failed ({status})", program.display()));
    }
    let usage = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN)
        .map_err(|e| format!("getrusage: {e}"))?;
    Ok(ChildRun {
        wall_s,
        peak_rss_mb: usage.max_rss() as f64 / 1024.0,
    })
}

/// The helper's work, from its arguments after [`MEASURE_FLAG`]: `OUT PROGRAM ARGS…`.
pub fn helper(mut args: impl Iterator<Item = OsString>) -> Result<ChildRun, String> {
    let usage = "usage: duibiao-bench --measure-child OUT PROGRAM [ARGS…]";
    let out = PathBuf::from(args.next().ok_or(usage)?);
    let program = PathBuf::from(args.next().ok_or(usage)?);
    run_child(&program, &args.collect::<Vec<_>>(), &out)
}

/// The command line to time and how.
#[derive(Debug, Clone, PartialEq)]
pub struct EndToEnd {
    /// The release `duibiao` binary.
    pub cli: PathBuf,
    /// The harness's own binary, started as the helper.
    pub helper: PathBuf,
}

/// The best wall time and the largest peak of `runs` runs of `duibiao eval` of one output form.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timed {
    /// The best wall time, in seconds.
    pub wall_s: f64,
    /// The largest peak resident set size, in MB.
    pub peak_rss_mb: f64,
    /// The size of the output, in bytes.
    pub out_bytes: u64,
}

impl EndToEnd {
    /// Times `duibiao eval STANDARD FACTS` `runs` times with `format` (`json` or `table`), through
    /// the helper, the output into a file of the temporary folder (removed after).
    pub fn time(
        &self,
        standard: &Path,
        facts: &Path,
        format: &str,
        runs: usize,
    ) -> Result<Timed, String> {
        let out =
            std::env::temp_dir().join(format!("duibiao-bench-e2e-{}.{format}", std::process::id()));
        let mut best = Timed {
            wall_s: f64::INFINITY,
            peak_rss_mb: 0.0,
            out_bytes: 0,
        };
        for _ in 0..runs.max(1) {
            let r = self.once(standard, facts, format, &out);
            let bytes = std::fs::metadata(&out).map(|m| m.len());
            let _ = std::fs::remove_file(&out);
            let r = r?;
            best.wall_s = best.wall_s.min(r.wall_s);
            best.peak_rss_mb = best.peak_rss_mb.max(r.peak_rss_mb);
            best.out_bytes = bytes.map_err(|e| format!("no output from `duibiao eval`: {e}"))?;
        }
        if best.out_bytes == 0 {
            return Err(format!("`duibiao eval --format {format}` wrote nothing"));
        }
        Ok(best)
    }

    /// One run through the helper.
    fn once(
        &self,
        standard: &Path,
        facts: &Path,
        format: &str,
        out: &Path,
    ) -> Result<ChildRun, String> {
        let result = Command::new(&self.helper)
            .arg(MEASURE_FLAG)
            .arg(out)
            .arg(&self.cli)
            .arg("eval")
            .arg(standard)
            .arg(facts)
            .args(["--format", format])
            .stdin(Stdio::null())
            .stderr(Stdio::inherit())
            .output()
            .map_err(|e| format!("cannot run `{}`: {e}", self.helper.display()))?;
        let stdout = String::from_utf8_lossy(&result.stdout);
        if !result.status.success() {
            return Err(format!(
                "timing `duibiao eval --format {format}` failed ({})",
                result.status
            ));
        }
        stdout
            .lines()
            .last()
            .and_then(ChildRun::parse)
            .ok_or_else(|| format!("the helper printed no timing: {stdout}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_helper_line_reads_back() {
        let r = ChildRun {
            wall_s: 0.8125,
            peak_rss_mb: 412.5,
        };
        assert_eq!(ChildRun::parse(&r.line()), Some(r));
        assert_eq!(ChildRun::parse("0.5"), None);
        assert_eq!(ChildRun::parse("0.5 1 2"), None);
        assert_eq!(ChildRun::parse("x 1"), None);
    }

    #[test]
    fn a_child_is_timed_and_its_output_kept() {
        let out =
            std::env::temp_dir().join(format!("duibiao-bench-e2e-test-{}", std::process::id()));
        let r = run_child(Path::new("echo"), &["hello".into()], &out).expect("echo runs");
        let text = std::fs::read_to_string(&out).expect("output");
        let _ = std::fs::remove_file(&out);
        assert_eq!(text, "hello\n");
        assert!(r.wall_s > 0.0 && r.peak_rss_mb > 0.0);
        assert!(run_child(Path::new("false"), &[], &out).is_err());
        let _ = std::fs::remove_file(&out);
    }
}
