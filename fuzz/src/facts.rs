//! The `load_facts` target: any bytes as a facts file for each of the six standards, loaded,
//! evaluated twice, then kept live and given one assignment.

use super::live::live_matches_full;
use super::{check_problems, compiled};
use duibiao::{Assignment, Options};

/// The values assignments set in `load_facts` and `protocol`.
pub(super) const VALUES: &[&str] = &[
    "null",
    "true",
    "false",
    "0",
    "1.5",
    "-1",
    "30%",
    "5万元",
    "300平方米",
    "2021-12-31",
    "标准型",
    "1e400",
    "8000000000000000000000000万元",
    "\"\"",
];

/// `load_facts`: any bytes, as UTF-8 (lossy), as a facts file for each of the six standards:
/// loaded twice (the same problems), evaluated with the default options twice (the same
/// outcome), then kept live and given one assignment, after which the live outcome is the one
/// a full evaluation of the facts so changed gives.
pub fn load_facts(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for c in compiled() {
        let s = &c.standard;
        let (facts, problems) = s.load_facts(&text);
        check_problems(&problems);
        let (_, again) = s.load_facts(&text);
        assert_eq!(
            json_of!(&problems),
            json_of!(&again),
            "loading problems differ"
        );
        let options = Options::default();
        let outcome = s.evaluate(&facts, &options);
        assert_eq!(
            result_json(&outcome),
            result_json(&s.evaluate(&facts, &options)),
            "evaluations differ"
        );
        let Ok(mut live) = s.live(facts.clone(), &options) else {
            continue;
        };
        // One assignment: the last unit, a key and a value chosen by the input's length.
        let Some(id) = facts.ids().last() else {
            continue;
        };
        let n = data.len();
        let key = c
            .keys
            .get(n % c.keys.len().max(1))
            .map_or("x", |k| k.as_str());
        let value = VALUES[n % VALUES.len()];
        let assignment = Assignment::Text(format!("{id}.{key}={value}"));
        live_matches_full(s, &facts, &mut live, &[assignment]);
    }
}

/// The outcome, or the problems, of an evaluation as JSON text (to compare two).
fn result_json(r: &Result<duibiao::Outcome, duibiao::Problems>) -> String {
    match r {
        Ok(outcome) => json_of!(outcome),
        Err(problems) => {
            check_problems(problems.iter());
            json_of!(&problems.0)
        }
    }
}
