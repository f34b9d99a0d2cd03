//! Every standard's cases: `standards/<slug>/cases/NAME.json` is evaluated and compared with
//! `NAME.expected.json`, written from the document's text independently of the `.std` file; the
//! full outcome and its explanations are pinned with insta snapshots.

use duibiao::{Detail, Lang, Options, UnitOutcome, Verdict};
use duibiao_tests::{read, root, standard, unit_key};
use serde_json::{json, Value};
use std::collections::BTreeSet;

fn verdict(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "pass",
        Verdict::Fail => "fail",
        Verdict::Unknown => "unknown",
    }
}

/// The comparable part of a unit's outcome, in the expected files' shape.
fn summary(u: &UnitOutcome) -> Value {
    json!({
        "score": u.score,
        "tier": u.tier,
        "tiers": u.tiers.iter().map(|(k, v)| (k.clone(), json!(verdict(*v)))).collect::<serde_json::Map<_, _>>(),
    })
}

/// What the outcome snapshot pins per unit: every verdict and number a reviewer checks, without
/// the clause texts (those are pinned once, on the standard's traceability page).
fn pinned(u: &UnitOutcome) -> Value {
    let cond = |c: &duibiao::ConditionOutcome| {
        let mut v = json!({"verdict": verdict(c.verdict)});
        if let Some(a) = &c.actual {
            v["actual"] = json!(a);
        }
        if let Some(t) = &c.threshold {
            v["threshold"] = json!(format!("{} {t}", c.op.as_deref().unwrap_or("")));
        }
        if let Some(a) = c.applies {
            v["applies"] = json!(verdict(a));
        }
        v
    };
    let label = |c: &duibiao::ConditionOutcome| c.label.clone().unwrap_or_else(|| c.expr.clone());
    json!({
        "id": u.id,
        "kind": u.kind,
        "score": u.score,
        "tier": u.tier,
        "tiers": u.tiers.iter().map(|(k, v)| (k.clone(), json!(verdict(*v)))).collect::<serde_json::Map<_, _>>(),
        "items": u.items.iter().map(|i| (i.number.to_string(), json!(i.points))).collect::<serde_json::Map<_, _>>(),
        "conditions": u.conditions.iter().map(|(t, cs)| {
            (t.clone(), cs.iter().map(|c| (label(c), cond(c))).collect::<serde_json::Map<_, _>>().into())
        }).collect::<serde_json::Map<_, _>>(),
        // Groups by verdict; of their requirements only those not met (all others pass).
        "requirements": u.requirements.iter().map(|g| {
            let open: serde_json::Map<_, _> = g.requirements.iter()
                .filter(|r| r.verdict != Verdict::Pass || r.applies == Some(Verdict::Fail))
                .map(|r| (label(r), cond(r)))
                .collect();
            (g.name.clone(), json!({"verdict": verdict(g.verdict), "not_met_or_not_applicable": open}))
        }).collect::<serde_json::Map<_, _>>(),
        "vetoes": u.vetoes.iter().map(|v| (v.name.clone(), json!(v.fired))).collect::<serde_json::Map<_, _>>(),
        "consequences": u.consequences.iter().map(|c| (c.name.clone(), json!({"applies": verdict(c.applies), "amount": c.amount, "split": c.split}))).collect::<serde_json::Map<_, _>>(),
        "derived": u.derived,
        "missing": u.missing,
    })
}

fn case_files(slug: &str) -> Vec<String> {
    let dir = root().join(format!("standards/{slug}/cases"));
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".json") && !n.ends_with(".expected.json"))
        .collect();
    files.sort();
    files
}

fn run_cases(slug: &str) {
    let std = standard(slug);
    let files = case_files(slug);
    assert!(files.len() >= 10, "{slug}: only {} cases", files.len());
    let mut failures = Vec::new();
    for file in files {
        let name = file.trim_end_matches(".json");
        let facts = read(&format!("standards/{slug}/cases/{file}"));
        let expected: Value = serde_json::from_str(&read(&format!(
            "standards/{slug}/cases/{name}.expected.json"
        )))
        .unwrap_or_else(|e| panic!("{name}.expected.json: {e}"));
        let (loaded, errors) = std.load_facts(&facts);
        let outcome = std
            .evaluate(&loaded, &Options::new().detail(Detail::Members))
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));

        // Units: exactly the expected ones, each with the expected score, tier and verdicts.
        let want = expected["units"].as_object().cloned().unwrap_or_default();
        let got_ids: BTreeSet<&str> = outcome.units.iter().map(|u| u.id.as_str()).collect();
        let want_ids: BTreeSet<&str> = want.keys().map(|k| k.as_str()).collect();
        if got_ids != want_ids {
            failures.push(format!("{name}: units {got_ids:?}, expected {want_ids:?}"));
        }
        for u in &outcome.units {
            if let Some(w) = want.get(&u.id) {
                let got = summary(u);
                if &got != w {
                    failures.push(format!("{name}: unit {}: got {got}, expected {w}", u.id));
                }
            }
        }
        // Requirements, when the case states their verdicts: `{unit: {group or requirement: verdict}}`.
        for (id, reqs) in expected["requirements"].as_object().into_iter().flatten() {
            let Some(u) = outcome.units.iter().find(|u| &u.id == id) else {
                failures.push(format!("{name}: no unit {id} for its requirements"));
                continue;
            };
            for (req, want) in reqs.as_object().into_iter().flatten() {
                let got = u
                    .requirements
                    .iter()
                    .find(|g| &g.name == req)
                    .map(|g| g.verdict)
                    .or_else(|| {
                        u.requirements
                            .iter()
                            .flat_map(|g| &g.requirements)
                            .find(|r| r.label.as_ref() == Some(req))
                            .map(|r| r.verdict)
                    });
                match got {
                    Some(v) if json!(verdict(v)) == *want => {}
                    other => failures.push(format!(
                        "{name}: unit {id} requirement {req}: got {other:?}, expected {want}"
                    )),
                }
            }
        }
        // Errors: the same (unit, key) pairs.
        let got_errors: BTreeSet<(Option<String>, Option<String>)> = errors
            .iter()
            .map(|e| {
                let (unit, key) = unit_key(e);
                (unit.map(String::from), key.map(String::from))
            })
            .collect();
        let want_errors: BTreeSet<(Option<String>, Option<String>)> = expected["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| {
                        (
                            e["unit"].as_str().map(String::from),
                            e["key"].as_str().map(String::from),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        if got_errors != want_errors {
            failures.push(format!(
                "{name}: errors {got_errors:?}, expected {want_errors:?}"
            ));
        }

        // Progress, when the case states what the targets due on a date should be.
        let mut progress_json = Value::Null;
        if let Some(want) = expected.get("progress") {
            let date = want["as_of"]
                .as_str()
                .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                .unwrap_or_else(|| panic!("{name}: progress needs `as_of`"));
            let p = std
                .progress(&loaded, &Options::new().as_of(date))
                .unwrap_or_else(|e| panic!("{name}: {e:?}"));
            let got: Vec<Value> = p
                .targets
                .iter()
                .map(|t| {
                    let mut row =
                        json!({"name": t.name, "due": t.due, "status": verdict(t.status)});
                    if t.rows.iter().any(|r| r.unit.is_some()) {
                        row["units"] = t
                            .rows
                            .iter()
                            .map(|r| {
                                (
                                    r.unit.clone().unwrap_or_default(),
                                    json!(verdict(r.verdict)),
                                )
                            })
                            .collect::<serde_json::Map<_, _>>()
                            .into();
                    }
                    row
                })
                .collect();
            // Compare only the fields the expected file states.
            let want_targets = want["targets"].as_array().cloned().unwrap_or_default();
            if got.len() != want_targets.len() {
                failures.push(format!(
                    "{name}: {} targets due, expected {}",
                    got.len(),
                    want_targets.len()
                ));
            }
            for (g, w) in got.iter().zip(&want_targets) {
                for (k, v) in w.as_object().into_iter().flatten() {
                    if g.get(k) != Some(v) {
                        failures.push(format!(
                            "{name}: target {}: {k} = {:?}, expected {v}",
                            g["name"],
                            g.get(k)
                        ));
                    }
                }
            }
            progress_json = serde_json::to_value(&p).unwrap_or_default();
        }

        // Pin everything: the outcome, the load errors and every unit's explanation.
        let errors_json: Vec<Value> = errors
            .iter()
            .map(|e| {
                let (unit, key) = unit_key(e);
                json!({"code": e.code, "unit": unit, "key": key, "message": e.message.en})
            })
            .collect();
        let explanations: String = outcome
            .units
            .iter()
            .map(|u| duibiao::explain_text(u, Lang::Zh))
            .collect::<Vec<_>>()
            .join("\n----\n");
        insta::with_settings!({snapshot_suffix => format!("{slug}__{name}"), omit_expression => true}, {
            let units: Vec<Value> = outcome.units.iter().map(pinned).collect();
            insta::assert_json_snapshot!("outcome", json!({
                "fingerprint": outcome.fingerprint,
                "units": units,
                "errors": errors_json,
                "progress": progress_json,
            }));
            insta::assert_snapshot!("explain", explanations);
        });
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every standard with cases: `standards/<slug>.std` and `standards/<slug>/cases/`.
#[test]
fn every_standards_cases() {
    let dir = root().join("standards");
    let mut slugs: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter_map(|n| n.strip_suffix(".std").map(String::from))
        .filter(|slug| dir.join(slug).join("cases").is_dir())
        .collect();
    slugs.sort();
    assert!(slugs.contains(&"haiyan-2021".to_string()));
    // `DUIBIAO_CASES=haiyan-2021,zhuji-2018` runs only those standards' cases.
    if let Ok(only) = std::env::var("DUIBIAO_CASES") {
        slugs.retain(|s| only.split(',').any(|o| o == s));
    }
    for slug in slugs {
        run_cases(&slug);
    }
}

#[test]
fn demo_evaluates_cleanly() {
    let std = standard("haiyan-2021");
    let (loaded, errors) = std.load_facts(&read("standards/haiyan-2021/demo.json"));
    assert!(errors.is_empty(), "{errors:?}");
    let outcome = std
        .evaluate(&loaded, &Options::new())
        .unwrap_or_else(|e| panic!("{e:?}"));
    let tiers: Vec<(&str, Option<&str>)> = outcome
        .units
        .iter()
        .map(|u| (u.id.as_str(), u.tier.as_deref()))
        .collect();
    insta::assert_debug_snapshot!(tiers);
}
