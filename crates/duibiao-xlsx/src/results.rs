//! Results as a workbook: a sheet of every unit's result (score, tier, the conditions it fails
//! and those still unknown, with their clauses, its vetoes and the data it lacks), the tiers
//! coloured; and a sheet per dated target with its result per street (or other unit it is set
//! for), coloured by verdict.

use crate::book::{self, Formats};
use crate::cells::exact_float;
use crate::problems::unwritable;
use duibiao::{
    ConditionOutcome, Lang, Outcome, Problems, Progress, TargetProgress, UnitOutcome, Verdict,
};
use rust_xlsxwriter::{
    Color, ConditionalFormatCell, ConditionalFormatCellRule, Format, Worksheet, XlsxError,
};

/// Fills for the tiers, lowest first (the highest tiers share the last).
const TIER_FILLS: [u32; 5] = [0xE2EFDA, 0xC6E0B4, 0xA9D08E, 0x70AD47, 0x548235];
/// Fills for verdicts: met, not met, unknown.
const VERDICT_FILLS: [(Verdict, u32); 3] = [
    (Verdict::Pass, 0xC6EFCE),
    (Verdict::Fail, 0xFFC7CE),
    (Verdict::Unknown, 0xFFEB9C),
];

/// The results workbook of an evaluation (`outcome`, with its conditions: evaluated with
/// [`duibiao::Detail::Conditions`]) and, when there is one, of its progress against the dated
/// targets, in `lang`.
pub fn results_workbook(
    outcome: &Outcome,
    progress: Option<&Progress>,
    lang: Lang,
) -> Result<Vec<u8>, Problems> {
    let write = || -> Result<Vec<u8>, XlsxError> {
        let mut wb = book::workbook();
        let formats = Formats::new();
        units_sheet(wb.add_worksheet(), outcome, lang, &formats)?;
        let mut names = Vec::new();
        for t in progress.map(|p| p.targets.as_slice()).unwrap_or_default() {
            let name = sheet_name(&t.name, &names);
            target_sheet(wb.add_worksheet().set_name(&name)?, t, lang, &formats)?;
            names.push(name);
        }
        wb.save_to_buffer()
    };
    write().map_err(|e| Problems::one(unwritable(e)))
}

/// Words in `lang`.
fn say(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::Zh => zh.to_string(),
        _ => en.to_string(),
    }
}

/// The units sheet.
fn units_sheet(
    ws: &mut Worksheet,
    outcome: &Outcome,
    lang: Lang,
    formats: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name(say(lang, "结果", "results"))?;
    let heads = [
        ("编号", "id", 12.0),
        ("名称", "name", 16.0),
        ("类型", "kind", 10.0),
        ("上级", "parent", 10.0),
        ("得分", "score", 9.0),
        ("满分", "of", 7.0),
        ("等级", "tier", 12.0),
        ("等级说明", "tiers", 28.0),
        ("否决事项", "vetoes", 28.0),
        ("未达到的条件", "conditions failed", 60.0),
        ("未知的条件", "conditions unknown", 60.0),
        ("未填报", "not reported", 30.0),
    ];
    head(
        ws,
        &heads.map(|(zh, en, w)| (say(lang, zh, en), w)),
        formats,
    )?;
    let none = say(lang, "—", "—");
    let mut tiers: Vec<String> = Vec::new();
    for (r, u) in (1u32..).zip(&outcome.units) {
        for t in u.tiers.keys() {
            if !tiers.contains(t) {
                tiers.push(t.clone());
            }
        }
        let score = match (&u.score, u.score_total.is_some() || u.formula) {
            (Some(s), _) => s.clone(),
            (None, true) => say(lang, "未知", "unknown"),
            (None, false) => String::new(),
        };
        let texts = [
            u.id.clone(),
            u.name.clone().unwrap_or_default(),
            u.kind.clone(),
            u.parent.clone().unwrap_or_default(),
        ];
        for (c, t) in (0u16..).zip(texts) {
            ws.write_string_with_format(r, c, t, &formats.text)?;
        }
        number_or_text(ws, r, 4, &score)?;
        number_or_text(ws, r, 5, u.score_total.as_deref().unwrap_or_default())?;
        ws.write_string(r, 6, u.tier.clone().unwrap_or_else(|| none.clone()))?;
        ws.write_string(
            r,
            7,
            duibiao::tier_text(u.tier.as_deref(), &u.tiers, u.rated, lang),
        )?;
        let lines = [
            vetoes(u, lang),
            conditions(u, Verdict::Fail, lang),
            conditions(u, Verdict::Unknown, lang),
            u.missing.join("、"),
        ];
        for (c, text) in (8u16..).zip(lines) {
            ws.write_string_with_format(r, c, text, &formats.wrap)?;
        }
    }
    let last = u32::try_from(outcome.units.len())
        .unwrap_or(u32::MAX)
        .max(1);
    for tier in &tiers {
        let fill = TIER_FILLS[rank(&outcome.units, tier).min(TIER_FILLS.len() - 1)];
        let rule = ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::EqualTo(format!("\"{tier}\"")))
            .set_format(
                Format::new()
                    .set_background_color(Color::RGB(fill))
                    .set_bold(),
            );
        ws.add_conditional_format(1, 6, last, 6, &rule)?;
    }
    ws.autofilter(0, 0, last, 11)?;
    Ok(())
}

/// Where a tier stands among its kind's tiers (0 the lowest), as the first unit with it says.
fn rank(units: &[UnitOutcome], tier: &str) -> usize {
    units
        .iter()
        .find_map(|u| u.tiers.get_index_of(tier))
        .unwrap_or(0)
}

/// The header row, frozen.
fn head(ws: &mut Worksheet, heads: &[(String, f64)], formats: &Formats) -> Result<(), XlsxError> {
    ws.set_freeze_panes(1, 0)?;
    for (c, (text, width)) in (0u16..).zip(heads) {
        ws.write_string_with_format(0, c, text, &formats.header)?;
        ws.set_column_width(c, *width)?;
    }
    Ok(())
}

/// A number as a number when the spreadsheet holds it exactly, else as text.
fn number_or_text(ws: &mut Worksheet, r: u32, c: u16, text: &str) -> Result<(), XlsxError> {
    match exact_float(text) {
        Some(n) => ws.write_number(r, c, n)?,
        None if text.is_empty() => ws,
        None => ws.write_string(r, c, text)?,
    };
    Ok(())
}

/// The vetoes that fired, or may have, with their clauses.
fn vetoes(u: &UnitOutcome, lang: Lang) -> String {
    u.vetoes
        .iter()
        .filter(|v| v.fired != Some(false))
        .map(|v| {
            let state = match v.fired {
                Some(_) => String::new(),
                None => say(lang, "（未知）", " (unknown)"),
            };
            format!("{}{state}{}", v.name, cited(v.clause.as_deref(), lang))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The conditions with `verdict` of the tiers the unit has not reached, a line each: the tier,
/// the condition's words, its numbers and its clause.
fn conditions(u: &UnitOutcome, verdict: Verdict, lang: Lang) -> String {
    let mut lines = Vec::new();
    for (tier, cs) in &u.conditions {
        if u.tiers.get(tier) == Some(&Verdict::Pass) {
            continue;
        }
        for c in cs.iter().filter(|c| c.verdict == verdict) {
            lines.push(format!("[{tier}] {}", condition(c, lang)));
        }
    }
    lines.join("\n")
}

/// A condition in a line: its label and words, the value against what it needs, its clause.
fn condition(c: &ConditionOutcome, lang: Lang) -> String {
    let what = match (&c.label, &c.text) {
        (Some(l), Some(t)) if l != t => format!("{l}：{t}"),
        (Some(l), _) => l.clone(),
        (None, Some(t)) => t.clone(),
        (None, None) => c.expr.clone(),
    };
    let numbers = match (&c.actual, &c.op, &c.threshold) {
        (Some(a), Some(op), Some(t)) => match lang {
            Lang::Zh => format!("（实际 {a}，要求{}{t}）", duibiao::op_words(op, lang)),
            _ => format!(" (actual {a}, needs {} {t})", duibiao::op_words(op, lang)),
        },
        _ => String::new(),
    };
    let missing = match c.missing.is_empty() {
        true => String::new(),
        false => match lang {
            Lang::Zh => format!("（缺少 {}）", c.missing.join("、")),
            _ => format!(" (missing {})", c.missing.join(", ")),
        },
    };
    format!(
        "{what}{numbers}{missing}{}",
        cited(c.clause.as_deref(), lang)
    )
}

/// A clause as cited at a line's end.
fn cited(clause: Option<&str>, lang: Lang) -> String {
    match (clause, lang) {
        (Some(c), Lang::Zh) => format!("〔{c}〕"),
        (Some(c), _) => format!(" [{c}]"),
        (None, _) => String::new(),
    }
}

/// A sheet's name for a target: its name without the characters a sheet's name cannot have,
/// at most 31 characters, numbered when another sheet has it already.
fn sheet_name(target: &str, taken: &[String]) -> String {
    let clean: String = target
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(28)
        .collect();
    let clean = match clean.trim_matches('\'') {
        "" => "目标".to_string(),
        c => c.to_string(),
    };
    let mut name = clean.clone();
    let mut n = 2;
    while taken.contains(&name) || name == "结果" || name == "results" {
        name = format!("{clean}({n})");
        n += 1;
    }
    name
}

/// A target's sheet: what it asks and by when, then a row per unit it is set for.
fn target_sheet(
    ws: &mut Worksheet,
    t: &TargetProgress,
    lang: Lang,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let about = [
        (say(lang, "目标", "target"), t.name.clone()),
        (
            say(lang, "要求", "asks"),
            t.text.clone().unwrap_or_else(|| t.expr.clone()),
        ),
        (
            say(lang, "出处", "clause"),
            t.clause.clone().unwrap_or_default(),
        ),
        (say(lang, "期限", "due"), t.due.clone()),
        (
            say(lang, "结论", "status"),
            duibiao::verdict_word(t.status, lang).to_string(),
        ),
    ];
    for (r, (k, v)) in (0u32..).zip(about) {
        ws.write_string_with_format(r, 0, k, &formats.header)?;
        ws.write_string_with_format(r, 1, v, &formats.wrap)?;
    }
    let top = 6u32;
    let heads = [
        ("单位", "unit", 12.0),
        ("名称", "name", 40.0),
        ("实际", "actual", 14.0),
        ("要求", "required", 14.0),
        ("结论", "verdict", 10.0),
    ];
    for (c, (zh, en, w)) in (0u16..).zip(heads) {
        ws.write_string_with_format(top, c, say(lang, zh, en), &formats.header)?;
        ws.set_column_width(c, w)?;
    }
    for (r, row) in (top + 1..).zip(&t.rows) {
        ws.write_string_with_format(r, 0, row.unit.clone().unwrap_or_default(), &formats.text)?;
        ws.write_string(r, 1, row.name.clone().unwrap_or_default())?;
        number_or_text(ws, r, 2, row.actual.as_deref().unwrap_or_default())?;
        let required = match (&row.op, &row.required) {
            (Some(op), Some(req)) => format!("{}{req}", duibiao::op_words(op, lang)),
            _ => String::new(),
        };
        ws.write_string(r, 3, required)?;
        ws.write_string(r, 4, duibiao::verdict_word(row.verdict, lang))?;
    }
    let last = top + u32::try_from(t.rows.len()).unwrap_or(u32::MAX).max(1);
    for (verdict, fill) in VERDICT_FILLS {
        let rule = ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::EqualTo(format!(
                "\"{}\"",
                duibiao::verdict_word(verdict, lang)
            )))
            .set_format(Format::new().set_background_color(Color::RGB(fill)));
        ws.add_conditional_format(top + 1, 4, last, 4, &rule)?;
        ws.add_conditional_format(4, 1, 4, 1, &rule)?;
    }
    Ok(())
}
