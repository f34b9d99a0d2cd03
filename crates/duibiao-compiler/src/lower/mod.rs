//! Name resolution, type checking and lowering, in one pass over each kind's rules: every rule
//! becomes nodes of its kind's graph, every name is bound to a node, and every operator is checked
//! against the types (and units) of its operands.

mod exprs;
mod guide;
mod limit;
mod names;
mod ops;
mod pool;
mod rating;
mod records;

use crate::diagnostic::{closest, Diagnostic, DiagnosticKind};
use crate::graph::*;
use crate::kinds::Kinds;
use crate::types::{Dim, Type};
use crate::value::{scaled, Value};
use duibiao_syntax::ast::{self, Annotation, Ident, Literal, Span, UnitSuffix};
use indexmap::IndexMap;
use std::collections::HashMap;

pub use rating::NO_TIER;

/// What a name in a kind's rules stands for.
#[derive(Clone, Copy)]
pub(crate) enum Sym<'a> {
    Fact(usize),
    Derived(&'a ast::DerivedDecl),
    Requirement(&'a ast::RequirementDecl),
    Group(&'a ast::Group),
    Tier(usize),
    /// A named scorecard: its points.
    Card,
    /// A text fact: never read by a rule.
    Text,
}

/// Lowering state of a named rule, for memoization and cycle detection.
#[derive(Clone, Copy)]
enum Memo {
    InProgress,
    Done(NodeId, Type),
    Failed,
}

/// One kind being lowered.
pub(crate) struct KindState<'a> {
    pub name: String,
    pub source: Source,
    pub symbols: IndexMap<String, (Sym<'a>, Span)>,
    pub inputs: Vec<Input>,
    pub input_used: Vec<bool>,
    pub fact_spans: Vec<Span>,
    pub nodes: Vec<Node>,
    pub types: Vec<Type>,
    interned: HashMap<(Node, Type), NodeId>,
    memo: HashMap<String, Memo>,
    pub scorecard_decl: Option<&'a ast::ScorecardDecl>,
    pub scorecard: Option<Scorecard>,
    pub tiers_decl: Vec<&'a ast::TierDecl>,
    pub tiers_source: Option<Source>,
    pub tiers: Vec<Option<Tier>>,
    pub vetoes: Vec<(&'a ast::VetoDecl, Option<Veto>)>,
    pub derived: Vec<&'a ast::DerivedDecl>,
    /// Premises of requirements that apply only `when` something holds.
    pub applies: HashMap<String, NodeId>,
    /// Consequences, as declared and as lowered.
    pub consequence_decls: Vec<&'a ast::ConsequenceDecl>,
    /// Consequences.
    pub consequences: Vec<Consequence>,
    pub groups: Vec<(&'a ast::Group, Option<usize>)>,
    /// The names of the kind's tiers, lowest first, as its `tiers` block lists them (known
    /// before the tiers are declared: a fact's `tier` type needs them).
    pub tier_names: Vec<String>,
    /// The score formula, as declared and as lowered.
    pub score_decl: Option<&'a ast::ScoreDecl>,
    pub score: Option<ScoreRule>,
    /// Reasons not to rate a unit, as declared and as lowered.
    pub unrated: Vec<(&'a ast::UnratedDecl, Option<Unrated>)>,
    /// Caps on the tier, as declared and as lowered.
    pub caps: Vec<(&'a ast::CapDecl, Option<Cap>)>,
    /// Limits, as declared (with the tier limited), and as lowered (with the floors).
    pub limit_decls: Vec<(&'a ast::LimitDecl, usize)>,
    pub limits: Vec<Limit>,
    /// Floors, as declared (with their level: 0 for no tier, `i + 1` for tier `i`), highest
    /// first, and the index of each in `limits` once lowered.
    pub floor_decls: Vec<(&'a ast::LimitDecl, u32)>,
    pub floors: HashMap<u32, usize>,
    /// Guide distributions, with where each names its tier.
    pub guides: Vec<(Span, Guide)>,
    /// The kind's tier scale, once a rule reads it.
    pub scale: Option<u32>,
    /// Its text facts.
    pub texts: Vec<TextField>,
}

pub(crate) struct Lowerer<'a> {
    pub src: &'a str,
    pub kinds: &'a Kinds<'a>,
    pub states: Vec<KindState<'a>>,
    pub params: IndexMap<String, (Param, Span)>,
    pub param_used: Vec<bool>,
    /// Quota tables, by name.
    pub quotas: IndexMap<String, (Quota, Span)>,
    /// Which quota tables rules read.
    pub quota_used: Vec<bool>,
    /// Kinds each kind (and, last, the whole forest) contains directly.
    pub reach_direct: Vec<Vec<KindId>>,
    /// Kinds each kind (and, last, the whole forest) contains at any depth.
    pub reach_all: Vec<Vec<KindId>>,
    /// Names whose declaration failed: their uses are not reported again.
    pub poisoned: std::collections::HashSet<String>,
    /// Level names that a kind also declares as another name, as (kind, name): reported once
    /// where they are declared, so their uses are not reported again.
    pub clashes: std::collections::HashSet<(usize, String)>,
    /// The kinds whose aggregates' `where (…)` or `of (…)` are being lowered in a sub-kind,
    /// innermost last: a name of the aggregating kind used there is reported as such.
    pub aggregating: Vec<usize>,
    pub enums: Vec<EnumDef>,
    pub diags: Vec<Diagnostic>,
    /// Every name resolved, as (where it is used, where it is declared): the references of
    /// [`crate::index::Index`].
    pub refs: Vec<(Span, Span)>,
}

pub(crate) fn cite(a: &Annotation) -> Option<Cite> {
    a.cite.as_ref().map(|c| Cite {
        clause: c.clause.value.clone(),
        text: c.text.as_ref().map(|t| t.value.clone()),
    })
}

pub(crate) fn source(a: &Annotation, span: Span) -> Source {
    Source::new(a.doc.as_ref().map(|d| d.value.clone()), cite(a), span)
}

/// The value and type of a literal.
pub(crate) fn literal(l: &Literal) -> (Value, Type) {
    match l {
        Literal::Bool(b, _) => (Value::Bool(*b), Type::Bool),
        Literal::Date(d) => (Value::Date(d.date), Type::Date),
        Literal::Quantity(q) => quantity(q),
    }
}

/// The value and type of a quantity as written (`30%` is 0.3, `15万元` is 150000 元, `1年` is 12
/// calendar months). The value is
/// unknown when it cannot be held exactly once scaled: an amount in 万元 beyond about 7.9×10^24,
/// or a percentage with more than 26 decimal places ([`Lowerer::quantity_value`] reports it).
pub(crate) fn quantity(q: &ast::Quantity) -> (Value, Type) {
    let n = q.number;
    let (v, d) = match q.unit {
        UnitSuffix::None => (Some(n), Dim::Bare),
        UnitSuffix::Percent => (scaled(n, -2), Dim::Percent),
        UnitSuffix::SquareMetre => (Some(n), Dim::Area),
        UnitSuffix::Yuan => (Some(n), Dim::Money),
        UnitSuffix::WanYuan => (scaled(n, 4), Dim::Money),
        UnitSuffix::Hours => (Some(n), Dim::Hours),
        UnitSuffix::Points => (Some(n), Dim::Points),
        UnitSuffix::Days => (Some(n), Dim::Days),
        UnitSuffix::Years => (n.checked_mul(rust_decimal::Decimal::from(12)), Dim::Months),
        UnitSuffix::Months => (Some(n), Dim::Months),
        UnitSuffix::Count => (Some(n), Dim::Count),
    };
    let value = v.map_or(Value::Unknown, |v| Value::Num(v.normalize()));
    (value, Type::Num(d))
}

impl<'a> KindState<'a> {
    pub fn new(name: String, source: Source) -> Self {
        KindState {
            name,
            source,
            symbols: IndexMap::new(),
            inputs: Vec::new(),
            input_used: Vec::new(),
            fact_spans: Vec::new(),
            nodes: Vec::new(),
            types: Vec::new(),
            interned: HashMap::new(),
            memo: HashMap::new(),
            scorecard_decl: None,
            scorecard: None,
            tiers_decl: Vec::new(),
            tiers_source: None,
            tiers: Vec::new(),
            vetoes: Vec::new(),
            derived: Vec::new(),
            applies: HashMap::new(),
            consequence_decls: Vec::new(),
            consequences: Vec::new(),
            groups: Vec::new(),
            tier_names: Vec::new(),
            score_decl: None,
            score: None,
            unrated: Vec::new(),
            caps: Vec::new(),
            limit_decls: Vec::new(),
            limits: Vec::new(),
            floor_decls: Vec::new(),
            floors: HashMap::new(),
            guides: Vec::new(),
            scale: None,
            texts: Vec::new(),
        }
    }

    /// Adds a node of type `ty`, or returns the same node added before. A conjunction or
    /// disjunction of one condition is that condition (the same value, one node fewer to
    /// evaluate and store).
    pub fn intern(&mut self, node: Node, ty: Type) -> NodeId {
        if let Node::And(xs) | Node::Or(xs) = &node {
            if let [x] = xs[..] {
                return x;
            }
        }
        let key = (node, ty);
        if let Some(&id) = self.interned.get(&key) {
            return id;
        }
        let id = self.nodes.len() as NodeId;
        self.nodes.push(key.0.clone());
        self.types.push(ty);
        self.interned.insert(key, id);
        id
    }
}

impl<'a> Lowerer<'a> {
    /// Records that the name written at `used` stands for the one declared at `declared`.
    pub fn refer(&mut self, used: Span, declared: Span) {
        if used != declared {
            self.refs.push((used, declared));
        }
    }

    /// Resolves a list of kind names, reporting unknown ones and recording the known ones.
    pub fn kinds_of(&mut self, names: &[Ident]) -> Vec<KindId> {
        let kinds = self.kinds;
        let mut ids = Vec::with_capacity(names.len());
        for n in names {
            match kinds.decls.get_full(&n.name) {
                Some((id, _, d)) => {
                    self.refer(n.span, d.name.span);
                    ids.push(id as KindId);
                }
                None => {
                    let close = closest(&n.name, kinds.decls.keys().map(String::as_str));
                    self.diags.push(
                        Diagnostic::new(DiagnosticKind::UnknownKind(n.name.clone()), n.span)
                            .suggesting(close.map(str::to_string)),
                    );
                }
            }
        }
        ids
    }

    fn err(&mut self, kind: DiagnosticKind, span: Span) {
        self.diags.push(Diagnostic::new(kind, span));
    }

    /// The value and type of a literal, as [`literal`] gives them; a quantity whose value cannot
    /// be held exactly is reported (`E0005`).
    pub fn literal_value(&mut self, l: &Literal) -> (Value, Type) {
        match l {
            Literal::Quantity(q) => self.quantity_value(q),
            _ => literal(l),
        }
    }

    /// The value and type of a quantity, as [`quantity`] gives them; one whose value cannot be
    /// held exactly (`80000000000000000000000000万元`) is reported (`E0005`).
    pub fn quantity_value(&mut self, q: &ast::Quantity) -> (Value, Type) {
        let (v, t) = quantity(q);
        if v.is_unknown() {
            let text = self.src.get(q.span.start..q.span.end).unwrap_or("").trim();
            self.err(DiagnosticKind::NumberOutOfRange(text.to_string()), q.span);
        }
        (v, t)
    }

    /// Reports a tier name that `kind` does not have, listing the tiers it has.
    pub fn unknown_tier(&mut self, kind: usize, tier: &Ident) {
        self.unknown_tier_suggesting(kind, tier, None);
    }

    /// [`Self::unknown_tier`], suggesting `instead` (by default the closest tier name).
    fn unknown_tier_suggesting(&mut self, kind: usize, tier: &Ident, instead: Option<String>) {
        let st = &self.states[kind];
        let kind_name = st.name.clone();
        let known: Vec<String> = st.tiers_decl.iter().map(|t| t.name.name.clone()).collect();
        let close = instead
            .or_else(|| closest(&tier.name, known.iter().map(String::as_str)).map(str::to_string));
        let d = Diagnostic::new(
            DiagnosticKind::UnknownTier {
                tier: tier.name.clone(),
                kind: kind_name,
                known,
            },
            tier.span,
        );
        self.diags.push(d.suggesting(close));
    }

    fn text(&self, span: Span) -> String {
        self.src.get(span.start..span.end).unwrap_or("").to_string()
    }

    fn describe(&self, t: Type) -> String {
        t.describe(&self.enums)
    }
}

impl KindState<'_> {
    /// The node of a named rule already lowered.
    pub fn lowered(&self, name: &str) -> Option<NodeId> {
        self.lowered_typed(name).map(|x| x.0)
    }

    /// The node and type of a named rule already lowered.
    pub fn lowered_typed(&self, name: &str) -> Option<(NodeId, Type)> {
        match self.memo.get(name) {
            Some(Memo::Done(n, t)) => Some((*n, *t)),
            _ => None,
        }
    }
}
