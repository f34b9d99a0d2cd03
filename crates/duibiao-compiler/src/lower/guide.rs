//! Declaring a kind's guide distributions: the tier and its share checked, the peers resolved,
//! and one guide per tier (or tier and below) among the same peers.

use super::Lowerer;
use crate::diagnostic::{Diagnostic, DiagnosticKind, RatingProblem};
use crate::graph::Guide;
use crate::guide::peers_name_with;
use duibiao_syntax::ast::{self, Ident};
use duibiao_syntax::keywords::KEYWORDS;

impl<'a> Lowerer<'a> {
    /// Adds guide `decl` to `kind`, whose tier `tier` it guides, unless its share or peers are
    /// wrong or the kind already has a guide on the same tier among the same peers.
    pub(crate) fn declare_guide(&mut self, kind: usize, decl: &'a ast::GuideDecl, tier: usize) {
        let share = self.rating_share(&decl.share, RatingProblem::GuideShare);
        let peers = self.peers(kind, &decl.scope);
        let (Some(share), Some(peers)) = (share, peers) else {
            return;
        };
        let st = &self.states[kind];
        let first = st
            .guides
            .iter()
            .find(|(_, g)| g.tier == tier && g.or_below == decl.or_below && g.peers == peers);
        if let Some((first, _)) = first {
            let among = peers_name_with(peers, |k| &self.states[k as usize].name).to_string();
            let problem = RatingProblem::GuidedTwice {
                tier: decl.tier.name.clone(),
                or_below: decl.or_below,
                kind: st.name.clone(),
                among,
            };
            self.diags.push(Diagnostic {
                kind: DiagnosticKind::BadRating(problem),
                span: decl.tier.span,
                related: vec![*first],
                suggestion: None,
            });
            return;
        }
        let guide = Guide {
            tier,
            or_below: decl.or_below,
            share,
            peers,
            source: self.rating_source(kind, &decl.ann, decl.span),
        };
        self.states[kind].guides.push((decl.tier.span, guide));
    }

    /// Reports a guide's tier that `kind` does not have; when it is a tier run together with
    /// `及以下` (`二星及以下`), suggests the two words apart.
    pub(crate) fn unknown_guided_tier(&mut self, kind: usize, tier: &Ident) {
        let below = KEYWORDS.iter().find(|k| k.en == "or_below");
        let mut spellings = below.into_iter().flat_map(|k| k.zh.iter().chain([&k.en]));
        let apart = spellings.find_map(|w| {
            let stem = tier.name.strip_suffix(*w)?;
            self.states[kind]
                .tier_names
                .iter()
                .any(|t| t == stem)
                .then(|| format!("{stem} {w}"))
        });
        match apart {
            Some(s) => self.unknown_tier_suggesting(kind, tier, Some(s)),
            None => self.unknown_tier(kind, tier),
        }
    }
}
