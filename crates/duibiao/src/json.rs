//! JSON in, JSON out: the whole facade as functions over strings, for bindings and services.
//! Errors are structured values (code, message in Chinese and English, location), never strings.

use crate::{Lang, Standard};
use serde_json::{json, Value};

fn facts_errors(errors: &[crate::FactsError]) -> Value {
    Value::Array(
        errors
            .iter()
            .map(|e| {
                json!({
                    "code": e.code,
                    "unit": e.unit,
                    "key": e.key,
                    "message_zh": e.message_zh(),
                    "message_en": e.message_en(),
                })
            })
            .collect(),
    )
}

/// Compiles a standard and reports its diagnostics:
/// `{"ok": bool, "standard": slug|null, "fingerprint": …|null, "diagnostics": [...]}`.
pub fn check(file: &str, source: &str) -> Value {
    match Standard::compile(file, source) {
        Ok(s) => json!({
            "ok": true,
            "standard": s.graph().info.slug,
            "fingerprint": s.fingerprint(),
            "diagnostics": s.warning_reports(),
        }),
        Err(e) => json!({
            "ok": false,
            "standard": null,
            "fingerprint": null,
            "diagnostics": e.reports(),
        }),
    }
}

/// Compiles a standard, loads facts and evaluates them:
/// `{"ok": bool, "diagnostics": [...], "errors": [...], "outcome": {...}|null}`.
/// `ok` is false when the standard does not compile, the facts have problems, or a parameter is
/// missing; the outcome is still given whenever the standard compiled and parameters are known.
pub fn evaluate(file: &str, source: &str, facts: &str, params: &[String]) -> Value {
    let standard = match Standard::compile(file, source) {
        Ok(s) => s,
        Err(e) => {
            return json!({"ok": false, "diagnostics": e.reports(), "errors": [], "outcome": null})
        }
    };
    let (loaded, mut errors) = standard.load_facts(facts);
    let mut supplied = Vec::new();
    let mut param_errors = Vec::new();
    for p in params {
        match standard.parse_param(p) {
            Ok(v) => supplied.push(v),
            Err(e) => param_errors.push(json!({"code": "P0001", "key": p, "message_en": e.to_string(), "message_zh": e.message_zh()})),
        }
    }
    let outcome = match standard.evaluate(&loaded, &supplied) {
        Ok(o) => Some(o),
        Err(missing) => {
            for m in missing {
                param_errors.push(json!({
                    "code": "P0002",
                    "key": m.name,
                    "clause": m.clause,
                    "message_en": m.to_string(),
                    "message_zh": m.message_zh(),
                }));
            }
            None
        }
    };
    let mut all = match facts_errors(&errors) {
        Value::Array(a) => a,
        _ => Vec::new(),
    };
    all.extend(param_errors);
    errors.clear();
    json!({
        "ok": all.is_empty(),
        "diagnostics": standard.warning_reports(),
        "errors": all,
        "outcome": outcome,
    })
}

/// Explains one unit: `{"ok": bool, "unit": {...}|null, "text": "…"|null, "errors": [...]}`.
pub fn explain(file: &str, source: &str, facts: &str, unit: &str, lang: Lang) -> Value {
    let standard = match Standard::compile(file, source) {
        Ok(s) => s,
        Err(e) => return json!({"ok": false, "unit": null, "text": null, "errors": e.reports()}),
    };
    let (loaded, errors) = standard.load_facts(facts);
    match standard.evaluate_with(&loaded, &[], true) {
        Ok(o) => match o.units.into_iter().find(|u| u.id == unit) {
            Some(u) => json!({
                "ok": errors.is_empty(),
                "text": crate::explain_text(&u, lang),
                "unit": u,
                "errors": facts_errors(&errors),
            }),
            None => {
                let e = crate::FactsErrorKind::UnknownUnit(unit.to_string());
                json!({"ok": false, "unit": null, "text": null, "errors": [{"code": e.code(), "unit": unit, "message_en": e.to_string(), "message_zh": e.message_zh()}]})
            }
        },
        Err(missing) => json!({"ok": false, "unit": null, "text": null, "errors": missing}),
    }
}

/// The gap plan for `unit` to reach `tier`, after the what-if `sets` (`UNIT.KEY=VALUE`):
/// `{"ok": bool, "plan": {"unit", "kind", "current", "target", "reachable", "changes", "issues",
/// "reasons"}|null, "errors": [...]}`.
pub fn gap(
    file: &str,
    source: &str,
    facts: &str,
    unit: &str,
    tier: &str,
    sets: &[String],
) -> Value {
    let standard = match Standard::compile(file, source) {
        Ok(s) => s,
        Err(e) => return json!({"ok": false, "plan": null, "errors": e.reports()}),
    };
    let (mut loaded, errors) = standard.load_facts(facts);
    let mut all = match facts_errors(&errors) {
        Value::Array(a) => a,
        _ => Vec::new(),
    };
    for a in sets {
        if let Err(e) = standard.set(&mut loaded, a) {
            all.push(json!({"code": e.code, "unit": e.unit, "key": e.key, "message_zh": e.message_zh(), "message_en": e.message_en()}));
        }
    }
    let as_of = loaded.as_of;
    match standard.gap(&loaded, &[], as_of, unit, tier) {
        Ok(plan) => json!({"ok": all.is_empty(), "plan": plan, "errors": all}),
        Err(e) => {
            all.push(json!({"code": "G0001", "unit": unit, "key": tier, "message_zh": e.message_zh(), "message_en": e.to_string()}));
            json!({"ok": false, "plan": null, "errors": all})
        }
    }
}

/// What changed between two facts files: `{"ok": bool, "diff": {...}|null, "errors": [...]}`.
pub fn diff(file: &str, source: &str, before: &str, after: &str) -> Value {
    let standard = match Standard::compile(file, source) {
        Ok(s) => s,
        Err(e) => return json!({"ok": false, "diff": null, "errors": e.reports()}),
    };
    let (a, ea) = standard.load_facts(before);
    let (b, eb) = standard.load_facts(after);
    let mut all = Vec::new();
    for (side, errors) in [("before", ea), ("after", eb)] {
        if let Value::Array(list) = facts_errors(&errors) {
            all.extend(list.into_iter().map(|mut e| {
                e["file"] = json!(side);
                e
            }));
        }
    }
    match standard.diff(&a, &b, &[]) {
        Ok(d) => json!({"ok": all.is_empty(), "diff": d, "errors": all}),
        Err(missing) => json!({"ok": false, "diff": null, "errors": missing}),
    }
}
