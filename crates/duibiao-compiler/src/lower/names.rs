//! Declaring the names of a kind's rules and lowering each named rule once, memoized: derived
//! values, requirements, groups and tiers, with cycles among them reported.

use super::{source, Lowerer, Memo, Sym};
use crate::diagnostic::{Diagnostic, DiagnosticKind};
use crate::graph::*;
use crate::types::Type;
use duibiao_syntax::ast::{self, Expr, Ident};

impl<'a> Lowerer<'a> {
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
                related: vec![first],
                suggestion: None,
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
    pub(super) fn symbol(&mut self, kind: usize, name: &Ident) -> Option<(NodeId, Type)> {
        let &(sym, declared) = self.states[kind].symbols.get(&name.name)?;
        self.refer(name.span, declared);
        if let Sym::Fact(slot) = sym {
            self.states[kind].input_used[slot] = true;
            let ty = self.states[kind].inputs[slot].ty;
            return Some((self.states[kind].intern(Node::Input(slot), ty), ty));
        }
        if let Sym::Text = sym {
            self.text_read(kind, name);
            return None;
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
            Sym::Fact(_) | Sym::Text => None,
            Sym::Derived(d) => self.derived(kind, d),
            Sym::Requirement(r) => self.requirement(kind, r),
            Sym::Group(g) => self.group(kind, g),
            Sym::Tier(i) => self.tier(kind, i),
            Sym::Card => self.states[kind]
                .scorecard
                .as_ref()
                .map(|c| (c.node, Type::Num(crate::types::Dim::Points))),
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
        let declared =
            d.ty.as_ref()
                .and_then(|t| crate::compile::resolve_type(self, t, Some(kind)));
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

    /// Lowers tier `idx`'s conditions (all but its limit) and returns the node of their
    /// conjunction: see [`Lowerer::tier_base`].
    pub(super) fn tier_conditions(&mut self, kind: usize, idx: usize) -> Option<NodeId> {
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
                    self.refer(r.span, self.states[kind].tiers_decl[p].name.span);
                    if let Some(n) = self.tier_base(kind, p) {
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
        conditions.extend(self.rating_conditions(kind, idx));
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
        Some(node)
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
}

impl Lowerer<'_> {
    /// Lowers a named rule (not a fact) so that it is checked even when nothing uses it.
    pub fn lower_symbol(&mut self, kind: usize, name: &Ident) {
        if !matches!(
            self.states[kind].symbols.get(&name.name),
            Some((Sym::Fact(_) | Sym::Text, _)) | None
        ) {
            self.symbol(kind, name);
        }
    }
}
