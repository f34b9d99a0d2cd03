//! A kind's guide distributions in the evaluation graph: about a share of the rated peers at a
//! tier, reported beside the outcome. A guide has no node: it changes no verdict, and what it
//! reports is counted over the units' tiers once they are evaluated.

use crate::graph::{Graph, KindId, Peers, Source};
use rust_decimal::Decimal;
use serde::Serialize;

/// About a share of the rated peers end at a tier (`guide 支部 五星: about 10% among all`), or at
/// it and below (`or_below`, no tier included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Guide {
    /// The tier guided (index into the kind's tiers).
    pub tier: usize,
    /// Whether the units below the tier (no tier included) count too.
    pub or_below: bool,
    /// About what share of the rated peers (10% is 0.1).
    pub share: Decimal,
    /// Who the peers are.
    pub peers: Peers,
    /// Description and citation.
    pub source: Source,
}

impl Graph {
    /// How `peers` is written after `among`: `all`, `siblings`, or the name of the kind within
    /// which units are peers.
    pub fn peers_name(&self, peers: Peers) -> &str {
        peers_name_with(peers, |k| {
            self.kinds.get(k as usize).map_or("", |k| k.name.as_str())
        })
    }
}

/// How `peers` is written after `among`, `kind` naming the kind within which units are peers.
pub(crate) fn peers_name_with<'a>(peers: Peers, kind: impl FnOnce(KindId) -> &'a str) -> &'a str {
    match peers {
        Peers::All => "all",
        Peers::Siblings => "siblings",
        Peers::Within(k) => kind(k),
    }
}

/// A peers' name ([`Graph::peers_name`]) as the Chinese keywords write it: `所有`, `同级`, or the
/// kind's name.
pub fn peers_name_zh(name: &str) -> &str {
    match name {
        "all" => "所有",
        "siblings" => "同级",
        kind => kind,
    }
}
