//! Name resolution, type checking and lowering, in one pass over each kind's rules: every rule
//! becomes nodes of its kind's graph, every name is bound to a node, and every operator is checked
//! against the types (and units) of its operands.

use crate::diagnostic::{Diagnostic, DiagnosticKind};
use crate::graph::*;
use crate::kinds::Kinds;
use crate::types::{Dim, Type};
use crate::value::{scaled, Value};
use duibiao_syntax::ast::{
    self, AggOp, Annotation, CmpOp, Expr, ExprKind, Ident, Literal, Span, UnitSuffix,
};
use indexmap::IndexMap;
use std::collections::HashMap;

/// What a name in a kind's rules stands for.
#[derive(Clone, Copy)]
pub(crate) enum Sym<'a> {
    Fact(usize),
    Derived(&'a ast::DerivedDecl),
    Requirement(&'a ast::RequirementDecl),
    Group(&'a ast::Group),
    Tier(usize),
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
    pub enums: Vec<EnumDef>,
    pub diags: Vec<Diagnostic>,
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

/// The value and type of a quantity as written (`30%` is 0.3, `15万元` is 150000 元). The value is
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
        let st = &self.states[kind];
        let kind_name = st.name.clone();
        let known = st.tiers_decl.iter().map(|t| t.name.name.clone()).collect();
        self.err(
            DiagnosticKind::UnknownTier {
                tier: tier.name.clone(),
                kind: kind_name,
                known,
            },
            tier.span,
        );
    }

    fn text(&self, span: Span) -> String {
        self.src.get(span.start..span.end).unwrap_or("").to_string()
    }

    fn describe(&self, t: Type) -> String {
        t.describe(&self.enums)
    }

    /// Declares a name in a kind, reporting duplicates (also against parameters).
    pub fn declare(&mut self, kind: usize, name: &Ident, sym: Sym<'a>) {
        let state = &mut self.states[kind];
        let dup = state
            .symbols
            .get(&name.name)
            .map(|(_, s)| *s)
            .or_else(|| self.params.get(&name.name).map(|(_, s)| *s));
        if let Some(first) = dup {
            let kname = state.name.clone();
            self.diags.push(Diagnostic {
                kind: DiagnosticKind::DuplicateName {
                    name: name.name.clone(),
                    kind: kname,
                },
                span: name.span,
                related: Some(first),
            });
            return;
        }
        state.symbols.insert(name.name.clone(), (sym, name.span));
    }

    pub fn declare_fact(&mut self, kind: usize, name: &Ident, input: Input) {
        let slot = self.states[kind].inputs.len();
        let before = self.diags.len();
        self.declare(kind, name, Sym::Fact(slot));
        if self.diags.len() == before {
            let st = &mut self.states[kind];
            st.inputs.push(input);
            st.input_used.push(false);
            st.fact_spans.push(name.span);
        }
    }

    pub fn declare_derived(&mut self, kind: usize, d: &'a ast::DerivedDecl) {
        self.declare(kind, &d.name, Sym::Derived(d));
        self.states[kind].derived.push(d);
    }

    pub fn declare_group(&mut self, kind: usize, g: &'a ast::Group, parent: Option<usize>) {
        self.declare(kind, &g.name, Sym::Group(g));
        let idx = self.states[kind].groups.len();
        self.states[kind].groups.push((g, parent));
        for m in &g.members {
            match m {
                ast::GroupMember::Group(sub) => self.declare_group(kind, sub, Some(idx)),
                ast::GroupMember::Requirement(r) => {
                    self.declare(kind, &r.name, Sym::Requirement(r))
                }
            }
        }
    }

    pub fn declare_tier(&mut self, kind: usize, t: &'a ast::TierDecl) {
        let idx = self.states[kind].tiers_decl.len();
        self.declare(kind, &t.name, Sym::Tier(idx));
        self.states[kind].tiers_decl.push(t);
        self.states[kind].tiers.push(None);
    }

    /// Lowers a named symbol, memoized; reports cycles.
    fn symbol(&mut self, kind: usize, name: &Ident) -> Option<(NodeId, Type)> {
        let &(sym, _) = self.states[kind].symbols.get(&name.name)?;
        if let Sym::Fact(slot) = sym {
            self.states[kind].input_used[slot] = true;
            let ty = self.states[kind].inputs[slot].ty;
            return Some((self.states[kind].intern(Node::Input(slot), ty), ty));
        }
        match self.states[kind].memo.get(&name.name) {
            Some(Memo::Done(n, t)) => return Some((*n, *t)),
            Some(Memo::Failed) => return None,
            Some(Memo::InProgress) => {
                self.err(
                    DiagnosticKind::DependencyCycle(name.name.clone()),
                    name.span,
                );
                self.states[kind]
                    .memo
                    .insert(name.name.clone(), Memo::Failed);
                return None;
            }
            None => {}
        }
        self.states[kind]
            .memo
            .insert(name.name.clone(), Memo::InProgress);
        let result = match sym {
            Sym::Fact(_) => None,
            Sym::Derived(d) => self.derived(kind, d),
            Sym::Requirement(r) => self.requirement(kind, r),
            Sym::Group(g) => self.group(kind, g),
            Sym::Tier(i) => self.tier(kind, i),
        };
        let memo = match result {
            Some((n, t)) => Memo::Done(n, t),
            None => Memo::Failed,
        };
        // A cycle found inside may already have marked this name failed.
        if !matches!(self.states[kind].memo.get(&name.name), Some(Memo::Failed)) {
            self.states[kind].memo.insert(name.name.clone(), memo);
        }
        result
    }

    /// A derived value, checked against its declared type when it has one (which also tells
    /// level names such as `红牌` which enumeration they belong to).
    fn derived(&mut self, kind: usize, d: &'a ast::DerivedDecl) -> Option<(NodeId, Type)> {
        let declared = d.ty.as_ref().map(|t| crate::compile::resolve_type(self, t));
        let (n, t) = self.expr(kind, &d.expr, declared)?;
        match declared {
            Some(want) if !crate::compile::fits(want, t) => {
                let (expected, found) = (self.describe(want), self.describe(t));
                self.err(DiagnosticKind::WrongType { expected, found }, d.expr.span);
                None
            }
            Some(want) => Some((n, want)),
            None => Some((n, t)),
        }
    }

    /// A requirement; with `when`, it holds wherever its premise does not (not applicable).
    fn requirement(&mut self, kind: usize, r: &'a ast::RequirementDecl) -> Option<(NodeId, Type)> {
        let body = self.boolean(kind, &r.expr);
        let Some(premise) = &r.when else {
            return body;
        };
        let premise = self.boolean(kind, premise);
        let ((b, _), (w, _)) = (body?, premise?);
        let not_w = self.states[kind].intern(Node::Not(w), Type::Bool);
        let node = self.states[kind].intern(Node::Or(vec![not_w, b]), Type::Bool);
        self.states[kind].applies.insert(r.name.name.clone(), w);
        Some((node, Type::Bool))
    }

    /// Lowers an expression that must be a condition.
    pub fn boolean(&mut self, kind: usize, e: &Expr) -> Option<(NodeId, Type)> {
        let (n, t) = self.expr(kind, e, None)?;
        if t != Type::Bool {
            let found = self.describe(t);
            self.err(
                DiagnosticKind::WrongType {
                    expected: "a condition".into(),
                    found,
                },
                e.span,
            );
            return None;
        }
        Some((n, t))
    }

    fn group(&mut self, kind: usize, g: &'a ast::Group) -> Option<(NodeId, Type)> {
        let mut parts = Vec::new();
        let mut ok = true;
        for m in &g.members {
            let name = match m {
                ast::GroupMember::Group(sub) => &sub.name,
                ast::GroupMember::Requirement(r) => &r.name,
            };
            match self.symbol(kind, name) {
                Some((n, _)) => parts.push(n),
                None => ok = false,
            }
        }
        if !ok {
            return None;
        }
        Some((
            self.states[kind].intern(Node::And(parts), Type::Bool),
            Type::Bool,
        ))
    }

    fn tier(&mut self, kind: usize, idx: usize) -> Option<(NodeId, Type)> {
        let t = self.states[kind].tiers_decl[idx];
        let mut conditions = Vec::new();
        let mut ok = true;
        for r in &t.requires {
            let pos = self.states[kind]
                .tiers_decl
                .iter()
                .position(|d| d.name.name == r.name);
            match pos {
                Some(p) if p < idx => {
                    if let Some((n, _)) = self.symbol(kind, r) {
                        let src = self.tier_source(kind, p);
                        conditions.push(Condition {
                            applies: None,
                            label: Some(r.name.clone()),
                            kind: ConditionKind::Prerequisite(p),
                            node: n,
                            expr: r.name.clone(),
                            inputs: Vec::new(),
                            source: Source::new(src.doc, src.cite, r.span),
                        });
                    } else {
                        ok = false;
                    }
                }
                Some(_) => {
                    self.err(
                        DiagnosticKind::TierOrder {
                            tier: t.name.name.clone(),
                            required: r.name.clone(),
                        },
                        r.span,
                    );
                    ok = false;
                }
                None => {
                    self.unknown_tier(kind, r);
                    ok = false;
                }
            }
        }
        let tier_cite = self.tier_source(kind, idx).cite;
        for c in &t.conditions {
            match self.boolean(kind, &c.expr) {
                Some((n, _)) => conditions.push(Condition {
                    applies: None,
                    label: c.label.as_ref().map(|l| l.name.clone()),
                    kind: ConditionKind::Rule,
                    node: n,
                    expr: self.text(c.expr.span),
                    inputs: Vec::new(),
                    source: {
                        let mut s = source(&c.ann, c.span);
                        if s.cite.is_none() {
                            s.cite = tier_cite.clone();
                        }
                        s
                    },
                }),
                None => ok = false,
            }
        }
        let vetoes: Vec<usize> = (0..self.states[kind].vetoes.len()).collect();
        for v in vetoes {
            let (decl, lowered) = &self.states[kind].vetoes[v];
            let blocks = decl.blocks.iter().any(|b| b.name == t.name.name);
            if !blocks {
                continue;
            }
            let decl = *decl;
            let lowered = lowered.clone();
            match lowered {
                Some(veto) => {
                    let not = self.states[kind].intern(Node::Not(veto.node), Type::Bool);
                    conditions.push(Condition {
                        applies: None,
                        label: Some(veto.name.clone()),
                        kind: ConditionKind::Veto(v),
                        node: not,
                        expr: format!("not ({})", self.text(decl.expr.span)),
                        inputs: Vec::new(),
                        source: veto.source.clone(),
                    });
                }
                None => ok = false,
            }
        }
        if !ok {
            return None;
        }
        let node = self.states[kind].intern(
            Node::And(conditions.iter().map(|c| c.node).collect()),
            Type::Bool,
        );
        let src = source(&t.ann, t.span);
        self.states[kind].tiers[idx] = Some(Tier {
            name: t.name.name.clone(),
            node,
            conditions,
            source: src,
        });
        Some((node, Type::Bool))
    }

    /// Description and citation of tier `idx`, falling back on the citation of its `tiers` block.
    fn tier_source(&self, kind: usize, idx: usize) -> Source {
        let t = self.states[kind].tiers_decl[idx];
        let mut s = source(&t.ann, t.span);
        if s.cite.is_none() {
            s.cite = self.states[kind]
                .tiers_source
                .as_ref()
                .and_then(|b| b.cite.clone());
        }
        s
    }

    /// Lowers an expression; `hint` is the type of what it is compared with (to resolve levels).
    pub fn expr(&mut self, kind: usize, e: &Expr, hint: Option<Type>) -> Option<(NodeId, Type)> {
        // Expressions nest as deep as the parser allows; grow the stack rather than overflow it.
        stacker::maybe_grow(256 * 1024, 4 * 1024 * 1024, || {
            self.expr_inner(kind, e, hint)
        })
    }

    fn expr_inner(&mut self, kind: usize, e: &Expr, hint: Option<Type>) -> Option<(NodeId, Type)> {
        match &e.kind {
            ExprKind::Literal(l) => {
                let (v, t) = self.literal_value(l);
                Some((self.states[kind].intern(Node::Const(v), t), t))
            }
            ExprKind::Name(id) => self.name(kind, id, hint),
            ExprKind::Score(key) => self.score(kind, key.as_ref(), e.span),
            ExprKind::Call(f, args) => self.call(kind, f, args, e.span),
            ExprKind::Neg(x) => {
                let (n, t) = self.expr(kind, x, None)?;
                if !matches!(t, Type::Num(_)) {
                    let found = self.describe(t);
                    self.err(
                        DiagnosticKind::WrongType {
                            expected: "a number".into(),
                            found,
                        },
                        x.span,
                    );
                    return None;
                }
                Some((self.states[kind].intern(Node::Neg(n), t), t))
            }
            ExprKind::Binary(op, a, b) => {
                let la = self.expr(kind, a, None);
                let lb = self.expr(kind, b, None);
                let ((na, ta), (nb, tb)) = (la?, lb?);
                let (arith, ty) = self.arith_type(*op, ta, tb, e.span)?;
                Some((self.states[kind].intern(Node::Arith(arith, na, nb), ty), ty))
            }
            ExprKind::Compare(op, a, b) => self.compare(kind, *op, a, b, e.span),
            ExprKind::And(xs) | ExprKind::Or(xs) => {
                let mut nodes = Vec::with_capacity(xs.len());
                let mut ok = true;
                for x in xs {
                    match self.boolean(kind, x) {
                        Some((n, _)) => nodes.push(n),
                        None => ok = false,
                    }
                }
                if !ok {
                    return None;
                }
                let node = if matches!(e.kind, ExprKind::And(_)) {
                    Node::And(nodes)
                } else {
                    Node::Or(nodes)
                };
                Some((self.states[kind].intern(node, Type::Bool), Type::Bool))
            }
            ExprKind::Not(x) => {
                let (n, _) = self.boolean(kind, x)?;
                Some((
                    self.states[kind].intern(Node::Not(n), Type::Bool),
                    Type::Bool,
                ))
            }
            ExprKind::If(c, a, b) => {
                let lc = self.boolean(kind, c);
                let la = self.expr(kind, a, hint);
                let lb = self.expr(kind, b, hint);
                let ((nc, _), (na, ta), (nb, tb)) = (lc?, la?, lb?);
                let ty = self.unify(ta, tb, "combine", e.span)?;
                Some((self.states[kind].intern(Node::If(nc, na, nb), ty), ty))
            }
            ExprKind::Aggregate(agg) => self.aggregate(kind, agg, e.span),
            ExprKind::AsOf => Some((self.states[kind].intern(Node::AsOf, Type::Date), Type::Date)),
            ExprKind::Rank(r) => {
                let (value, ty) = self.expr(kind, &r.value, None)?;
                if ty == Type::Bool {
                    let found = self.describe(ty);
                    self.err(
                        DiagnosticKind::WrongType {
                            expected: "a quantity".into(),
                            found,
                        },
                        r.value.span,
                    );
                    return None;
                }
                let peers = self.peers(kind, &r.scope)?;
                let node = Node::Rank(crate::graph::Rank {
                    value,
                    ascending: r.ascending,
                    peers,
                    ties: r.ties,
                });
                let count = Type::Num(Dim::Count);
                Some((self.states[kind].intern(node, count), count))
            }
            ExprKind::Peers(scope) => {
                let peers = self.peers(kind, scope)?;
                let count = Type::Num(Dim::Count);
                Some((self.states[kind].intern(Node::Peers(peers), count), count))
            }
        }
    }

    /// Resolves who a unit's peers are; `within K` needs K to contain the unit's kind.
    fn peers(&mut self, kind: usize, scope: &ast::Scope) -> Option<Peers> {
        match scope {
            ast::Scope::Siblings => Some(Peers::Siblings),
            ast::Scope::All => Some(Peers::All),
            ast::Scope::Within(k) => {
                let Some(anc) = self.kinds.id(&k.name) else {
                    self.err(DiagnosticKind::UnknownKind(k.name.clone()), k.span);
                    return None;
                };
                if !self.reach_all[anc as usize].contains(&(kind as KindId)) {
                    self.err(
                        DiagnosticKind::NotContained {
                            kind: k.name.clone(),
                            sub: self.states[kind].name.clone(),
                        },
                        k.span,
                    );
                    return None;
                }
                Some(Peers::Within(anc))
            }
        }
    }

    fn name(&mut self, kind: usize, id: &Ident, hint: Option<Type>) -> Option<(NodeId, Type)> {
        if self.states[kind].symbols.contains_key(&id.name) {
            return self.symbol(kind, id);
        }
        if let Some(p) = self.params.get_index_of(&id.name) {
            self.param_used[p] = true;
            let ty = self.params[p].0.ty;
            return Some((self.states[kind].intern(Node::Param(p), ty), ty));
        }
        if let Some(q) = self.quotas.get_index_of(&id.name) {
            self.quota_used[q] = true;
            let (listed, ty) = (self.quotas[q].0.kind, self.quotas[q].0.ty);
            if listed as usize != kind {
                let problem = crate::diagnostic::QuotaProblem::WrongKind {
                    listed: self.states[listed as usize].name.clone(),
                    used: self.states[kind].name.clone(),
                };
                self.err(
                    DiagnosticKind::BadQuota {
                        name: id.name.clone(),
                        problem,
                    },
                    id.span,
                );
                return None;
            }
            return Some((self.states[kind].intern(Node::Quota(q), ty), ty));
        }
        if self.poisoned.contains(&id.name) {
            return None;
        }
        if let Some(Type::Enum(e)) = hint {
            if let Some(pos) = self
                .enums
                .get(e as usize)
                .and_then(|d| d.variants.iter().position(|v| *v == id.name))
            {
                return Some((
                    self.states[kind].intern(Node::Const(Value::Enum(pos as u32)), Type::Enum(e)),
                    Type::Enum(e),
                ));
            }
        }
        let kname = self.states[kind].name.clone();
        self.err(
            DiagnosticKind::UnknownName {
                name: id.name.clone(),
                kind: kname,
            },
            id.span,
        );
        None
    }

    fn score(
        &mut self,
        kind: usize,
        key: Option<&(String, Span)>,
        span: Span,
    ) -> Option<(NodeId, Type)> {
        let points = Type::Num(Dim::Points);
        /// What `score …` names: a node already built (total, item) or a part's input slot.
        enum Found {
            Node(NodeId),
            Input(usize),
        }
        let found = self.states[kind]
            .scorecard
            .as_ref()
            .and_then(|card| match key {
                None => Some(Found::Node(card.node)),
                Some((k, _)) => card.items.iter().find_map(|item| {
                    if *k == item.number.to_string() {
                        Some(Found::Node(item.node))
                    } else {
                        item.parts
                            .iter()
                            .find(|p| &p.key == k)
                            .map(|p| Found::Input(p.input))
                    }
                }),
            });
        match found {
            Some(Found::Input(slot)) => {
                Some((self.states[kind].intern(Node::Input(slot), points), points))
            }
            Some(Found::Node(n)) => Some((n, points)),
            None => {
                let kname = self.states[kind].name.clone();
                self.err(
                    DiagnosticKind::UnknownScoreKey {
                        kind: kname,
                        key: key.map(|k| k.0.clone()).unwrap_or_default(),
                    },
                    key.map_or(span, |k| k.1),
                );
                None
            }
        }
    }

    fn call(
        &mut self,
        kind: usize,
        f: &Ident,
        args: &[Expr],
        span: Span,
    ) -> Option<(NodeId, Type)> {
        // The arguments are checked (and their facts count as used) even when the call is wrong.
        let lowered: Vec<Option<(NodeId, Type)>> =
            args.iter().map(|a| self.expr(kind, a, None)).collect();
        let func = match f.name.as_str() {
            "min" | "最小" | "最小值" => Func::Min,
            "max" | "最大" | "最大值" => Func::Max,
            "ceil" | "向上取整" => Func::Ceil,
            "floor" | "向下取整" => Func::Floor,
            "round" | "四舍五入" => Func::Round,
            "abs" | "绝对值" => Func::Abs,
            _ => {
                self.err(DiagnosticKind::UnknownFunction(f.name.clone()), f.span);
                return None;
            }
        };
        let (lo, hi, expected) = match func {
            Func::Min | Func::Max => (1, usize::MAX, "1 or more"),
            Func::Round => (2, 2, "2"),
            _ => (1, 1, "1"),
        };
        if args.len() < lo || args.len() > hi {
            self.err(
                DiagnosticKind::Arity {
                    name: f.name.clone(),
                    expected: expected.into(),
                    found: args.len(),
                },
                span,
            );
            return None;
        }
        let mut nodes = Vec::new();
        let mut ty: Option<Type> = None;
        let mut ok = true;
        for (i, (a, l)) in args.iter().zip(lowered).enumerate() {
            let Some((n, t)) = l else {
                ok = false;
                continue;
            };
            nodes.push(n);
            if func == Func::Round && i == 1 {
                if !matches!(t, Type::Num(d) if d.is_plain()) {
                    let found = self.describe(t);
                    self.err(
                        DiagnosticKind::WrongType {
                            expected: "a count".into(),
                            found,
                        },
                        a.span,
                    );
                    ok = false;
                }
                continue;
            }
            if !matches!(t, Type::Num(_)) {
                let found = self.describe(t);
                self.err(
                    DiagnosticKind::WrongType {
                        expected: "a number".into(),
                        found,
                    },
                    a.span,
                );
                ok = false;
                continue;
            }
            ty = match ty {
                None => Some(t),
                Some(prev) => match self.unify(prev, t, "compare", a.span) {
                    Some(u) => Some(u),
                    None => {
                        ok = false;
                        Some(prev)
                    }
                },
            };
        }
        if !ok {
            return None;
        }
        let mut ty = ty.unwrap_or(Type::Num(Dim::Bare));
        if matches!(func, Func::Ceil | Func::Floor) && ty == Type::Num(Dim::Number) {
            ty = Type::Num(Dim::Count);
        }
        Some((self.states[kind].intern(Node::Call(func, nodes), ty), ty))
    }

    /// The common type of two operands that are compared or combined.
    fn unify(&mut self, a: Type, b: Type, op: &str, span: Span) -> Option<Type> {
        let ok = match (a, b) {
            (Type::Num(x), Type::Num(y)) => x.unify(y).map(Type::Num),
            (x, y) if x == y => Some(x),
            _ => None,
        };
        if ok.is_none() {
            let (left, right) = (self.describe(a), self.describe(b));
            self.err(
                DiagnosticKind::UnitMismatch {
                    op: op.into(),
                    left,
                    right,
                },
                span,
            );
        }
        ok
    }

    fn arith_type(
        &mut self,
        op: ast::BinOp,
        a: Type,
        b: Type,
        span: Span,
    ) -> Option<(Arith, Type)> {
        use ast::BinOp::*;
        let arith = match op {
            Add => Arith::Add,
            Sub => Arith::Sub,
            Mul => Arith::Mul,
            Div => Arith::Div,
        };
        let result = match (op, a, b) {
            (Sub, Type::Date, Type::Date) => Some(Type::Num(Dim::Days)),
            (Add | Sub, Type::Date, Type::Num(Dim::Days | Dim::Bare)) => Some(Type::Date),
            (Add, Type::Num(Dim::Days | Dim::Bare), Type::Date) => Some(Type::Date),
            (Add | Sub, Type::Num(x), Type::Num(y)) => x.unify(y).map(Type::Num),
            (Mul, Type::Num(x), Type::Num(y)) => match (x, y) {
                _ if x.is_plain() && y.is_plain() => x.unify(y).map(Type::Num),
                // Scaling a percentage keeps it one (`满意度 * 2`); a count or amount times a
                // percentage is a share of it (`户数 * 30%` households, `经费 * 50%` 元).
                (Dim::Percent, Dim::Percent | Dim::Bare) | (Dim::Bare, Dim::Percent) => {
                    Some(Type::Num(Dim::Percent))
                }
                (Dim::Percent, p) | (p, Dim::Percent) if p.is_plain() => {
                    Some(Type::Num(Dim::Number))
                }
                (p, d) | (d, p) if p.is_plain() || p == Dim::Percent => Some(Type::Num(d)),
                _ => None,
            },
            (Div, Type::Num(x), Type::Num(y)) => match (x, y) {
                (Dim::Bare, Dim::Bare) => Some(Type::Num(Dim::Bare)),
                _ if x.is_plain() && y.is_plain() => Some(Type::Num(Dim::Number)),
                _ if x == y => Some(Type::Num(Dim::Number)),
                (d, p) if p.is_plain() || p == Dim::Percent => Some(Type::Num(d)),
                _ => None,
            },
            _ => None,
        };
        match result {
            Some(t) => Some((arith, t)),
            None => {
                let words = match op {
                    Add => "add",
                    Sub => "subtract",
                    Mul => "multiply",
                    Div => "divide",
                };
                let (left, right) = (self.describe(a), self.describe(b));
                self.err(
                    DiagnosticKind::UnitMismatch {
                        op: words.into(),
                        left,
                        right,
                    },
                    span,
                );
                None
            }
        }
    }

    fn is_bare_unknown_name(&self, kind: usize, e: &Expr) -> bool {
        match &e.kind {
            ExprKind::Name(id) => {
                !self.states[kind].symbols.contains_key(&id.name)
                    && !self.params.contains_key(&id.name)
            }
            _ => false,
        }
    }

    fn compare(
        &mut self,
        kind: usize,
        op: CmpOp,
        a: &Expr,
        b: &Expr,
        span: Span,
    ) -> Option<(NodeId, Type)> {
        // A level name (三星级) takes its enumeration from the other side.
        let (la, lb) = if self.is_bare_unknown_name(kind, a) {
            let lb = self.expr(kind, b, None);
            (self.expr(kind, a, lb.map(|x| x.1)), lb)
        } else {
            let la = self.expr(kind, a, None);
            (la, self.expr(kind, b, la.map(|x| x.1)))
        };
        let ((na, ta), (nb, tb)) = (la?, lb?);
        match (ta, tb) {
            (Type::Num(Dim::Percent), Type::Num(Dim::Bare))
            | (Type::Num(Dim::Bare), Type::Num(Dim::Percent)) => {
                let bare = if ta == Type::Num(Dim::Bare) { a } else { b };
                self.err(
                    DiagnosticKind::PercentWithoutSign(self.text(bare.span)),
                    bare.span,
                );
                return None;
            }
            _ => {}
        }
        self.unify(ta, tb, "compare", span)?;
        let ordered = !matches!(op, CmpOp::Eq | CmpOp::Ne);
        if ordered && ta == Type::Bool {
            self.err(
                DiagnosticKind::WrongType {
                    expected: "a quantity".into(),
                    found: "a bool".into(),
                },
                span,
            );
            return None;
        }
        Some((
            self.states[kind].intern(Node::Compare(op, na, nb), Type::Bool),
            Type::Bool,
        ))
    }

    fn aggregate(
        &mut self,
        kind: usize,
        agg: &ast::Aggregate,
        span: Span,
    ) -> Option<(NodeId, Type)> {
        // The operator as the writer spelt it (`sum` or `合计`).
        let written = self.text(span);
        let opname = written
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string();
        let mut ok = true;
        if agg.op == AggOp::Sum && agg.of.is_none() {
            self.err(
                DiagnosticKind::BadAggregate {
                    op: opname.clone(),
                    problem: "needs `of (…)`".into(),
                },
                span,
            );
            ok = false;
        }
        if agg.op != AggOp::Sum && agg.of.is_some() {
            self.err(
                DiagnosticKind::BadAggregate {
                    op: opname.clone(),
                    problem: "takes no `of (…)`".into(),
                },
                span,
            );
            ok = false;
        }
        let mut targets = Vec::new();
        let mut value_ty: Option<Type> = None;
        for k in &agg.kinds {
            let Some(sub) = self.kinds.id(&k.name) else {
                self.err(DiagnosticKind::UnknownKind(k.name.clone()), k.span);
                ok = false;
                continue;
            };
            let reachable = if agg.direct {
                &self.reach_direct[kind]
            } else {
                &self.reach_all[kind]
            };
            if !reachable.contains(&sub) {
                self.err(
                    DiagnosticKind::NotContained {
                        kind: self.states[kind].name.clone(),
                        sub: k.name.clone(),
                    },
                    k.span,
                );
                ok = false;
                continue;
            }
            let sub = sub as usize;
            let mut filters = Vec::new();
            if let Some(t) = &agg.at {
                match self.states[sub]
                    .tiers_decl
                    .iter()
                    .position(|d| d.name.name == t.name)
                {
                    Some(_) => match self.symbol(sub, t) {
                        Some((n, _)) => filters.push(n),
                        None => ok = false,
                    },
                    None => {
                        self.unknown_tier(sub, t);
                        ok = false;
                    }
                }
            }
            if let Some(w) = &agg.filter {
                match self.boolean(sub, w) {
                    Some((n, _)) => filters.push(n),
                    None => ok = false,
                }
            }
            let filter = match filters.len() {
                0 => None,
                1 => filters.pop(),
                _ => Some(self.states[sub].intern(Node::And(filters), Type::Bool)),
            };
            let mut value = None;
            if let Some(of) = &agg.of {
                match self.expr(sub, of, None) {
                    Some((n, t @ Type::Num(_))) => {
                        value = Some(n);
                        value_ty = match value_ty {
                            None => Some(t),
                            Some(prev) => self.unify(prev, t, "add", of.span),
                        };
                    }
                    Some((_, t)) => {
                        let found = self.describe(t);
                        self.err(
                            DiagnosticKind::WrongType {
                                expected: "a number".into(),
                                found,
                            },
                            of.span,
                        );
                        ok = false;
                    }
                    None => ok = false,
                }
            }
            targets.push(AggTarget {
                kind: sub as KindId,
                filter,
                value,
            });
        }
        if !ok {
            return None;
        }
        let ty = match agg.op {
            AggOp::All | AggOp::Any => Type::Bool,
            AggOp::Count => Type::Num(Dim::Count),
            AggOp::Share => Type::Num(Dim::Percent),
            AggOp::Sum => value_ty.unwrap_or(Type::Num(Dim::Number)),
        };
        let if_none = match &agg.if_none {
            None => None,
            Some(l) => {
                let (v, t) = self.literal_value(l);
                let fits = match (ty, t) {
                    (Type::Num(x), Type::Num(y)) => x.unify(y).is_some(),
                    (x, y) => x == y,
                };
                if !fits {
                    self.err(
                        DiagnosticKind::BadAggregate {
                            op: opname.clone(),
                            problem: "`ifnone` value does not fit".into(),
                        },
                        l.span(),
                    );
                    return None;
                }
                Some(v)
            }
        };
        let node = Node::Aggregate(Aggregate {
            op: agg.op,
            direct: agg.direct,
            targets,
            if_none,
        });
        Some((self.states[kind].intern(node, ty), ty))
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

impl Lowerer<'_> {
    /// Lowers a named rule (not a fact) so that it is checked even when nothing uses it.
    pub fn lower_symbol(&mut self, kind: usize, name: &Ident) {
        if !matches!(
            self.states[kind].symbols.get(&name.name),
            Some((Sym::Fact(_), _)) | None
        ) {
            self.symbol(kind, name);
        }
    }
}
