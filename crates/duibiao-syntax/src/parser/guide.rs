//! The builder's guide distributions: `guide 支部 五星: about 10% among all`.

use super::literals::{kind_list, next_ident, scope};
use super::{kids, span, Builder, Rule, P};
use crate::ast::*;

impl Builder {
    pub(super) fn guide_decl(&mut self, p: P) -> GuideDecl {
        let sp = span(&p);
        let mut it = kids(p);
        it.next(); // guide
        let kinds = it.next().map(kind_list).unwrap_or_default();
        let tier = next_ident(&mut it, sp);
        let or_below = it.next_if(|p| p.as_rule() == Rule::kw_or_below).is_some();
        it.next(); // about
        let share = self.next_quantity(&mut it, sp);
        it.next(); // among
        let scope = it.next().map(scope).unwrap_or(Scope::Siblings);
        let ann = self.annotation(&mut it);
        GuideDecl {
            kinds,
            tier,
            or_below,
            share,
            scope,
            ann,
            span: sp,
        }
    }
}
