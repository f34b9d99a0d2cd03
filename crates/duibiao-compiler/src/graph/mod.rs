//! The evaluation graph: what the compiler lowers a standard to. Per unit kind, a flat vector of
//! nodes in topological order (every node reads only nodes before it, or nodes of sub-unit kinds,
//! which are evaluated first). The graph holds no evaluation state; it is immutable and
//! `Send + Sync`, so one compiled standard serves any number of evaluations on any thread.

use crate::types::Type;
use crate::value::Value;
use duibiao_syntax::ast::Span;
use rust_decimal::Decimal;
use serde::Serialize;

pub use crate::guide::{peers_name_zh, Guide};
pub use crate::rating::{Cap, FloorCount, Limit, ScoreRule, Unrated};
pub use node::{AggTarget, Aggregate, Arith, Func, Node, Peers, PoolMember, Rank};

mod node;

/// Index of a node in its kind's node vector.
pub type NodeId = u32;
/// Index of a kind in [`Graph::kinds`].
pub type KindId = u32;

/// A compiled standard.
#[derive(Debug, Clone, Serialize)]
pub struct Graph {
    /// The document header.
    pub info: StandardInfo,
    /// Unit kinds, in declaration order.
    pub kinds: Vec<KindGraph>,
    /// Parameters.
    pub params: Vec<Param>,
    /// Ordered enumerations used by facts.
    pub enums: Vec<EnumDef>,
    /// Quota tables.
    pub quotas: Vec<Quota>,
    /// Dated targets.
    pub targets: Vec<Target>,
    /// Rules checked once over the whole forest (`overall` targets), as a kind of their own whose
    /// aggregates range over every unit.
    pub overall: KindGraph,
    /// Clauses of the document deliberately not encoded, with the reason.
    pub omitted: Vec<Omitted>,
}

impl Graph {
    /// The kinds of record that units of `kind` keep, in declaration order.
    pub fn records_of(&self, kind: KindId) -> impl Iterator<Item = (KindId, &KindGraph)> + '_ {
        (0..)
            .zip(&self.kinds)
            .filter(move |(_, k)| k.record.as_ref().is_some_and(|r| r.owners.contains(&kind)))
    }

    /// The levels of enumeration `e`, lowest first (none for an unknown enumeration).
    pub fn levels(&self, e: u32) -> &[String] {
        self.enums
            .get(e as usize)
            .map_or(&[], |d| d.variants.as_slice())
    }

    /// The name of level `i` of a value of type `ty`, when `ty` is an enumeration that has it.
    pub fn level_name(&self, ty: Type, i: u32) -> Option<&str> {
        match ty {
            Type::Enum(e) => self.levels(e).get(i as usize).map(String::as_str),
            _ => None,
        }
    }
}

/// A clause deliberately not encoded.
#[derive(Debug, Clone, Serialize)]
pub struct Omitted {
    /// The clause.
    pub clause: String,
    /// Why.
    pub reason: String,
}

/// A quota table: values per unit (by id or name) and per due date.
#[derive(Debug, Clone, Serialize)]
pub struct Quota {
    /// Its name.
    pub name: String,
    /// The type of its values.
    pub ty: Type,
    /// The kind of the units it lists.
    pub kind: KindId,
    /// The due dates of its columns, ascending.
    pub columns: Vec<chrono::NaiveDate>,
    /// Rows: the unit's id or name, and one value per column.
    pub rows: Vec<(String, Vec<Value>)>,
    /// Description and citation.
    pub source: Source,
}

impl Quota {
    /// The column that applies on `date`: the first due on or after it (the last if all are
    /// past; the first if there is no date).
    pub fn column(&self, date: Option<chrono::NaiveDate>) -> usize {
        match date {
            None => 0,
            Some(d) => self
                .columns
                .iter()
                .position(|c| *c >= d)
                .unwrap_or(self.columns.len().saturating_sub(1)),
        }
    }
}

/// Where a target is checked.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetScope {
    /// Once over the whole forest, in [`Graph::overall`].
    Overall(NodeId),
    /// For every unit of these kinds: the condition's node in each kind.
    Kinds(Vec<(KindId, NodeId)>),
}

/// A dated target.
#[derive(Debug, Clone, Serialize)]
pub struct Target {
    /// Its name.
    pub name: String,
    /// Where it is checked, and its condition's node.
    pub scope: TargetScope,
    /// The dates it is due on.
    pub due: Vec<chrono::NaiveDate>,
    /// The quota table giving its due dates, if any.
    pub quota: Option<usize>,
    /// Soft (力争): reported, never failed.
    pub soft: bool,
    /// The condition as written.
    pub expr: String,
    /// Description and citation.
    pub source: Source,
}

/// The document header.
#[derive(Debug, Clone, Serialize, Default)]
pub struct StandardInfo {
    /// The identifier facts files name (`haiyan-2021`).
    pub slug: String,
    /// Title.
    pub title: Option<String>,
    /// Issuing body.
    pub issuer: Option<String>,
    /// Document number (文号).
    pub number: Option<String>,
    /// Where the text comes from.
    pub source: Option<String>,
    /// First and last day in force.
    pub effective: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
}

/// A clause citation: where a rule comes from and, when given, the clause's words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cite {
    /// `附件2 第6项`.
    pub clause: String,
    /// The clause's words.
    pub text: Option<String>,
}

/// Description and citation of a rule, and where it is in the `.std` file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Source {
    /// The description (usually the document's own words).
    pub doc: Option<String>,
    /// The citation.
    pub cite: Option<Cite>,
    /// Where the rule is written, as a byte span of the `.std` file.
    pub span: (usize, usize),
}

impl Source {
    pub(crate) fn new(doc: Option<String>, cite: Option<Cite>, span: Span) -> Self {
        Source {
            doc,
            cite,
            span: (span.start, span.end),
        }
    }
}

/// An ordered enumeration (档次), lowest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnumDef {
    /// Its levels, lowest first.
    pub variants: Vec<String>,
}

/// A parameter's value in the standard.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamValue {
    /// None: the user must supply it.
    Required,
    /// One value.
    Fixed(Value),
    /// A value per period (first day, last day, value), periods in order, neither overlapping
    /// nor leaving gaps.
    Dated(Vec<(chrono::NaiveDate, chrono::NaiveDate, Value)>),
}

/// A parameter of the standard.
#[derive(Debug, Clone, Serialize)]
pub struct Param {
    /// Its name.
    pub name: String,
    /// Its type.
    pub ty: Type,
    /// Its value in the standard.
    pub value: ParamValue,
    /// Description and citation.
    pub source: Source,
}

/// Everything about one unit kind.
#[derive(Debug, Clone, Serialize)]
pub struct KindGraph {
    /// The kind's name.
    pub name: String,
    /// Description and citation.
    pub source: Source,
    /// Kinds it directly contains.
    pub children: Vec<KindId>,
    /// The inputs a unit of this kind reports: facts, then scored parts.
    pub inputs: Vec<Input>,
    /// The nodes, in topological order.
    pub nodes: Vec<Node>,
    /// The type of each node.
    pub types: Vec<Type>,
    /// The scorecard, if the kind is scored.
    pub scorecard: Option<Scorecard>,
    /// The score computed by a formula, when the kind's score is not its card's sum.
    pub score: Option<ScoreRule>,
    /// Reasons a unit of the kind is assessed but not rated.
    pub unrated: Vec<Unrated>,
    /// Caps on the tier a unit may reach.
    pub caps: Vec<Cap>,
    /// Limits on how many units reach a tier, and floors on how many end at a tier or below.
    pub limits: Vec<Limit>,
    /// Guide distributions: about what share of the rated peers end at a tier (reported, never
    /// enforced).
    pub guides: Vec<Guide>,
    /// The kind's tier scale (`tier` / `等级`: none, then its tiers lowest first), when a rule
    /// reads one.
    pub scale: Option<u32>,
    /// Derived values.
    pub derived: Vec<Named>,
    /// Requirement groups, outermost first, with their requirements.
    pub groups: Vec<RequirementGroup>,
    /// Tiers, lowest first.
    pub tiers: Vec<Tier>,
    /// Vetoes.
    pub vetoes: Vec<Veto>,
    /// Consequences (amounts granted).
    pub consequences: Vec<Consequence>,
    /// For each evaluation pass, the nodes computed in it (ranks need their peers' values from
    /// an earlier pass).
    pub strata: Vec<Vec<NodeId>>,
    /// For a kind of record (`records`), who keeps it; `None` for a kind of unit.
    pub record: Option<RecordKind>,
    /// Its text facts (`text` / `文本`): kept for display, never read by a rule.
    pub texts: Vec<TextField>,
}

/// A kind of record (积分记录): entries a unit of the owner kinds keeps, given in the facts file
/// as a list on their owner. Its units are the owner's children; they are read by the owner's
/// aggregates and never reported on their own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordKind {
    /// The kinds whose units keep these records.
    pub owners: Vec<KindId>,
}

/// A text fact (a record's reason): a string a unit reports, shown by `explain`, never read by
/// a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextField {
    /// Its key in a facts file.
    pub key: String,
    /// Description and citation.
    pub source: Source,
}

/// A consequence: an amount granted when a condition holds, split between payers.
#[derive(Debug, Clone, Serialize)]
pub struct Consequence {
    /// Its name.
    pub name: String,
    /// The condition.
    pub when: NodeId,
    /// The amount (money).
    pub amount: NodeId,
    /// Payers and their shares (fractions adding up to 1).
    pub split: Vec<(String, Decimal)>,
    /// Description and citation.
    pub source: Source,
}

impl KindGraph {
    /// A kind with no rules.
    pub fn empty(name: &str) -> Self {
        KindGraph {
            name: name.to_string(),
            source: Source::default(),
            children: Vec::new(),
            inputs: Vec::new(),
            nodes: Vec::new(),
            types: Vec::new(),
            scorecard: None,
            score: None,
            unrated: Vec::new(),
            caps: Vec::new(),
            limits: Vec::new(),
            guides: Vec::new(),
            scale: None,
            derived: Vec::new(),
            groups: Vec::new(),
            tiers: Vec::new(),
            vetoes: Vec::new(),
            consequences: Vec::new(),
            strata: Vec::new(),
            record: None,
            texts: Vec::new(),
        }
    }

    /// Whether this is a kind of record (`records`).
    pub fn is_record(&self) -> bool {
        self.record.is_some()
    }

    /// The text fact with this key.
    pub fn text(&self, key: &str) -> Option<usize> {
        self.texts.iter().position(|t| t.key == key)
    }

    /// The input slot with this key.
    pub fn input(&self, key: &str) -> Option<usize> {
        self.inputs.iter().position(|i| i.key == key)
    }

    /// The tier with this name.
    pub fn tier(&self, name: &str) -> Option<usize> {
        self.tiers.iter().position(|t| t.name == name)
    }

    /// The node of a unit's score: its formula's, else its card's sum; `None` when unscored.
    pub fn score_node(&self) -> Option<NodeId> {
        self.score
            .as_ref()
            .map(|s| s.node)
            .or_else(|| self.scorecard.as_ref().map(|c| c.node))
    }
}

/// An input a unit reports.
#[derive(Debug, Clone, Serialize)]
pub struct Input {
    /// The key in a facts file: the fact's name, or `6.1` / `14` for scored parts.
    pub key: String,
    /// Its type.
    pub ty: Type,
    /// What it is.
    pub origin: InputOrigin,
    /// Description and citation.
    pub source: Source,
}

/// Where an input comes from.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InputOrigin {
    /// A declared fact.
    Fact,
    /// The points awarded for a scored part (or a whole item), `0..=max`.
    Points {
        /// The most points allowed.
        max: Decimal,
    },
}

/// A named value with its node.
#[derive(Debug, Clone, Serialize)]
pub struct Named {
    /// Its name.
    pub name: String,
    /// Its node.
    pub node: NodeId,
    /// Its type.
    pub ty: Type,
    /// Description and citation.
    pub source: Source,
}

/// A scorecard.
#[derive(Debug, Clone, Serialize)]
pub struct Scorecard {
    /// The declared total.
    pub total: Decimal,
    /// The node summing all items.
    pub node: NodeId,
    /// The items.
    pub items: Vec<Item>,
    /// Description and citation.
    pub source: Source,
}

/// A scorecard item.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// The document's number (序号).
    pub number: u32,
    /// Title (主要目标).
    pub title: String,
    /// Maximum points.
    pub max: Decimal,
    /// The node of its points.
    pub node: NodeId,
    /// Its scored parts (one, keyed by the item number, when scored as a whole).
    pub parts: Vec<Part>,
    /// Description and citation (`附件2 第6项`).
    pub source: Source,
}

/// A scored part.
#[derive(Debug, Clone, Serialize)]
pub struct Part {
    /// The facts-file key (`6.1`, or `14` for a whole item).
    pub key: String,
    /// The part's clause text.
    pub text: String,
    /// Its points.
    pub points: Decimal,
    /// The input slot holding the awarded points.
    pub input: usize,
    /// Description and citation.
    pub source: Source,
}

/// A group of requirements (a category or indicator), met when all its members are met.
#[derive(Debug, Clone, Serialize)]
pub struct RequirementGroup {
    /// Its name.
    pub name: String,
    /// The enclosing group's index, if nested.
    pub parent: Option<usize>,
    /// The node: all members met.
    pub node: NodeId,
    /// Its requirements (not those of nested groups).
    pub requirements: Vec<Condition>,
    /// Description and citation.
    pub source: Source,
}

/// A tier.
#[derive(Debug, Clone, Serialize)]
pub struct Tier {
    /// Its name.
    pub name: String,
    /// The node of its verdict (all conditions hold).
    pub node: NodeId,
    /// Its conditions: prerequisites first, then written conditions, then vetoes that block it.
    pub conditions: Vec<Condition>,
    /// Description and citation.
    pub source: Source,
}

/// What a condition is.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", content = "of", rename_all = "snake_case")]
pub enum ConditionKind {
    /// A condition written in the rule.
    Rule,
    /// A lower tier that must be reached first (index into the kind's tiers).
    Prerequisite(usize),
    /// A veto that blocks this tier (index into the kind's vetoes); holds when the veto does not fire.
    Veto(usize),
    /// A reason not to rate the unit (index into the kind's `unrated`); holds when it does not
    /// apply.
    Unrated(usize),
    /// A cap on the tier (index into the kind's caps); holds when the tier is within it.
    Cap(usize),
    /// A limit on how many units reach this tier (index into the kind's limits); holds when the
    /// unit is among the first, or reaches a higher tier.
    Limit(usize),
    /// A floor below this tier (index into the kind's limits, where floors are kept with the
    /// limits): holds unless the unit is among the last put down to the floor's level.
    Floor(usize),
}

/// A condition of a tier, or a requirement: a boolean node with its provenance.
#[derive(Debug, Clone, Serialize)]
pub struct Condition {
    /// Its label or name, if any.
    pub label: Option<String>,
    /// What it is.
    pub kind: ConditionKind,
    /// The boolean node.
    pub node: NodeId,
    /// The expression as written in the `.std` file.
    pub expr: String,
    /// Input slots the condition reads, directly or through derived values (not through sub-units).
    pub inputs: Vec<usize>,
    /// For a requirement that applies only `when` something holds: that condition's node.
    pub applies: Option<NodeId>,
    /// Description and citation.
    pub source: Source,
}

/// A one-vote veto (一票否决).
#[derive(Debug, Clone, Serialize)]
pub struct Veto {
    /// Its name.
    pub name: String,
    /// The node: true when the veto fires.
    pub node: NodeId,
    /// The tiers it blocks (indices into the kind's tiers).
    pub blocks: Vec<usize>,
    /// Description and citation.
    pub source: Source,
}
