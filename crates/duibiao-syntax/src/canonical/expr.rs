//! Expressions in canonical form: operators with single spaces around them, and parentheses
//! exactly where the tree needs them to parse back (a looser operand, an `and` inside an `and`, an
//! `if` followed by an operator, an aggregate ending with its kinds followed by a comma, a chain
//! longer than the parser takes at once).

use super::{literal, names, RED_ZONE, STACK_SEGMENT};
use crate::ast::*;
use crate::prescan::MAX_TERMS;

/// What follows an expression in the text, which decides whether an open-ended expression must
/// be closed with parentheses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Follow {
    /// Nothing that could continue it: a keyword, a string, `)`, the end of the line.
    End,
    /// An operator, which the `else` of a bare `if` would take as its own.
    Op,
    /// A comma, which an aggregate ending with its kinds would take as its own.
    Comma,
}

/// Binding strength, loosest first (the grammar's `or_expr` … `primary`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    Or,
    And,
    Not,
    Cmp,
    Sum,
    Prod,
    Unary,
    Primary,
}

fn level(e: &Expr) -> Level {
    match &e.kind {
        ExprKind::Or(_) => Level::Or,
        ExprKind::And(_) => Level::And,
        ExprKind::Not(_) => Level::Not,
        ExprKind::Compare(..) => Level::Cmp,
        ExprKind::Binary(op, ..) if is_product(*op) => Level::Prod,
        ExprKind::Binary(..) => Level::Sum,
        ExprKind::Neg(_) => Level::Unary,
        _ => Level::Primary,
    }
}

fn is_product(op: BinOp) -> bool {
    matches!(op, BinOp::Mul | BinOp::Div)
}

/// Writes `e`, followed in the text by `follow`.
pub(super) fn expr(out: &mut String, e: &Expr, follow: Follow) {
    stacker::maybe_grow(RED_ZONE, STACK_SEGMENT, || expr_on_stack(out, e, follow));
}

/// An operand that stands bare when it binds at least as tightly as `min`.
fn operand(out: &mut String, e: &Expr, min: Level, follow: Follow) {
    if level(e) < min {
        parenthesized(out, e);
    } else {
        expr(out, e, follow);
    }
}

fn parenthesized(out: &mut String, e: &Expr) {
    out.push('(');
    expr(out, e, Follow::End);
    out.push(')');
}

fn expr_on_stack(out: &mut String, e: &Expr, follow: Follow) {
    match &e.kind {
        ExprKind::Literal(l) => literal(out, l),
        ExprKind::Name(n) => out.push_str(&n.name),
        ExprKind::Score(key) => {
            out.push_str("score");
            if let Some((k, _)) = key {
                out.push(' ');
                out.push_str(k);
            }
        }
        ExprKind::Call(f, args) => {
            out.push_str(&f.name);
            out.push('(');
            for (i, a) in args.iter().enumerate() {
                let last = i + 1 == args.len();
                if i > 0 {
                    out.push_str(", ");
                }
                expr(out, a, if last { Follow::End } else { Follow::Comma });
            }
            out.push(')');
        }
        ExprKind::Neg(x) => {
            out.push('-');
            operand(out, x, Level::Primary, follow);
        }
        ExprKind::Binary(..) => chain(out, e, follow),
        ExprKind::Compare(op, a, b) => {
            operand(out, a, Level::Sum, Follow::Op);
            out.push(' ');
            out.push_str(op.symbol());
            out.push(' ');
            operand(out, b, Level::Sum, follow);
        }
        ExprKind::And(xs) => junction(out, xs, "and", Level::Not, follow),
        ExprKind::Or(xs) => junction(out, xs, "or", Level::And, follow),
        ExprKind::Not(x) => {
            out.push_str("not ");
            operand(out, x, Level::Cmp, follow);
        }
        ExprKind::If(c, t, f) => {
            if follow == Follow::Op {
                parenthesized(out, e);
            } else {
                out.push_str("if ");
                expr(out, c, Follow::End);
                out.push_str(" then ");
                expr(out, t, Follow::End);
                out.push_str(" else ");
                expr(out, f, follow);
            }
        }
        ExprKind::Aggregate(a) => {
            let ends_with_kinds =
                a.at.is_none() && a.filter.is_none() && a.of.is_none() && a.if_none.is_none();
            if follow == Follow::Comma && ends_with_kinds {
                parenthesized(out, e);
            } else {
                aggregate(out, a);
            }
        }
        ExprKind::AsOf => out.push_str("as_of"),
        ExprKind::Rank(r) => {
            out.push_str("rank (");
            expr(out, &r.value, Follow::End);
            out.push(')');
            if r.ascending {
                out.push_str(" ascending");
            }
            out.push_str(" among ");
            scope(out, &r.scope);
            peer_parts(out, &r.pool, r.filter.as_deref());
            ties(out, r.ties);
        }
        // Kinds listed last would take the next argument's name as one more kind.
        ExprKind::Peers(p)
            if follow == Follow::Comma && !p.pool.is_empty() && p.filter.is_none() =>
        {
            parenthesized(out, e)
        }
        ExprKind::Peers(p) => {
            out.push_str("peers among ");
            scope(out, &p.scope);
            peer_parts(out, &p.pool, p.filter.as_deref());
        }
    }
}

/// ` of KINDS` and ` where (…)` of a rank or a count of peers, when written.
fn peer_parts(out: &mut String, pool: &[Ident], filter: Option<&Expr>) {
    if !pool.is_empty() {
        out.push_str(" of ");
        names(out, pool);
    }
    if let Some(f) = filter {
        out.push_str(" where (");
        expr(out, f, Follow::End);
        out.push(')');
    }
}

/// `a and b and …` / `a or b or …`. The parser does not flatten a parenthesized `and` inside an
/// `and`, so such an operand keeps its parentheses. (No operands, which no parse gives, print
/// as the junction's neutral value.)
fn junction(out: &mut String, xs: &[Expr], word: &str, min: Level, follow: Follow) {
    if xs.is_empty() {
        out.push_str(if word == "and" { "true" } else { "false" });
        return;
    }
    for (i, x) in xs.iter().enumerate() {
        let last = i + 1 == xs.len();
        if i > 0 {
            out.push(' ');
            out.push_str(word);
            out.push(' ');
        }
        operand(out, x, min, if last { follow } else { Follow::Op });
    }
}

/// A chain of `+ -` or of `* /`, which the parser builds leaning left. It is walked without
/// recursion; a chain longer than the parser takes at once (`MAX_TERMS` terms) is split by
/// parenthesizing its beginning.
fn chain(out: &mut String, e: &Expr, follow: Follow) {
    let product = matches!(&e.kind, ExprKind::Binary(op, ..) if is_product(*op));
    let mut pairs: Vec<(BinOp, &Expr)> = Vec::new();
    let mut first = e;
    while let ExprKind::Binary(op, lhs, rhs) = &first.kind {
        if is_product(*op) != product {
            break;
        }
        pairs.push((*op, rhs));
        first = lhs;
    }
    pairs.reverse();
    let lvl = if product { Level::Prod } else { Level::Sum };
    chain_part(out, first, &pairs, lvl, follow);
}

fn chain_part(
    out: &mut String,
    first: &Expr,
    pairs: &[(BinOp, &Expr)],
    lvl: Level,
    follow: Follow,
) {
    let most = MAX_TERMS.saturating_sub(1).max(1);
    let split = pairs.len().saturating_sub(most);
    let (head, tail) = pairs.split_at_checked(split).unwrap_or((&[], pairs));
    if head.is_empty() {
        operand(out, first, lvl, Follow::Op);
    } else {
        out.push('(');
        stacker::maybe_grow(RED_ZONE, STACK_SEGMENT, || {
            chain_part(out, first, head, lvl, Follow::End)
        });
        out.push(')');
    }
    let rhs_min = if lvl == Level::Prod {
        Level::Unary
    } else {
        Level::Prod
    };
    for (i, (op, rhs)) in tail.iter().enumerate() {
        let last = i + 1 == tail.len();
        out.push_str(match op {
            BinOp::Add => " + ",
            BinOp::Sub => " - ",
            BinOp::Mul => " * ",
            BinOp::Div => " / ",
        });
        operand(out, rhs, rhs_min, if last { follow } else { Follow::Op });
    }
}

fn aggregate(out: &mut String, a: &Aggregate) {
    out.push_str(match a.op {
        AggOp::All => "all",
        AggOp::Any => "any",
        AggOp::Count => "count",
        AggOp::Share => "share",
        AggOp::Sum => "sum",
    });
    if a.direct {
        out.push_str(" direct");
    }
    out.push(' ');
    names(out, &a.kinds);
    if let Some(t) = &a.at {
        out.push_str(" at ");
        out.push_str(&t.name);
    }
    if let Some(f) = &a.filter {
        out.push_str(" where (");
        expr(out, f, Follow::End);
        out.push(')');
    }
    if let Some(o) = &a.of {
        out.push_str(" of (");
        expr(out, o, Follow::End);
        out.push(')');
    }
    if let Some(l) = &a.if_none {
        out.push_str(" ifnone ");
        literal(out, l);
    }
}

/// ` ties shared` or ` ties by_id`.
pub(super) fn ties(out: &mut String, t: Ties) {
    out.push_str(match t {
        Ties::Shared => " ties shared",
        Ties::ById => " ties by_id",
    });
}

pub(super) fn scope(out: &mut String, s: &Scope) {
    match s {
        Scope::Siblings => out.push_str("siblings"),
        Scope::All => out.push_str("all"),
        Scope::Within(k) => out.push_str(&k.name),
    }
}
