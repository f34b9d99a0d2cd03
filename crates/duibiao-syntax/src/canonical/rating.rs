//! The canonical text of the rating declarations: `score`, `unrated`, `cap` and `limit`.

use super::expr::{expr, scope, ties, Follow};
use super::{annotation, names, quantity};
use crate::ast::*;

pub(super) fn score(out: &mut String, s: &ScoreDecl) {
    out.push_str("score ");
    names(out, &s.kinds);
    out.push_str(" = ");
    expr(out, &s.expr, Follow::End);
    annotation(out, &s.ann);
    out.push('\n');
}

pub(super) fn unrated(out: &mut String, u: &UnratedDecl) {
    out.push_str("unrated ");
    names(out, &u.kinds);
    out.push(' ');
    out.push_str(&u.name.name);
    out.push_str(": ");
    expr(out, &u.expr, Follow::End);
    annotation(out, &u.ann);
    out.push('\n');
}

pub(super) fn cap(out: &mut String, c: &CapDecl) {
    out.push_str("cap ");
    names(out, &c.kinds);
    out.push(' ');
    out.push_str(&c.name.name);
    out.push_str(": ");
    expr(out, &c.expr, Follow::End);
    if let Some((mode, cond)) = &c.condition {
        out.push_str(match mode {
            CapMode::When => " when ",
            CapMode::Unless => " unless ",
        });
        expr(out, cond, Follow::End);
    }
    annotation(out, &c.ann);
    out.push('\n');
}

pub(super) fn limit(out: &mut String, l: &LimitDecl) {
    out.push_str(match l.bound {
        ShareBound::AtMost => "limit ",
        ShareBound::AtLeast => "floor ",
    });
    names(out, &l.kinds);
    out.push(' ');
    out.push_str(&l.tier.name);
    out.push_str(": ");
    quantity(out, &l.share);
    out.push_str(" among ");
    scope(out, &l.scope);
    out.push_str(" by (");
    expr(out, &l.by, Follow::End);
    out.push(')');
    if l.ascending {
        out.push_str(" ascending");
    }
    ties(out, l.ties);
    out.push_str(match l.rounding {
        Rounding::Down => " round down",
        Rounding::Up => " round up",
        Rounding::Nearest => " round nearest",
    });
    annotation(out, &l.ann);
    out.push('\n');
}
