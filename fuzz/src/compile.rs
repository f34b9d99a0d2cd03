//! The `compile_bytes` and `compile_tokens` targets: source text, from any bytes or built from
//! tokens, compiled as a standard; what compiles is rendered and evaluated from its templates.

use super::check_problems;
use duibiao::{Lang, Options, Standard};
use serde_json::json;

/// `compile_bytes`: any bytes, as UTF-8 (lossy), compiled as a standard.
pub fn compile_bytes(data: &[u8]) {
    compile_text(&String::from_utf8_lossy(data));
}

/// Compiles `text`; renders its problems; for a standard that compiles, its traceability page,
/// its templates, and an evaluation of one unit of each kind built from them.
pub fn compile_text(text: &str) {
    match Standard::compile("fuzz.std", text) {
        Err(problems) => {
            check_problems(problems.iter());
            for lang in [Lang::Zh, Lang::En] {
                duibiao::render::render_all(&problems.0, Some(text), lang);
            }
        }
        Ok(standard) => {
            check_problems(standard.warnings());
            duibiao::render::render_all(standard.warnings(), Some(text), Lang::Zh);
            duibiao::traceability::page(&standard);
            let again = Standard::compile("fuzz.std", text)
                .unwrap_or_else(|e| panic!("compiles once, not twice: {}", e.render(Lang::En)));
            assert_eq!(standard.fingerprint(), again.fingerprint(), "fingerprint");
            evaluate_templates(&standard);
        }
    }
}

/// One unit of each kind, from the standard's templates (with ids), loaded and evaluated.
fn evaluate_templates(standard: &Standard) {
    let mut units = Vec::new();
    let mut params = serde_json::Map::new();
    for (i, kind) in standard.kinds().into_iter().enumerate() {
        let t = standard
            .template(kind)
            .unwrap_or_else(|e| panic!("no template of its own kind: {}", e.render(Lang::En)));
        if let Some(p) = t["params"].as_object() {
            params.extend(p.clone());
        }
        let mut unit = t["units"][0].clone();
        unit["id"] = json!(format!("U{i}"));
        units.push(unit);
    }
    let facts = json!({"as_of": "2021-12-31", "params": params, "units": units}).to_string();
    let (loaded, problems) = standard.load_facts(&facts);
    check_problems(&problems);
    match standard.evaluate(&loaded, &Options::default()) {
        Ok(outcome) => {
            json_of!(&outcome);
        }
        Err(problems) => check_problems(problems.iter()),
    }
}

/// The pieces `compile_tokens` builds source text from: the keywords in both languages, names,
/// numbers with and without units, dates, strings, brackets and operators.
#[rustfmt::skip]
pub const TOKENS: &[&str] = &[
    // Keywords.
    "standard", "标准", "title", "标题", "issuer", "number", "source", "effective", "有效期",
    "kind", "单位", "contains", "包含", "facts", "填报", "param", "参数", "derive", "计算",
    "requirements", "要求", "group", "scorecard", "评分", "total", "总分", "item", "项目",
    "part", "分项", "max", "满分", "tiers", "等级", "requires", "基于", "veto", "否决", "blocks",
    "阻止", "cite", "依据", "text", "score", "得分", "all", "所有", "any", "count", "数量",
    "share", "sum", "合计", "of", "direct", "at", "达到", "where", "满足", "ifnone", "if", "如果",
    "then", "else", "否则", "and", "且", "or", "或", "not", "true", "是", "false", "否", "when",
    "仅当", "as_of", "target", "on", "overall", "due", "截至", "soft", "quota", "columns",
    "consequence", "amount", "split", "omit", "reason", "rank", "peers", "among", "siblings",
    "ties", "shared", "by_id", "ascending",
    // Types.
    "bool", "int", "percent", "money", "area", "points", "date", "enum", "档次",
    // Names.
    "demo", "街道", "社区", "小区", "甲", "乙", "x", "标准型", "示范型", "一票否决", "户数",
    // Numbers, dates, strings.
    "0", "1", "6", "10", "100", "2.5", "6.1", "300平方米", "30%", "5万元", "56学时", "-",
    "99999999999999999999999999999", "2021-01-01", "2023-12-31", "2021-02-30", "\"标题\"",
    "“原文”", "\"",
    // Punctuation and operators.
    "{", "}", "(", ")", ":", "：", ",", "、", ";", "=", "..", ">=", "<", "==", "!=", "不少于",
    "超过", "不满", "+", "*", "/", "\n", "#",
];

/// `compile_tokens`: each byte picks a piece of [`TOKENS`]; the pieces, separated by spaces,
/// are compiled as a standard.
pub fn compile_tokens(data: &[u8]) {
    compile_text(&token_text(data));
}

/// The source text `compile_tokens` makes of `data`.
pub fn token_text(data: &[u8]) -> String {
    let pieces: Vec<&str> = data
        .iter()
        .map(|&b| TOKENS[b as usize % TOKENS.len()])
        .collect();
    pieces.join(" ")
}
