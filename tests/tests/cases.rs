//! Every standard's cases: `standards/<slug>/cases/NAME.json` is evaluated and compared with
//! `NAME.expected.json`, written from the document's text independently of the `.std` file, by
//! the runner of `duibiao test` (`duibiao::cases`); the full outcome and its explanations are
//! pinned with insta snapshots.

use duibiao::cases::{self, Expected};
use duibiao::{Lang, Options, UnitOutcome, Verdict};
use duibiao_tests::{case_files, read, root, standard, unit_key};
use serde_json::{json, Value};

fn verdict(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "pass",
        Verdict::Fail => "fail",
        Verdict::Unknown => "unknown",
    }
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

fn run_cases(slug: &str) {
    let std = standard(slug);
    let files = case_files(&format!("standards/{slug}/cases"));
    assert!(files.len() >= 10, "{slug}: only {} cases", files.len());
    let mut failures = Vec::new();
    for file in files {
        let name = file.trim_end_matches(".json");
        let facts = read(&format!("standards/{slug}/cases/{file}"));
        let expected_file = format!("standards/{slug}/cases/{name}.expected.json");
        let expected = Expected::parse(&expected_file, &read(&expected_file))
            .unwrap_or_else(|e| panic!("{e}"));
        // The comparison is `duibiao test`'s: only what the expected file states (see
        // `duibiao::cases::expected`), the bundled files listing every unit in full.
        assert!(
            expected.complete_units(),
            "{expected_file}: `units` is not a complete listing"
        );
        let run = cases::run(&std, name, Some(&file), &facts, &expected)
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        failures.extend(run.mismatches.iter().map(|m| {
            format!(
                "{name}: {}",
                cases::report::mismatch_text(m, Lang::En).trim_end()
            )
        }));
        // `duibiao test --update` writes the files as they are written (twelve lack the final
        // new line it adds).
        if cases::expected_text(&expected.json).trim_end() != read(&expected_file).trim_end() {
            failures.push(format!(
                "{expected_file}: not written as `duibiao test --update` writes it"
            ));
        }
        let outcome = &run.outcome;
        let errors = &run.errors;
        let progress_json = match (&run.progress, expected.progress_as_of) {
            (Some(p), Some(_)) => serde_json::to_value(p).unwrap_or_default(),
            _ => Value::Null,
        };

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
