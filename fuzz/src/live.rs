//! The `live_line` target: lines applied one by one to a live evaluation of the haiyan demo,
//! and the check, shared with `load_facts`, that a live outcome is the full evaluation's.

use super::{check_problems, haiyan, haiyan_demo};
use duibiao::{Assignment, Facts, Lang, Live, Options, Standard};

/// `live_line`: any bytes, as UTF-8 (lossy), split into lines, each applied to the haiyan demo
/// with `Live::assign(&Assignment::Text(line))`; then the live outcome is the full evaluation's.
pub fn live_line(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (facts, live) = haiyan_demo();
    let mut live = live.clone();
    let lines: Vec<Assignment> = text
        .lines()
        .map(|l| Assignment::Text(l.to_string()))
        .collect();
    live_matches_full(haiyan(), facts, &mut live, &lines);
}

/// Applies `assignments` to `live`, then checks that its outcome is the one a full evaluation
/// gives of `facts` with the changes it reported applied.
pub(super) fn live_matches_full(
    s: &Standard,
    facts: &Facts,
    live: &mut Live,
    assignments: &[Assignment],
) {
    let mut changes = Vec::new();
    for a in assignments {
        match live.assign(a) {
            Ok(assigned) => {
                json_of!(&assigned);
                let c = assigned.change;
                changes.push(Assignment::Value {
                    unit: c.unit,
                    key: c.key,
                    value: c.to,
                });
            }
            Err(problems) => check_problems(problems.iter()),
        }
    }
    let mut full = facts.clone();
    let problems = s.apply(&mut full, &changes);
    assert!(
        problems.is_empty(),
        "a change live made cannot be applied: {problems:?}"
    );
    match s.evaluate(&full, &Options::default()) {
        Ok(outcome) => assert!(
            outcome == live.outcome(),
            "live differs from a full evaluation after {assignments:?}"
        ),
        Err(problems) => panic!(
            "live evaluates what a full evaluation cannot: {}",
            problems.render(Lang::En)
        ),
    }
}
