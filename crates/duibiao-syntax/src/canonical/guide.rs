//! The canonical text of a guide distribution: `guide 支部 五星: about 10% among all`.

use super::expr::scope;
use super::{annotation, names, quantity};
use crate::ast::*;

pub(super) fn guide(out: &mut String, g: &GuideDecl) {
    out.push_str("guide ");
    names(out, &g.kinds);
    out.push(' ');
    out.push_str(&g.tier.name);
    if g.or_below {
        out.push_str(" or_below");
    }
    out.push_str(": about ");
    quantity(out, &g.share);
    out.push_str(" among ");
    scope(out, &g.scope);
    annotation(out, &g.ann);
    out.push('\n');
}
