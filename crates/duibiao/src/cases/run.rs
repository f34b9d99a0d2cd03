//! Running a case: its facts evaluated with every condition's detail (and progress on the date
//! the expected file states), the expected file's fields filled with the actual values, and the
//! differences between the two as [`Mismatch`]es, each with the rules that decided it.

use super::expected::{complete, Expected};
use crate::problem::{Location, Problem, Problems, Text};
use crate::{Detail, Lang, Options, Standard};
use duibiao_engine::outcome::{ConditionOutcome, GroupOutcome, Outcome, UnitOutcome, Verdict};
use duibiao_engine::progress::Progress;
use serde::Serialize;
use serde_json::{json, Map, Value};

/// One case run: what the standard gave, and how it differs from what the case expects.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CaseRun {
    /// The case's name (its facts file's name without `.json`).
    pub name: String,
    /// Every unit's full outcome.
    pub outcome: Outcome,
    /// The problems loading the facts reported.
    pub errors: Vec<Problem>,
    /// Progress on the date the expected file states (else the facts file's `as_of`, if any).
    pub progress: Option<Progress>,
    /// The expected file with the actual values in the fields it states: what `--update` writes.
    pub actual: Value,
    /// Where the outcome differs from what the case expects, in the file's order.
    pub mismatches: Vec<Mismatch>,
}

impl CaseRun {
    /// Whether the outcome is what the case expects.
    pub fn passed(&self) -> bool {
        self.mismatches.is_empty()
    }
}

/// One difference between what a case expects and what the standard gave.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Mismatch {
    /// Where, in the expected file: `units.SQ1.tier`, `progress.targets[0].status`.
    pub path: String,
    /// The expected value (`None`, left out of JSON: the file does not have it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<Value>,
    /// The actual value (`None`, left out of JSON: the outcome does not have it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<Value>,
    /// The unit (`社区 SQ1 幸福社区`) or target it is about.
    pub subject: Option<String>,
    /// The rules that decided the actual value, with their clauses.
    pub decided_by: Vec<Decided>,
}

/// A rule that decided a value, with its verdict and citation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Decided {
    /// The rule: its label, or its expression as written.
    pub rule: String,
    /// Its verdict for the unit.
    pub verdict: Verdict,
    /// The clause it cites.
    pub clause: Option<String>,
    /// For a rating rule (a reason not to rate, a cap, a limit, a floor), how it stands in the words of
    /// `explain`, verdict included: `成立不满一年（不定级：否）`, `逐级晋升 未达到：至多 四星（上年星级
    /// + 1）`, `五星级党支部不超过总数的30% 未达到：按 score 93分 排第 3 名……`. A reason not to
    /// rate has no verdict word: `达到` would read as the reason holding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rating: Option<Text>,
}

/// Runs a case: loads `facts` (named `facts_file` in problems), evaluates it with every
/// condition's detail and compares the outcome with `expected`. Fails when the standard cannot
/// evaluate the facts (a parameter without a value, progress without a date).
pub fn run(
    standard: &Standard,
    name: &str,
    facts_file: Option<&str>,
    facts: &str,
    expected: &Expected,
) -> Result<CaseRun, Problems> {
    let (loaded, errors) = standard.load_facts_named(facts_file, facts);
    let outcome = standard.evaluate(&loaded, &Options::new().detail(Detail::Members))?;
    let progress = match (expected.progress_as_of, loaded.as_of()) {
        (Some(date), _) => Some(standard.progress(&loaded, &Options::new().as_of(date))?),
        (None, Some(_)) => standard.progress(&loaded, &Options::new()).ok(),
        (None, None) => None,
    };
    let stated_progress = progress
        .as_ref()
        .filter(|_| expected.progress_as_of.is_some());
    let actual = view(&expected.json, &outcome, &errors, stated_progress);
    let mut mismatches = Vec::new();
    diff(
        &mut Vec::new(),
        &expected.json,
        Some(&actual),
        &mut |path, e, a| {
            mismatches.push(Mismatch {
                subject: subject(path, &outcome, stated_progress),
                decided_by: decided_by(path, e, &outcome, stated_progress),
                path: path.join("."),
                expected: e.cloned(),
                actual: a.cloned(),
            })
        },
    );
    Ok(CaseRun {
        name: name.to_string(),
        outcome,
        errors,
        progress,
        actual,
        mismatches,
    })
}

/// The text of an expected file as the bundled ones are written: JSON indented by one space,
/// keys in their order, ending with a new line.
pub fn expected_text(json: &Value) -> String {
    let mut buf = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(
        &mut buf,
        serde_json::ser::PrettyFormatter::with_indent(b" "),
    );
    // Writing a `Value` to memory cannot fail.
    let _ = json.serialize(&mut ser);
    String::from_utf8_lossy(&buf).into_owned() + "\n"
}

fn verdict(v: Verdict) -> Value {
    json!(match v {
        Verdict::Pass => "pass",
        Verdict::Fail => "fail",
        Verdict::Unknown => "unknown",
    })
}

fn unit<'o>(o: &'o Outcome, id: &str) -> Option<&'o UnitOutcome> {
    o.units.iter().find(|u| u.id == id)
}

/// The entries of `stated` that `actual` has, with its values, in `stated`'s order; with
/// `complete`, then the entries of `actual` that `stated` does not list.
fn fill(stated: Option<&Value>, actual: Vec<(String, Value)>, complete: bool) -> Value {
    let stated = stated.and_then(Value::as_object);
    let mut out = Map::new();
    for key in stated.into_iter().flat_map(|m| m.keys()) {
        if let Some((_, v)) = actual.iter().find(|(k, _)| k == key) {
            out.insert(key.clone(), v.clone());
        }
    }
    if complete {
        for (k, v) in actual {
            out.entry(k).or_insert(v);
        }
    }
    Value::Object(out)
}

/// The expected file's fields with the actual values.
fn view(exp: &Value, o: &Outcome, errors: &[Problem], progress: Option<&Progress>) -> Value {
    let Some(fields) = exp.as_object() else {
        return exp.clone();
    };
    let all = complete(exp);
    let out = fields.iter().map(|(key, stated)| {
        let v = match key.as_str() {
            "units" => fill(
                Some(stated),
                o.units
                    .iter()
                    .map(|u| {
                        let entry = stated
                            .get(&u.id)
                            .cloned()
                            .unwrap_or_else(|| json!({"score": null, "tier": null, "tiers": {}}));
                        (u.id.clone(), unit_view(&entry, u, all))
                    })
                    .collect(),
                all,
            ),
            "requirements" | "norms" => labels_view(stated, o),
            "errors" => errors_view(stated, errors),
            "progress" => progress.map_or_else(|| stated.clone(), |p| progress_view(stated, p)),
            _ => stated.clone(),
        };
        (key.clone(), v)
    });
    Value::Object(out.collect())
}

fn unit_view(entry: &Value, u: &UnitOutcome, complete: bool) -> Value {
    let fields = entry.as_object().into_iter().flatten();
    let out = fields.filter_map(|(k, stated)| {
        let v = match k.as_str() {
            "score" => json!(u.score),
            "tier" => json!(u.tier),
            "tiers" => fill(
                Some(stated),
                u.tiers
                    .iter()
                    .map(|(t, v)| (t.clone(), verdict(*v)))
                    .collect(),
                complete,
            ),
            _ => return None,
        };
        Some((k.clone(), v))
    });
    Value::Object(out.collect())
}

/// What a name in `requirements` or `norms` names.
enum Labelled<'u> {
    Group(&'u GroupOutcome),
    Condition(&'u ConditionOutcome),
}

/// The requirement group named `label`, else the requirement, else the tier condition, so
/// labelled.
fn labelled<'u>(u: &'u UnitOutcome, label: &str) -> Option<Labelled<'u>> {
    if let Some(g) = u.requirements.iter().find(|g| g.name == label) {
        return Some(Labelled::Group(g));
    }
    let reqs = u.requirements.iter().flat_map(|g| &g.requirements);
    reqs.chain(u.conditions.values().flatten())
        .find(|c| c.label.as_deref() == Some(label))
        .map(Labelled::Condition)
}

fn labels_view(stated: &Value, o: &Outcome) -> Value {
    let units = stated.as_object().into_iter().flatten();
    let out = units.filter_map(|(id, labels)| {
        let u = unit(o, id)?;
        let entries = labels.as_object().into_iter().flatten();
        let fields = entries.filter_map(|(label, v)| {
            let got = match v {
                Value::Object(names) if label == "derived" => Value::Object(
                    names
                        .keys()
                        .filter_map(|n| u.derived.get(n).map(|d| (n.clone(), json!(d))))
                        .collect(),
                ),
                _ => verdict(match labelled(u, label)? {
                    Labelled::Group(g) => g.verdict,
                    Labelled::Condition(c) => c.verdict,
                }),
            };
            Some((label.clone(), got))
        });
        Some((id.clone(), Value::Object(fields.collect())))
    });
    Value::Object(out.collect())
}

fn errors_view(stated: &Value, errors: &[Problem]) -> Value {
    let pair = |unit: Option<&str>, key: Option<&str>| json!({"unit": unit, "key": key});
    let mut actual: Vec<Value> = Vec::new();
    for e in errors {
        let v = match &e.location {
            Some(Location::Data { unit, key, .. }) => pair(unit.as_deref(), key.as_deref()),
            _ => pair(None, None),
        };
        if !actual.contains(&v) {
            actual.push(v);
        }
    }
    let stated_set: Vec<Value> = stated
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| pair(e["unit"].as_str(), e["key"].as_str()))
        .collect();
    let same = actual.iter().all(|a| stated_set.contains(a))
        && stated_set.iter().all(|s| actual.contains(s));
    if same {
        stated.clone()
    } else {
        Value::Array(actual)
    }
}

fn progress_view(stated: &Value, p: &Progress) -> Value {
    let targets = stated["targets"].as_array();
    let rows = p.targets.iter().enumerate().map(|(i, t)| {
        let by_unit = t.rows.iter().any(|r| r.unit.is_some());
        let units: Vec<(String, Value)> = t
            .rows
            .iter()
            .map(|r| (r.unit.clone().unwrap_or_default(), verdict(r.verdict)))
            .collect();
        let default = ["name", "due", "status", "units"].map(String::from);
        let fields: Vec<String> = match targets.and_then(|ts| ts.get(i)).and_then(Value::as_object)
        {
            Some(m) => m.keys().cloned().collect(),
            None => default
                .into_iter()
                .filter(|f| by_unit || f != "units")
                .collect(),
        };
        let row = fields.into_iter().filter_map(|f| {
            let v = match f.as_str() {
                "name" => json!(t.name),
                "due" => json!(t.due),
                "status" => verdict(t.status),
                "units" if by_unit => fill(
                    targets
                        .and_then(|ts| ts.get(i))
                        .and_then(|s| s.get("units")),
                    units.clone(),
                    true,
                ),
                _ => return None,
            };
            Some((f, v))
        });
        Value::Object(row.collect())
    });
    json!({"as_of": stated["as_of"], "targets": rows.collect::<Vec<_>>()})
}

/// The same value: equal JSON, or two scores of the same number (`"95"`, `95`, `"95.0"`).
fn same(a: &Value, b: &Value) -> bool {
    let number = |v: &Value| match v {
        Value::String(s) => s.parse::<rust_decimal::Decimal>().ok(),
        Value::Number(n) => n.to_string().parse::<rust_decimal::Decimal>().ok(),
        _ => None,
    };
    a == b || matches!((number(a), number(b)), (Some(x), Some(y)) if x == y)
}

/// What [`diff`] calls with a place where the two differ: the path, the expected value and the
/// actual one.
type Found<'f> = dyn FnMut(&[String], Option<&Value>, Option<&Value>) + 'f;

/// Calls `found` with every place where `exp` and `act` differ: objects key by key (the keys
/// of `act` not in `exp` too), arrays element by element (`errors` as a whole), others whole.
fn diff<'v>(path: &mut Vec<String>, exp: &'v Value, act: Option<&'v Value>, found: &mut Found<'_>) {
    match (exp, act) {
        (Value::Object(e), Some(Value::Object(a))) => {
            for (k, ev) in e {
                path.push(k.clone());
                diff(path, ev, a.get(k), found);
                path.pop();
            }
            for (k, av) in a.iter().filter(|(k, _)| !e.contains_key(*k)) {
                path.push(k.clone());
                found(path, None, Some(av));
                path.pop();
            }
        }
        (Value::Array(e), Some(Value::Array(a))) if path.last().is_some_and(|l| l != "errors") => {
            for i in 0..e.len().max(a.len()) {
                let last = path.pop().unwrap_or_default();
                path.push(format!("{last}[{i}]"));
                match e.get(i) {
                    Some(ev) => diff(path, ev, a.get(i), found),
                    None => found(path, None, a.get(i)),
                }
                path.pop();
                path.push(last);
            }
        }
        (e, Some(a)) if same(e, a) => {}
        (e, a) => found(path, Some(e), a),
    }
}

/// The unit or target a path is about.
fn subject(path: &[String], o: &Outcome, progress: Option<&Progress>) -> Option<String> {
    match path {
        [section, targets, ..] if section == "progress" => {
            let i = target_index(targets)?;
            progress?
                .targets
                .get(i)
                .map(|t| format!("{} {}", t.name, t.due))
        }
        [section, id, ..] if section != "progress" => {
            let u = unit(o, id)?;
            Some(match &u.name {
                Some(n) => format!("{} {} {n}", u.kind, u.id),
                None => format!("{} {}", u.kind, u.id),
            })
        }
        _ => None,
    }
}

/// The index in `targets[i]`.
fn target_index(segment: &str) -> Option<usize> {
    let i = segment.strip_prefix("targets[")?.strip_suffix(']')?;
    i.parse().ok()
}

fn decided(c: &ConditionOutcome) -> Decided {
    let rule = c.label.clone().unwrap_or_else(|| c.expr.clone());
    // A rating rule is titled as `explain` titles it: by its description (a limit's label is
    // the tier's own name).
    let rating = crate::rating_words(c, Lang::Zh)
        .zip(crate::rating_words(c, Lang::En))
        .map(|(zh, en)| {
            let title = c.text.as_deref().unwrap_or(&rule);
            let head = |lang: Lang| match &*c.kind {
                "unrated" => title.to_string(),
                _ => format!("{title} {}", crate::verdict_word(c.verdict, lang)),
            };
            Text::new(head(Lang::Zh) + &zh, head(Lang::En) + &en)
        });
    Decided {
        rule,
        verdict: c.verdict,
        clause: c.clause.clone(),
        rating,
    }
}

/// Why a tier has its verdict: when reached, every condition; else those with its verdict.
fn tier_reasons(u: &UnitOutcome, tier: &str) -> Vec<Decided> {
    let Some(v) = u.tiers.get(tier) else {
        return Vec::new();
    };
    let conds = u.conditions.get(tier).into_iter().flatten();
    conds
        .filter(|c| *v == Verdict::Pass || c.verdict == *v)
        .map(decided)
        .collect()
}

/// The rules that decided the value at `path`.
fn decided_by(
    path: &[String],
    exp: Option<&Value>,
    o: &Outcome,
    progress: Option<&Progress>,
) -> Vec<Decided> {
    let strs: Vec<&str> = path.iter().map(String::as_str).collect();
    match strs.as_slice() {
        ["units", id, "tier"] => {
            let Some(u) = unit(o, id) else {
                return Vec::new();
            };
            let wanted = exp.and_then(Value::as_str);
            match wanted.filter(|t| u.tiers.get(*t) != Some(&Verdict::Pass)) {
                Some(t) => tier_reasons(u, t),
                None => u
                    .tier
                    .as_deref()
                    .map_or_else(Vec::new, |t| tier_reasons(u, t)),
            }
        }
        ["units", id, "tiers", tier] => {
            unit(o, id).map_or_else(Vec::new, |u| tier_reasons(u, tier))
        }
        ["requirements" | "norms", id, label] => {
            let Some(u) = unit(o, id) else {
                return Vec::new();
            };
            match labelled(u, label) {
                // A group: when met, every requirement; else those with its verdict.
                Some(Labelled::Group(g)) => g
                    .requirements
                    .iter()
                    .filter(|r| g.verdict == Verdict::Pass || r.verdict == g.verdict)
                    .map(decided)
                    .collect(),
                Some(Labelled::Condition(c)) => vec![decided(c)],
                None => Vec::new(),
            }
        }
        ["progress", targets, ..] => {
            let t = target_index(targets).and_then(|i| progress?.targets.get(i));
            t.map(|t| Decided {
                rule: t.name.clone(),
                verdict: t.status,
                clause: t.clause.clone(),
                rating: None,
            })
            .into_iter()
            .collect()
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// A small standard whose tiers cite clauses; `一、3` is cited by a rule no tier reads.
    pub(crate) const DEMO: &str = r#"
standard demo { title "示例" }
kind 小区
facts 小区 { 一票否决: bool "有一票否决事项"  有制度: bool "建立管理制度" }
scorecard 小区 total 10 { item 1 "整体" max 10 }
tiers 小区 {
  标准型 "得分6分以上" { 得分6分以上: score >= 6 "得分6分以上" cite "一、1" }
  示范型 requires 标准型 "得分9分以上" { 得分9分以上: score >= 9 "得分9分以上" cite "一、2" }
}
veto 小区 一票否决事项: 一票否决 blocks 示范型 "有一票否决事项的不得评为示范型" cite "一、3"
requirements 小区 基本要求 "基本要求" cite "二" {
  制度健全: 有制度 "建立管理制度" cite "二、1"
}
"#;

    pub(crate) const FACTS: &str = r#"{"units": [
        {"id": "A", "name": "甲小区", "kind": "小区", "scores": {"1": 9.5}, "facts": {"一票否决": false, "有制度": true}},
        {"id": "B", "kind": "小区", "scores": {"1": 7}, "facts": {"一票否决": false, "有制度": false}}
    ]}"#;

    fn case(expected: &str) -> CaseRun {
        let std = Standard::compile("demo.std", DEMO).unwrap();
        let e = Expected::parse("demo.expected.json", expected).unwrap();
        run(&std, "demo", None, FACTS, &e).unwrap()
    }

    #[test]
    fn a_field_not_stated_is_not_compared() {
        // Only A's tier: B, A's score and its tiers are not compared.
        let r = case(r#"{"description": "只看甲的等级", "units": {"A": {"tier": "示范型"}}}"#);
        assert!(r.passed(), "{:?}", r.mismatches);
        // Only one tier's verdict of B.
        let r = case(r#"{"units": {"B": {"tiers": {"示范型": "fail"}}}}"#);
        assert!(r.passed(), "{:?}", r.mismatches);
        // No `units` at all: nothing about units is compared.
        assert!(case(r#"{"errors": []}"#).passed());
    }

    #[test]
    fn a_wrong_tier_gives_one_mismatch_with_its_path_and_clause() {
        let r = case(r#"{"units": {"B": {"score": "7", "tier": "示范型"}}}"#);
        assert_eq!(r.mismatches.len(), 1, "{:?}", r.mismatches);
        let m = &r.mismatches[0];
        assert_eq!(m.path, "units.B.tier");
        assert_eq!(m.expected, Some(json!("示范型")));
        assert_eq!(m.actual, Some(json!("标准型")));
        assert_eq!(m.subject.as_deref(), Some("小区 B"));
        assert_eq!(
            m.decided_by,
            vec![Decided {
                rule: "得分9分以上".into(),
                verdict: Verdict::Fail,
                clause: Some("一、2".into()),
                rating: None,
            }]
        );
    }

    #[test]
    fn a_group_not_met_is_decided_by_its_requirements_not_met() {
        let r = case(r#"{"requirements": {"A": {"制度健全": "pass"}, "B": {"基本要求": "pass"}}}"#);
        assert_eq!(r.mismatches.len(), 1, "{:?}", r.mismatches);
        let m = &r.mismatches[0];
        assert_eq!(m.path, "requirements.B.基本要求");
        assert_eq!(
            (m.expected.clone(), m.actual.clone()),
            (Some(json!("pass")), Some(json!("fail")))
        );
        assert_eq!(
            m.decided_by,
            vec![Decided {
                rule: "制度健全".into(),
                verdict: Verdict::Fail,
                clause: Some("二、1".into()),
                rating: None,
            }]
        );
    }

    #[test]
    fn a_complete_listing_checks_every_unit_and_tier() {
        let full = r#"{"units": {"A": {"score": "9.5", "tier": "示范型", "tiers": {"标准型": "pass", "示范型": "pass"}}}}"#;
        let r = case(full);
        let paths: Vec<&str> = r.mismatches.iter().map(|m| m.path.as_str()).collect();
        assert_eq!(paths, ["units.B"], "B is missing from a complete listing");
        let tiers_short = r#"{"units": {"A": {"score": "9.5", "tier": "示范型", "tiers": {"标准型": "pass"}}, "B": {"score": 7, "tier": "标准型", "tiers": {"标准型": "pass", "示范型": "fail"}}}}"#;
        let r = case(tiers_short);
        let paths: Vec<&str> = r.mismatches.iter().map(|m| m.path.as_str()).collect();
        assert_eq!(paths, ["units.A.tiers.示范型"]);
        // A score is compared as a number: `7` is `"7"`.
        assert!(r.mismatches.iter().all(|m| !m.path.ends_with("score")));
    }

    #[test]
    fn the_actual_file_keeps_the_fields_stated_and_their_order() {
        let r = case(
            r#"{"description": "d", "units": {"B": {"tier": null}, "A": {"tiers": {"示范型": "fail"}}}, "errors": [{"unit": "X", "key": null}]}"#,
        );
        assert_eq!(
            expected_text(&r.actual),
            "{\n \"description\": \"d\",\n \"units\": {\n  \"B\": {\n   \"tier\": \"标准型\"\n  },\n  \"A\": {\n   \"tiers\": {\n    \"示范型\": \"pass\"\n   }\n  }\n },\n \"errors\": []\n}\n"
        );
        let paths: Vec<&str> = r.mismatches.iter().map(|m| m.path.as_str()).collect();
        assert_eq!(paths, ["units.B.tier", "units.A.tiers.示范型", "errors"]);
    }
}
