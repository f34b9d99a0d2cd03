//! The builder's rating declarations: `score`, `unrated`, `cap`, `limit` and `records`.

use super::literals::{kind_list, next_ident, scope};
use super::{kids, span, Builder, Rule, P};
use crate::ast::*;

impl Builder {
    pub(super) fn score_decl(&mut self, p: P) -> ScoreDecl {
        let sp = span(&p);
        let mut it = kids(p);
        it.next(); // score
        let kinds = it.next().map(kind_list).unwrap_or_default();
        let expr = self.next_expr(&mut it, sp);
        let ann = self.annotation(&mut it);
        ScoreDecl {
            kinds,
            expr,
            ann,
            span: sp,
        }
    }

    pub(super) fn unrated_decl(&mut self, p: P) -> UnratedDecl {
        let sp = span(&p);
        let mut it = kids(p);
        it.next(); // unrated
        let kinds = it.next().map(kind_list).unwrap_or_default();
        let name = next_ident(&mut it, sp);
        let expr = self.next_expr(&mut it, sp);
        let ann = self.annotation(&mut it);
        UnratedDecl {
            kinds,
            name,
            expr,
            ann,
            span: sp,
        }
    }

    pub(super) fn cap_decl(&mut self, p: P) -> CapDecl {
        let sp = span(&p);
        let mut it = kids(p);
        it.next(); // cap
        let kinds = it.next().map(kind_list).unwrap_or_default();
        let name = next_ident(&mut it, sp);
        let expr = self.next_expr(&mut it, sp);
        let mode = it
            .next_if(|p| matches!(p.as_rule(), Rule::kw_unless | Rule::kw_when))
            .map(|p| match p.as_rule() {
                Rule::kw_unless => CapMode::Unless,
                _ => CapMode::When,
            });
        let condition = mode.map(|m| (m, self.next_expr(&mut it, sp)));
        let ann = self.annotation(&mut it);
        CapDecl {
            kinds,
            name,
            expr,
            condition,
            ann,
            span: sp,
        }
    }

    pub(super) fn limit_decl(&mut self, p: P) -> LimitDecl {
        let sp = span(&p);
        let mut it = kids(p);
        let bound = match it.next().map(|k| k.as_rule()) {
            Some(Rule::kw_floor) => ShareBound::AtLeast,
            _ => ShareBound::AtMost,
        };
        let kinds = it.next().map(kind_list).unwrap_or_default();
        let tier = next_ident(&mut it, sp);
        let share = self.next_quantity(&mut it, sp);
        it.next(); // among
        let scope = it.next().map(scope).unwrap_or(Scope::Siblings);
        it.next(); // by
        let by = self.next_expr(&mut it, sp);
        let ascending = it.next_if(|p| p.as_rule() == Rule::kw_ascending).is_some();
        it.next(); // ties
        let ties = match it.next().and_then(|t| kids(t).next()).map(|t| t.as_rule()) {
            Some(Rule::kw_by_id) => Ties::ById,
            _ => Ties::Shared,
        };
        it.next(); // round
        let rounding = match it.next().and_then(|r| kids(r).next()).map(|r| r.as_rule()) {
            Some(Rule::kw_up) => Rounding::Up,
            Some(Rule::kw_nearest) => Rounding::Nearest,
            _ => Rounding::Down,
        };
        let ann = self.annotation(&mut it);
        LimitDecl {
            bound,
            kinds,
            tier,
            share,
            scope,
            by,
            ascending,
            ties,
            rounding,
            ann,
            span: sp,
        }
    }

    pub(super) fn records_decl(&mut self, p: P) -> RecordsDecl {
        let sp = span(&p);
        let mut it = kids(p);
        it.next(); // records
        let owners = it.next().map(kind_list).unwrap_or_default();
        let name = next_ident(&mut it, sp);
        let ann = self.annotation(&mut it);
        let fields = it.map(|f| self.fact_decl(f)).collect();
        RecordsDecl {
            owners,
            name,
            ann,
            fields,
            span: sp,
        }
    }
}
