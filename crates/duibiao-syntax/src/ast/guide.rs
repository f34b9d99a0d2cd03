//! The declaration of a guide distribution: about a share of the rated peers at a tier, as a
//! document gives it ("五星约占10%"), reported and never enforced.

use super::{Annotation, Ident, Quantity, Scope, Span};
use serde::Serialize;

/// `guide 支部 五星: about 10% among all`: about that share of the rated peers end at the tier
/// (`or_below`: at it or below, no tier included). Reported beside the outcome; it changes no
/// verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GuideDecl {
    /// The kinds it applies to.
    pub kinds: Vec<Ident>,
    /// The tier guided.
    pub tier: Ident,
    /// `or_below` (`及以下`): the units at the tier or below it (no tier included).
    pub or_below: bool,
    /// About what share of the rated peers.
    pub share: Quantity,
    /// Who the peers are.
    pub scope: Scope,
    /// Description and citation.
    pub ann: Annotation,
    /// The whole declaration.
    pub span: Span,
}
