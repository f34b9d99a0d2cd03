//! What a policy writer most likely meant where the grammar could not go on: a keyword used as a
//! name, two comparisons in a row, a derived value written with `:`. Each is recognised from the text around the error, so that the
//! message can say how to write it instead of listing what the grammar expected.

use super::errors::DECL_KEYWORDS;
use super::literals::cmp_op;
use super::{Rule, StdParser};
use crate::error::Hint;
use pest::Parser as _;

/// The keywords that start a `derive` declaration.
const DERIVE_KEYWORDS: &[&str] = &["derive", "计算"];

/// Keywords that start an operand (`比例 小区 at 红色小区`): written where a value's name stands
/// (`比例 * 2`), they leave the grammar waiting for a kind, `(` or `among`.
const OPERAND_KEYWORDS: &[Rule] = &[
    Rule::kw_all,
    Rule::kw_any,
    Rule::kw_count,
    Rule::kw_share,
    Rule::kw_sum,
    Rule::kw_rank,
    Rule::kw_peers,
];

/// A hint for a syntax error at byte `pos` of `src`, where the grammar expected `positives`,
/// with the byte range the error is then about.
pub(super) fn hint(src: &str, pos: usize, positives: &[Rule]) -> Option<(Hint, (usize, usize))> {
    let before = src.get(..pos)?;
    let rest = src.get(pos..)?;
    let expects = |rules: &[Rule]| positives.iter().any(|r| rules.contains(r));
    let keyword = if expects(&[Rule::ident, Rule::name, Rule::kind_list]) {
        leading_keyword(before, rest).map(|k| (pos, k))
    } else if rest.starts_with([':', '：']) {
        keyword_label(before)
    } else {
        None
    };
    if let Some((at, k)) = keyword.or_else(|| operand_keyword(before, rest)) {
        let end = at + k.len();
        return Some((Hint::Keyword(k), (at, end)));
    }
    if let Some(found) = chained_comparison(before, rest) {
        return Some(found);
    }
    if expects(&[Rule::type_expr, Rule::simple_type, Rule::enum_type]) {
        return derived_colon(before, rest);
    }
    None
}

/// The keyword `rest` starts with, if any, unless it starts a declaration at the start of a line
/// (then the likelier mistake is an unclosed block before it). Within a line a declaration's
/// keyword stands where a name should: `scorecard 党支部 评分 total 100` names the card `评分`.
fn leading_keyword(before: &str, rest: &str) -> Option<String> {
    let p = StdParser::parse(Rule::keyword, rest).ok()?.next()?;
    let word = p.as_str();
    let line_start = before.rsplit('\n').next().unwrap_or("").trim().is_empty();
    (!(line_start && DECL_KEYWORDS.contains(&word))).then(|| word.to_string())
}

/// The keyword just before a colon, and where it starts, if it is one where a label stands (first
/// on its line or in its block): a keyword used as a label (`得分: score >= 6`), which the grammar
/// read as the start of an expression.
fn keyword_label(before: &str) -> Option<(usize, String)> {
    let (at, word) = last_word(before)?;
    let lead = before[..at].rsplit('\n').next().unwrap_or("").trim_end();
    let label = lead.is_empty() || lead.ends_with('{');
    (label && whole(Rule::keyword, word)).then(|| (at, word.to_string()))
}

/// The keyword just before the error, and where it starts, when it starts an operand and what
/// follows cannot continue it (`比例 * 2`, `比例 >= 30%`): the writer used it as the name of a
/// value.
fn operand_keyword(before: &str, rest: &str) -> Option<(usize, String)> {
    if rest
        .chars()
        .next()
        .is_some_and(|c| is_name_char(c) || matches!(c, '(' | '（'))
    {
        return None;
    }
    let (start, word) = last_word(before)?;
    OPERAND_KEYWORDS
        .iter()
        .any(|r| whole(*r, word))
        .then(|| (start, word.to_string()))
}

/// Two comparisons in a row: `rest` starts with a comparison, and the line before it ends with a
/// whole one (`80 <= score` before `< 90`). The range is the whole condition.
fn chained_comparison(before: &str, rest: &str) -> Option<(Hint, (usize, usize))> {
    let op2 = StdParser::parse(Rule::cmp_op, rest).ok()?.next()?.as_str();
    let after = rest.get(op2.len()..)?;
    let third_at = before.len() + op2.len() + (after.len() - after.trim_start().len());
    let third = StdParser::parse(Rule::sum_expr, after.trim_start())
        .ok()?
        .next()?
        .as_str()
        .trim_end();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.get(line_start..)?;
    let (start, (a, op1, b)) = line.char_indices().find_map(|(i, c)| {
        let boundary = line[..i]
            .chars()
            .next_back()
            .is_none_or(|p| p.is_whitespace() || matches!(p, '{' | '(' | '（' | ':' | '：'));
        if !boundary || c.is_whitespace() {
            return None;
        }
        comparison(line[i..].trim_end()).map(|parts| (line_start + i, parts))
    })?;
    let end = third_at + third.len();
    let written = format!(
        "{}{}",
        before.get(start..)?,
        rest.get(..end - before.len())?
    );
    let hint = Hint::ChainedComparison {
        written,
        first: format!("{b} {} {a}", cmp_op(op1).flipped().symbol()),
        second: format!("{b} {op2} {third}"),
    };
    Some((hint, (start, end)))
}

/// The operands and operator of `text` when it is one whole comparison.
fn comparison(text: &str) -> Option<(&str, &str, &str)> {
    let pair = StdParser::parse(Rule::cmp_expr, text).ok()?.next()?;
    if pair.as_str().len() != text.len() {
        return None;
    }
    let mut parts = pair.into_inner();
    let (a, op, b) = (parts.next()?, parts.next()?, parts.next()?);
    let (a, b) = (a.as_str().trim_end(), b.as_str().trim_end());
    (op.as_rule() == Rule::cmp_op).then(|| (a, op.as_str(), b))
}

/// A derived value written `名称: 表达式`: in a `derive` block, a name and a colon before the
/// error and a formula after it. The range is the colon.
fn derived_colon(before: &str, rest: &str) -> Option<(Hint, (usize, usize))> {
    let upto = before.trim_end();
    let colon = upto
        .chars()
        .next_back()
        .filter(|c| matches!(c, ':' | '：'))?;
    let colon_at = upto.len() - colon.len_utf8();
    let name = upto[..colon_at].rsplit('\n').next()?.trim();
    // A type after the colon is right; what is wrong comes after it.
    let typed = StdParser::parse(Rule::type_expr, rest).is_ok();
    if typed || !whole(Rule::ident, name) || !in_derive(before) {
        return None;
    }
    let expr = StdParser::parse(Rule::expr, rest)
        .ok()?
        .next()?
        .as_str()
        .trim_end();
    let hint = Hint::DerivedColon {
        name: name.to_string(),
        expr: expr.to_string(),
        colon,
    };
    Some((hint, (colon_at, upto.len())))
}

/// Whether the last declaration that starts a line of `before` is a `derive` block.
fn in_derive(before: &str) -> bool {
    before
        .lines()
        .rev()
        .filter_map(|l| l.split_whitespace().next())
        .find(|w| DECL_KEYWORDS.contains(w))
        .is_some_and(|w| DERIVE_KEYWORDS.contains(&w))
}

/// Whether `text` is all one `rule`.
fn whole(rule: Rule, text: &str) -> bool {
    StdParser::parse(rule, text)
        .ok()
        .and_then(|mut p| p.next())
        .is_some_and(|p| p.as_str() == text)
}

/// The word `before` ends with (spaces aside), and where it starts.
fn last_word(before: &str) -> Option<(usize, &str)> {
    let text = before.trim_end();
    let start = text
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_name_char(*c))
        .last()?
        .0;
    Some((start, &text[start..]))
}

/// Whether `c` may be part of a name.
fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}
