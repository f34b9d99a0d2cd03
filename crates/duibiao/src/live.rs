//! An evaluation kept up to date change by change: each what-if assignment evaluates again only
//! the units it can affect (the unit, its ancestors, and where the standard ranks units, the peers
//! whose ranks it can move). The result is always the one a full evaluation would give.

use crate::options::{Assignment, Detail, Options};
use crate::problem::{Problem, Problems};
use crate::Standard;
use duibiao_engine::change::Change;
use duibiao_engine::guides::GuideReport;
use duibiao_engine::outcome::{SummaryView, UnitOutcome, UnitSummary};
use duibiao_engine::{MissingParam, Outcome};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A live evaluation. Owns what it needs (it can outlive the [`Standard`] value it came from and
/// be moved to another thread), so that a binding can hold it as a handle.
#[derive(Debug, Clone)]
pub struct Live {
    standard: Standard,
    inner: duibiao_engine::incremental::Live,
    options: Options,
    /// How many of its units are not records (its units never change, only their inputs).
    units: usize,
    /// The place of its first unit that is not a record (its places when there is none).
    first: usize,
}

/// What one assignment did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Assigned {
    /// The change made (`from` equals `to` when the value was already so).
    pub change: Change,
    /// How many units were evaluated again.
    pub evaluated: usize,
    /// The summaries of the units evaluated again, descendants before ancestors.
    pub units: Vec<UnitSummary>,
}

impl Live {
    pub(crate) fn new(
        standard: Standard,
        inner: duibiao_engine::incremental::Live,
        options: Options,
    ) -> Self {
        let (graph, tree) = (standard.graph(), inner.tree());
        let unit = |&u: &usize| !duibiao_engine::outcome::is_record(graph, tree, u);
        let units = (0..tree.units.len()).filter(unit).count();
        let first = (0..tree.units.len()).find(unit).unwrap_or(tree.units.len());
        Live {
            standard,
            inner,
            options,
            units,
            first,
        }
    }

    /// The threads it may use.
    pub(crate) fn threads(&self) -> &crate::options::Threads {
        &self.options.threads
    }

    /// The standard it evaluates.
    pub fn standard(&self) -> &Standard {
        &self.standard
    }

    /// How many units it holds: the rows of its outcome (records, kept under their owners, are
    /// not counted).
    pub fn len(&self) -> usize {
        self.units
    }

    /// How many places the forest has: its units and their records, in the facts' order — the
    /// positions [`Live::unit_at`], [`Live::summary_at`] and [`Live::summary_view_at`] take
    /// (`None` at a record's).
    pub fn places(&self) -> usize {
        self.inner.tree().units.len()
    }

    /// The place of the first unit that is not a record ([`Live::places`] when there is none).
    pub(crate) fn first_unit(&self) -> usize {
        self.first
    }

    /// Whether it holds no unit.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The evaluation date.
    pub fn as_of(&self) -> Option<chrono::NaiveDate> {
        self.inner.context().date
    }

    /// Dated parameters without a value on the evaluation date: rules reading them are unknown.
    pub fn unresolved_params(&self) -> &[MissingParam] {
        &self.inner.context().unresolved
    }

    /// The full outcome of the unit with this id, as it is now.
    pub fn unit(&self, id: &str) -> Option<UnitOutcome> {
        self.inner
            .unit_outcome(id, self.options.detail == Detail::Members)
    }

    /// The summary of the unit with this id, as it is now.
    pub fn summary(&self, id: &str) -> Option<UnitSummary> {
        self.inner
            .tree()
            .find(id)
            .and_then(|u| self.inner.unit_summary_at(u))
    }

    /// The outcome of the unit at position `i` (in the facts' order, records included: see
    /// [`Live::places`]), as it is now; `None` for a record or past the last place.
    pub fn unit_at(&self, i: usize) -> Option<UnitOutcome> {
        self.inner
            .unit_outcome_at(i, self.options.detail == Detail::Members)
    }

    /// The summary of the unit at position `i` (see [`Live::places`]), as it is now; `None` for
    /// a record or past the last place.
    pub fn summary_at(&self, i: usize) -> Option<UnitSummary> {
        self.inner.unit_summary_at(i)
    }

    /// The summary of the unit at position `i`, read where it lives rather than copied: what
    /// [`Live::summary_at`] gives (and serializes to the same JSON), for writing millions of
    /// units. `None` for a record or past the last unit.
    pub fn summary_view_at(&self, i: usize) -> Option<SummaryView<'_>> {
        self.inner.summary_view_at(i)
    }

    /// The standard's guide distributions (`guide`) with their numbers per group of peers, as
    /// they are now; none when the standard has no guides.
    pub fn guides(&self) -> Vec<GuideReport> {
        self.inner.guides()
    }

    /// The whole outcome as it is now.
    pub fn outcome(&mut self) -> Outcome {
        let members = self.options.detail == Detail::Members;
        let graph = self.standard.graph();
        let fingerprint = self.standard.fingerprint();
        let eval = self.inner.evaluation().clone();
        duibiao_engine::outcome(
            graph,
            fingerprint,
            self.inner.tree(),
            &eval,
            self.inner.context(),
            members,
        )
    }

    /// Applies one what-if assignment and evaluates again what it can affect.
    pub fn assign(&mut self, assignment: &Assignment) -> Result<Assigned, Problems> {
        let problem = |e: Box<duibiao_engine::FactsError>| {
            Problems::one(Problem::of_facts_error(&e, Some("set")))
        };
        let (change, evaluated) = match assignment {
            Assignment::Text(text) => {
                let applied = self.inner.assign(text).map_err(problem)?;
                (self.inner.describe(&applied), applied.evaluated)
            }
            Assignment::Value { unit, key, value } => {
                let graph = self.standard.graph();
                let tree = self.inner.tree();
                let (u, slot, v) = duibiao_engine::change::resolve(graph, tree, unit, key, value)
                    .map_err(problem)?;
                let old = tree.units[u].inputs.get(slot).unwrap_or_default();
                let change = duibiao_engine::change::describe(graph, tree, u, slot, old, v);
                (change, self.inner.set(u, slot, v))
            }
        };
        let change =
            change.ok_or_else(|| Problems::one(crate::problem::internal("a resolved input")))?;
        let units = self
            .inner
            .last_affected()
            .iter()
            .filter_map(|&u| self.inner.unit_summary_at(u))
            .collect();
        Ok(Assigned {
            change,
            evaluated,
            units,
        })
    }
}
