//! The canonical source text of a syntax tree: one fixed layout of the language, so that files
//! that parse to the same tree (positions aside) print the same text. It is what a standard's
//! fingerprint hashes, and what a formatter writes.
//!
//! The layout: English keywords; the header's fields in the order `title`, `issuer`, `number`,
//! `source`, `effective`; one declaration per line, with a blank line around every block and
//! between declarations of different sorts; the members of a block one per line, indented by two
//! spaces per level; single spaces around operators, `, ` between list items; parentheses only
//! where the tree needs them; strings in `"…"`, or in `“…”` when they contain `"`; numbers with
//! the digits and decimal places they were written with (`8.50` stays `8.50`, `07` is `7`), units
//! in one spelling (`%`, `平方米`, `元`, `万元`, `学时`, `分`, `天`, `个`); dates as `YYYY-MM-DD`;
//! quota rows name their unit in quotes. Comments are not part of the tree and are not printed.
//!
//! The text parses again to the same tree: `parse(print(f))` equals `f` apart from spans, and
//! printing is idempotent. (The text of a file close to the size limit may be longer than the
//! limit, since it writes dates and units in full.)
//!
//! ```
//! let file = duibiao_syntax::parse("standard s{title“示例”}\nkind 社区\n单位 小区 # 注释")
//!     .map_err(|e| format!("{e:?}"))?;
//! let text = duibiao_syntax::canonical::print(&file);
//! assert_eq!(text, "standard s {\n  title \"示例\"\n}\n\nkind 社区\nkind 小区\n");
//! # Ok::<(), String>(())
//! ```

mod expr;
mod guide;
mod rating;

use crate::ast::*;
use expr::{expr, Follow};

/// Stack left before printing a nested expression or group grows the stack.
const RED_ZONE: usize = 64 * 1024;
/// Stack added each time it grows.
const STACK_SEGMENT: usize = 2 * 1024 * 1024;

/// The canonical source text of a whole file, ending with a line break.
pub fn print(file: &File) -> String {
    let mut out = String::new();
    header(&mut out, &file.header);
    let mut prev: Option<&Decl> = None;
    for d in &file.decls {
        let together = prev.is_some_and(|p| {
            !is_block(p) && !is_block(d) && std::mem::discriminant(p) == std::mem::discriminant(d)
        });
        if !together {
            out.push('\n');
        }
        decl(&mut out, d);
        prev = Some(d);
    }
    out
}

/// The canonical source text of one expression, as it stands on its own (for example after
/// `requirement:`), on one line.
pub fn print_expr(e: &Expr) -> String {
    let mut out = String::new();
    expr(&mut out, e, Follow::End);
    out
}

/// Writes a string in quotes: `"…"`, or `“…”` when it contains `"` (which the language allows
/// only there, with its inner `“”` balanced).
fn quote(out: &mut String, s: &str) {
    if s.contains('"') && balanced(s) {
        out.push('“');
        out.push_str(s);
        out.push('”');
    } else {
        out.push('"');
        out.push_str(s);
        out.push('"');
    }
}

/// Whether every `”` of `s` closes an earlier `“` and every `“` is closed.
fn balanced(s: &str) -> bool {
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '“' => depth += 1,
            '”' => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return false,
            },
            _ => {}
        }
    }
    depth == 0
}

// ---------------------------------------------------------------- declarations

fn is_block(d: &Decl) -> bool {
    matches!(
        d,
        Decl::Facts(_)
            | Decl::Derive(_)
            | Decl::Requirements(_)
            | Decl::Scorecard(_)
            | Decl::Tiers(_)
            | Decl::Quota(_)
            | Decl::Records(_)
    )
}

fn header(out: &mut String, h: &Header) {
    out.push_str("standard ");
    out.push_str(&h.slug.name);
    let fields = [
        ("title", &h.title),
        ("issuer", &h.issuer),
        ("number", &h.number),
        ("source", &h.source),
    ];
    if fields.iter().all(|(_, t)| t.is_none()) && h.effective.is_none() {
        out.push_str(" {}\n");
        return;
    }
    out.push_str(" {\n");
    for (keyword, t) in fields {
        if let Some(t) = t {
            out.push_str("  ");
            out.push_str(keyword);
            out.push(' ');
            quote(out, &t.value);
            out.push('\n');
        }
    }
    if let Some((from, to)) = &h.effective {
        out.push_str("  effective ");
        period(out, from, to);
        out.push('\n');
    }
    out.push_str("}\n");
}

fn decl(out: &mut String, d: &Decl) {
    match d {
        Decl::Kind(k) => {
            out.push_str("kind ");
            out.push_str(&k.name.name);
            if !k.contains.is_empty() {
                out.push_str(" contains ");
                names(out, &k.contains);
            }
            annotation(out, &k.ann);
            out.push('\n');
        }
        Decl::Facts(f) => {
            out.push_str("facts ");
            names(out, &f.kinds);
            block(out, 0, &f.facts, fact);
        }
        Decl::Param(p) => param(out, p),
        Decl::Derive(d) => {
            out.push_str("derive ");
            names(out, &d.kinds);
            block(out, 0, &d.values, |out, depth, v| {
                indent(out, depth);
                out.push_str(&v.name.name);
                if let Some(t) = &v.ty {
                    out.push_str(": ");
                    type_expr(out, t);
                }
                out.push_str(" = ");
                expr(out, &v.expr, Follow::End);
                annotation(out, &v.ann);
                out.push('\n');
            });
        }
        Decl::Requirements(r) => {
            out.push_str("requirements ");
            names(out, &r.kinds);
            out.push(' ');
            group_body(out, 0, &r.group);
        }
        Decl::Scorecard(s) => scorecard(out, s),
        Decl::Tiers(t) => tiers(out, t),
        Decl::Veto(v) => {
            out.push_str("veto ");
            names(out, &v.kinds);
            out.push(' ');
            out.push_str(&v.name.name);
            out.push_str(": ");
            expr(out, &v.expr, Follow::End);
            out.push_str(" blocks ");
            names(out, &v.blocks);
            annotation(out, &v.ann);
            out.push('\n');
        }
        Decl::Target(t) => target(out, t),
        Decl::Quota(q) => quota(out, q),
        Decl::Consequence(c) => consequence(out, c),
        Decl::Omit(o) => {
            out.push_str("omit ");
            quote(out, &o.clause.value);
            out.push_str(" reason ");
            quote(out, &o.reason.value);
            out.push('\n');
        }
        Decl::Score(s) => rating::score(out, s),
        Decl::Unrated(u) => rating::unrated(out, u),
        Decl::Cap(c) => rating::cap(out, c),
        Decl::Limit(l) => rating::limit(out, l),
        Decl::Records(r) => {
            out.push_str("records ");
            names(out, &r.owners);
            out.push(' ');
            out.push_str(&r.name.name);
            annotation(out, &r.ann);
            block(out, 0, &r.fields, fact);
        }
        Decl::Guide(g) => guide::guide(out, g),
    }
}

/// One fact of a `facts` block, or a field of a `records` declaration, on its line.
fn fact(out: &mut String, depth: usize, fact: &FactDecl) {
    indent(out, depth);
    out.push_str(&fact.name.name);
    out.push_str(": ");
    type_expr(out, &fact.ty);
    annotation(out, &fact.ann);
    out.push('\n');
}

fn param(out: &mut String, p: &ParamDecl) {
    out.push_str("param ");
    out.push_str(&p.name.name);
    if let Some(t) = &p.ty {
        out.push_str(": ");
        type_expr(out, t);
    }
    match &p.value {
        None => {}
        Some(ParamValue::Fixed(l)) => {
            out.push_str(" = ");
            literal(out, l);
        }
        Some(ParamValue::Dated(values)) => {
            out.push_str(" = {");
            for (i, (from, to, value)) in values.iter().enumerate() {
                out.push_str(if i == 0 { " " } else { ", " });
                period(out, from, to);
                out.push_str(": ");
                literal(out, value);
            }
            out.push_str(" }");
        }
    }
    annotation(out, &p.ann);
    out.push('\n');
}

/// A group's name, annotation and members, the members indented one level below `depth`.
fn group_body(out: &mut String, depth: usize, g: &Group) {
    out.push_str(&g.name.name);
    annotation(out, &g.ann);
    block(out, depth, &g.members, |out, depth, m| {
        indent(out, depth);
        match m {
            GroupMember::Group(g) => {
                out.push_str("group ");
                stacker::maybe_grow(RED_ZONE, STACK_SEGMENT, || group_body(out, depth, g));
            }
            GroupMember::Requirement(r) => {
                out.push_str(&r.name.name);
                out.push_str(": ");
                expr(out, &r.expr, Follow::End);
                if let Some(w) = &r.when {
                    out.push_str(" when ");
                    expr(out, w, Follow::End);
                }
                annotation(out, &r.ann);
                out.push('\n');
            }
        }
    });
}

fn scorecard(out: &mut String, s: &ScorecardDecl) {
    out.push_str("scorecard ");
    names(out, &s.kinds);
    if let Some(n) = &s.name {
        out.push(' ');
        out.push_str(&n.name);
    }
    out.push_str(" total ");
    quantity(out, &s.total);
    annotation(out, &s.ann);
    block(out, 0, &s.items, |out, depth, item| {
        indent(out, depth);
        out.push_str("item ");
        out.push_str(&item.number.0.to_string());
        out.push(' ');
        quote(out, &item.title.value);
        out.push_str(" max ");
        quantity(out, &item.max);
        annotation(out, &item.ann);
        if item.parts.is_empty() {
            out.push('\n');
            return;
        }
        block(out, depth, &item.parts, |out, depth, part| {
            indent(out, depth);
            out.push_str("part ");
            out.push_str(&part.number.0.to_string());
            out.push(' ');
            quote(out, &part.text.value);
            out.push(' ');
            quantity(out, &part.points);
            if let Some(c) = &part.cite {
                citation(out, c);
            }
            out.push('\n');
        });
    });
}

fn tiers(out: &mut String, t: &TiersDecl) {
    out.push_str("tiers ");
    names(out, &t.kinds);
    annotation(out, &t.ann);
    block(out, 0, &t.tiers, |out, depth, tier| {
        indent(out, depth);
        out.push_str(&tier.name.name);
        if !tier.requires.is_empty() {
            out.push_str(" requires ");
            names(out, &tier.requires);
        }
        annotation(out, &tier.ann);
        conditions(out, depth, &tier.conditions);
    });
}

/// A tier's conditions. An unlabelled condition that starts with `(`, `-` or a digit would
/// continue the condition before it (`a` then `(b)` reads as the call `a(b)`), so the condition
/// before it ends with `;` unless it ends with a string.
fn conditions(out: &mut String, depth: usize, conds: &[ConditionDecl]) {
    if conds.is_empty() {
        out.push_str(" {}\n");
        return;
    }
    out.push_str(" {\n");
    let texts: Vec<String> = conds.iter().map(|c| print_expr(&c.expr)).collect();
    for (i, (c, text)) in conds.iter().zip(&texts).enumerate() {
        indent(out, depth + 1);
        if let Some(label) = &c.label {
            out.push_str(&label.name);
            out.push_str(": ");
        }
        out.push_str(text);
        annotation(out, &c.ann);
        let next_unlabelled = conds.get(i + 1).is_some_and(|n| n.label.is_none());
        let next_continues = texts
            .get(i + 1)
            .and_then(|t| t.chars().next())
            .is_some_and(|ch| ch == '(' || ch == '-' || ch.is_ascii_digit());
        let ends_with_string = c.ann.doc.is_some() || c.ann.cite.is_some();
        if next_unlabelled && next_continues && !ends_with_string {
            out.push(';');
        }
        out.push('\n');
    }
    indent(out, depth);
    out.push_str("}\n");
}

fn target(out: &mut String, t: &TargetDecl) {
    out.push_str("target ");
    out.push_str(&t.name.name);
    match &t.scope {
        TargetScope::Overall => out.push_str(" overall"),
        TargetScope::Kinds(kinds) => {
            out.push_str(" on ");
            names(out, kinds);
        }
    }
    out.push_str(" due ");
    match &t.due {
        Due::Date(d) => date(out, d),
        Due::Quota(q) => {
            out.push_str("quota ");
            out.push_str(&q.name);
        }
    }
    if t.soft {
        out.push_str(" soft");
    }
    out.push_str(": ");
    expr(out, &t.expr, Follow::End);
    annotation(out, &t.ann);
    out.push('\n');
}

fn quota(out: &mut String, q: &QuotaDecl) {
    out.push_str("quota ");
    out.push_str(&q.name.name);
    out.push_str(": ");
    type_expr(out, &q.ty);
    out.push_str(" on ");
    out.push_str(&q.kind.name);
    annotation(out, &q.ann);
    out.push_str(" {\n  columns ");
    for (i, d) in q.columns.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        date(out, d);
    }
    out.push('\n');
    for row in &q.rows {
        out.push_str("  ");
        quote(out, &row.unit.name);
        out.push(':');
        for (i, v) in row.values.iter().enumerate() {
            out.push_str(if i == 0 { " " } else { ", " });
            literal(out, v);
        }
        out.push('\n');
    }
    out.push_str("}\n");
}

fn consequence(out: &mut String, c: &ConsequenceDecl) {
    out.push_str("consequence ");
    out.push_str(&c.name.name);
    out.push_str(" on ");
    names(out, &c.kinds);
    out.push_str(" when ");
    expr(out, &c.when, Follow::End);
    out.push_str(" amount ");
    expr(out, &c.amount, Follow::End);
    for (i, (payer, share)) in c.split.iter().enumerate() {
        out.push_str(if i == 0 { " split " } else { ", " });
        out.push_str(&payer.name);
        out.push(' ');
        quantity(out, share);
    }
    annotation(out, &c.ann);
    out.push('\n');
}

// ---------------------------------------------------------------- pieces

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

/// ` {}` for no members, or each member on its lines one level below `depth`, then `}`.
fn block<T>(
    out: &mut String,
    depth: usize,
    members: &[T],
    mut member: impl FnMut(&mut String, usize, &T),
) {
    if members.is_empty() {
        out.push_str(" {}\n");
        return;
    }
    out.push_str(" {\n");
    for m in members {
        member(out, depth + 1, m);
    }
    indent(out, depth);
    out.push_str("}\n");
}

fn names(out: &mut String, names: &[Ident]) {
    for (i, n) in names.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&n.name);
    }
}

fn annotation(out: &mut String, ann: &Annotation) {
    if let Some(doc) = &ann.doc {
        out.push(' ');
        quote(out, &doc.value);
    }
    if let Some(c) = &ann.cite {
        citation(out, c);
    }
}

fn citation(out: &mut String, c: &Citation) {
    out.push_str(" cite ");
    quote(out, &c.clause.value);
    if let Some(t) = &c.text {
        out.push_str(" text ");
        quote(out, &t.value);
    }
}

fn type_expr(out: &mut String, t: &TypeExpr) {
    match t {
        TypeExpr::Simple(s, _) => out.push_str(match s {
            SimpleType::Bool => "bool",
            SimpleType::Int => "int",
            SimpleType::Decimal => "decimal",
            SimpleType::Percent => "percent",
            SimpleType::Money => "money",
            SimpleType::Area => "area",
            SimpleType::Hours => "hours",
            SimpleType::Points => "points",
            SimpleType::Days => "days",
            SimpleType::Date => "date",
            SimpleType::Tier => "tier",
            SimpleType::Text => "text",
        }),
        TypeExpr::Enum(values, _) => {
            out.push_str("enum(");
            names(out, values);
            out.push(')');
        }
    }
}

fn period(out: &mut String, from: &DateLit, to: &DateLit) {
    date(out, from);
    out.push_str(" .. ");
    date(out, to);
}

fn date(out: &mut String, d: &DateLit) {
    out.push_str(&d.date.format("%Y-%m-%d").to_string());
}

fn quantity(out: &mut String, q: &Quantity) {
    out.push_str(&q.number.to_string());
    out.push_str(match q.unit {
        UnitSuffix::None => "",
        UnitSuffix::Percent => "%",
        UnitSuffix::SquareMetre => "平方米",
        UnitSuffix::Yuan => "元",
        UnitSuffix::WanYuan => "万元",
        UnitSuffix::Hours => "学时",
        UnitSuffix::Points => "分",
        UnitSuffix::Days => "天",
        UnitSuffix::Years => "年",
        UnitSuffix::Months => "个月",
        UnitSuffix::Count => "个",
    });
}

fn literal(out: &mut String, l: &Literal) {
    match l {
        Literal::Bool(b, _) => out.push_str(if *b { "true" } else { "false" }),
        Literal::Date(d) => date(out, d),
        Literal::Quantity(q) => quantity(out, q),
    }
}
