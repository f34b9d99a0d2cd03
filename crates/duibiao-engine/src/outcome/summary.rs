//! A unit's summary as a view of the forest and its evaluation: what [`UnitSummary`] holds,
//! read where it lives, so that millions of units are written (as JSON or as a table) without
//! building a string or a map per unit.

use super::{UnitSummary, Verdict};
use crate::store::UnitValues;
use crate::tree::UnitTree;
use crate::Evaluation;
use duibiao_compiler::graph::{Graph, KindGraph};
use duibiao_compiler::Value;
use rust_decimal::Decimal;
use serde::ser::{SerializeMap, SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};

/// One unit's summary, borrowed from the graph, the forest and the evaluation. It serializes
/// exactly as the [`UnitSummary`] it stands for ([`SummaryView::to_summary`]).
#[derive(Clone, Copy)]
pub struct SummaryView<'a> {
    kg: &'a KindGraph,
    tree: &'a UnitTree,
    u: usize,
    vals: UnitValues<'a>,
}

impl<'a> SummaryView<'a> {
    /// The summary of unit `u`; `None` for a record (reported by its owner) or a unit not in
    /// the forest.
    pub fn new(
        graph: &'a Graph,
        tree: &'a UnitTree,
        eval: &'a Evaluation,
        u: usize,
    ) -> Option<Self> {
        let kg = graph.kinds.get(tree.units.get(u)?.kind as usize)?;
        (!kg.is_record()).then(|| SummaryView::of(kg, tree, eval, u))
    }

    /// The summary of unit `u` (in the forest) of kind `kg`, a record or not.
    pub(crate) fn of(
        kg: &'a KindGraph,
        tree: &'a UnitTree,
        eval: &'a Evaluation,
        u: usize,
    ) -> Self {
        SummaryView {
            kg,
            tree,
            u,
            vals: eval.unit(tree, u),
        }
    }

    /// Its id.
    pub fn id(&self) -> &'a str {
        &self.tree.units[self.u].id
    }

    /// Its name.
    pub fn name(&self) -> Option<&'a str> {
        self.tree.units[self.u].name.as_deref()
    }

    /// Its kind.
    pub fn kind(&self) -> &'a str {
        &self.kg.name
    }

    /// Its parent's id.
    pub fn parent(&self) -> Option<&'a str> {
        let p = self.tree.units[self.u].parent()?;
        Some(&self.tree.units[p].id)
    }

    /// Its total score, normalized; `None` when unknown or the kind is not scored.
    pub fn score(&self) -> Option<Decimal> {
        self.kg
            .score_node()
            .and_then(|n| self.vals.get(n).as_num())
            .map(|d| d.normalize())
    }

    /// The scorecard's declared total (none for a score computed by a formula).
    pub fn score_total(&self) -> Option<Decimal> {
        match self.kg.score {
            Some(_) => None,
            None => self.kg.scorecard.as_ref().map(|c| c.total.normalize()),
        }
    }

    /// Each tier's name and verdict, lowest first.
    pub fn tiers(&self) -> impl Iterator<Item = (&'a str, Verdict)> + Clone + '_ {
        self.kg
            .tiers
            .iter()
            .map(|t| (t.name.as_str(), Verdict::of(self.vals.get(t.node))))
    }

    /// The highest tier passed.
    pub fn tier(&self) -> Option<&'a str> {
        self.tiers()
            .filter(|(_, v)| *v == Verdict::Pass)
            .last()
            .map(|(t, _)| t)
    }

    /// Whether the unit is rated, for kinds with reasons not to rate.
    pub fn rated(&self) -> Option<Verdict> {
        (!self.kg.unrated.is_empty())
            .then(|| Verdict::of(super::rated(self.kg, |n| self.vals.get(n))))
    }

    /// Whether the kind's score is computed by a formula.
    pub fn formula(&self) -> bool {
        self.kg.score.is_some()
    }

    /// Vetoes that fired (`Some(true)`) or may have (`None`).
    pub fn vetoes(&self) -> impl Iterator<Item = (&'a str, Option<bool>)> + Clone + '_ {
        self.kg
            .vetoes
            .iter()
            .map(|v| (v.name.as_str(), self.vals.get(v.node)))
            .filter(|(_, x)| *x != Value::Bool(false))
            .map(|(name, x)| (name, x.as_bool()))
    }

    /// The inputs the unit did not report.
    pub fn missing(&self) -> impl Iterator<Item = &'a str> + Clone + '_ {
        self.kg
            .inputs
            .iter()
            .zip(self.tree.units[self.u].inputs.iter())
            .filter(|(_, v)| v.is_unknown())
            .map(|(i, _)| i.key.as_str())
    }

    /// The summary as owned data.
    pub fn to_summary(&self) -> UnitSummary {
        UnitSummary {
            id: self.id().to_string(),
            name: self.name().map(str::to_string),
            kind: self.kind().to_string(),
            parent: self.parent().map(str::to_string),
            score: self.score().map(|d| d.to_string()),
            score_total: self.score_total().map(|d| d.to_string()),
            tier: self.tier().map(str::to_string),
            tiers: self.tiers().map(|(t, v)| (t.to_string(), v)).collect(),
            rated: self.rated(),
            formula: self.formula(),
            vetoes: self.vetoes().map(|(n, v)| (n.to_string(), v)).collect(),
            missing: self.missing().map(str::to_string).collect(),
        }
    }
}

/// A decimal written as a JSON string, without a `String` in between.
struct DecimalText(Decimal);

impl Serialize for DecimalText {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

/// The entries of an iterator, written as a JSON object.
struct MapOf<I>(I);

impl<K: Serialize, V: Serialize, I: Iterator<Item = (K, V)> + Clone> Serialize for MapOf<I> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        for (k, v) in self.0.clone() {
            m.serialize_entry(&k, &v)?;
        }
        m.end()
    }
}

/// The items of an iterator, written as a JSON array.
struct SeqOf<I>(I);

impl<T: Serialize, I: Iterator<Item = T> + Clone> Serialize for SeqOf<I> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut q = s.serialize_seq(None)?;
        for x in self.0.clone() {
            q.serialize_element(&x)?;
        }
        q.end()
    }
}

impl Serialize for SummaryView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let rated = self.rated();
        let formula = self.formula();
        let fields = 10 + usize::from(rated.is_some()) + usize::from(formula);
        let mut st = s.serialize_struct("UnitSummary", fields)?;
        st.serialize_field("id", self.id())?;
        st.serialize_field("name", &self.name())?;
        st.serialize_field("kind", self.kind())?;
        st.serialize_field("parent", &self.parent())?;
        st.serialize_field("score", &self.score().map(DecimalText))?;
        st.serialize_field("score_total", &self.score_total().map(DecimalText))?;
        st.serialize_field("tier", &self.tier())?;
        st.serialize_field("tiers", &MapOf(self.tiers()))?;
        match rated {
            Some(r) => st.serialize_field("rated", &r)?,
            None => st.skip_field("rated")?,
        }
        if formula {
            st.serialize_field("formula", &true)?;
        } else {
            st.skip_field("formula")?;
        }
        st.serialize_field("vetoes", &MapOf(self.vetoes()))?;
        st.serialize_field("missing", &SeqOf(self.missing()))?;
        st.end()
    }
}

mod json;
