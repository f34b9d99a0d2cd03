//! Lowering expressions: literals, names, scores, peers and function calls, each bound to a node
//! of its kind's graph with its type checked.

use super::Lowerer;
use crate::diagnostic::{closest, Diagnostic, DiagnosticKind};
use crate::graph::*;
use crate::types::{Dim, Type};
use crate::value::Value;
use duibiao_syntax::ast::{self, Expr, ExprKind, Ident, Span};

impl<'a> Lowerer<'a> {
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
            ExprKind::Call(f, args) => self.call(kind, f, args, e.span, hint),
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
                let la = self.expr(kind, a, hint);
                let lb = self.expr(kind, b, None);
                let ((na, ta), (nb, tb)) = (la?, lb?);
                if let Some(shift) = self.shift(kind, *op, (na, ta), (nb, tb)) {
                    self.check_whole_levels(kind, nb, b);
                    return Some(shift);
                }
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
            ExprKind::Rank(r) => self.rank_expr(kind, r),
            ExprKind::Peers(p) => self.peer_count(kind, p),
        }
    }

    /// Resolves who a unit's peers are; `within K` needs K to contain the unit's kind.
    pub(super) fn peers(&mut self, kind: usize, scope: &ast::Scope) -> Option<Peers> {
        match scope {
            ast::Scope::Siblings => Some(Peers::Siblings),
            ast::Scope::All => Some(Peers::All),
            ast::Scope::Within(k) => {
                if !self.kinds.decls.contains_key(&k.name) {
                    self.unknown_peers(kind, k);
                    return None;
                }
                let anc = self.kinds_of(std::slice::from_ref(k)).pop()?;
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

    /// Reports a word after `among` that is no kind: `all`, `siblings` and the kinds containing
    /// `kind` are what it could be; a close spelling of a declared kind is suggested.
    fn unknown_peers(&mut self, kind: usize, word: &Ident) {
        let kinds = self.kinds;
        let containers: Vec<String> = kinds
            .decls
            .keys()
            .enumerate()
            .filter(|(i, _)| self.reach_all[*i].contains(&(kind as KindId)))
            .map(|(_, k)| k.clone())
            .collect();
        let close = closest(&word.name, kinds.decls.keys().map(String::as_str)).map(str::to_string);
        let d = Diagnostic::new(
            DiagnosticKind::UnknownPeers {
                name: word.name.clone(),
                containers,
            },
            word.span,
        );
        self.diags.push(d.suggesting(close));
    }

    fn name(&mut self, kind: usize, id: &Ident, hint: Option<Type>) -> Option<(NodeId, Type)> {
        if let (Some(level), Some(ty)) = (self.tier_level(kind, &id.name, hint), hint) {
            if let Some(&(_, declared)) = self.states[kind].symbols.get(&id.name) {
                self.refer(id.span, declared);
            }
            let node = Node::Const(Value::Enum(level));
            return Some((self.states[kind].intern(node, ty), ty));
        }
        // Already reported where both are declared.
        if self.clashes.contains(&(kind, id.name.clone())) {
            return None;
        }
        if self.states[kind].symbols.contains_key(&id.name) {
            return self.symbol(kind, id);
        }
        if let Some(p) = self.params.get_index_of(&id.name) {
            self.param_used[p] = true;
            self.refer(id.span, self.params[p].1);
            let ty = self.params[p].0.ty;
            return Some((self.states[kind].intern(Node::Param(p), ty), ty));
        }
        if let Some(q) = self.quotas.get_index_of(&id.name) {
            self.quota_used[q] = true;
            self.refer(id.span, self.quotas[q].1);
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
        if let Some(owner_fact) = self.owner_name(kind, id) {
            return owner_fact;
        }
        if let Some(&outer) = self.aggregating.last() {
            if self.states[outer].symbols.contains_key(&id.name) {
                let d = DiagnosticKind::OuterName {
                    name: id.name.clone(),
                    kind: self.states[kind].name.clone(),
                    outer: self.states[outer].name.clone(),
                };
                self.err(d, id.span);
                return None;
            }
        }
        let st = &self.states[kind];
        let in_scope = st
            .symbols
            .keys()
            .chain(self.params.keys())
            .chain(self.quotas.keys());
        let close = closest(&id.name, in_scope.map(String::as_str)).map(str::to_string);
        let d = Diagnostic::new(
            DiagnosticKind::UnknownName {
                name: id.name.clone(),
                kind: st.name.clone(),
            },
            id.span,
        );
        self.diags.push(d.suggesting(close));
        None
    }

    fn score(
        &mut self,
        kind: usize,
        key: Option<&(String, Span)>,
        span: Span,
    ) -> Option<(NodeId, Type)> {
        if key.is_none() && self.states[kind].score_decl.is_some() {
            return self.score_formula(kind, span);
        }
        if !self.owners(kind).is_empty() {
            self.owner_score(kind, span);
            return None;
        }
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
        if let (Some((k, used)), Some(card)) = (key, self.states[kind].scorecard_decl) {
            if let Some(declared) = score_entry(card, k) {
                self.refer(*used, declared);
            }
        }
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
        hint: Option<Type>,
    ) -> Option<(NodeId, Type)> {
        // The arguments are checked (and their facts count as used) even when the call is wrong.
        // The smallest or largest of levels: `max(上年星级 - 1, 一星)`.
        let lowered: Vec<Option<(NodeId, Type)>> =
            args.iter().map(|a| self.expr(kind, a, hint)).collect();
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
            let level = matches!(t, Type::Enum(_)) && matches!(func, Func::Min | Func::Max);
            if !matches!(t, Type::Num(_)) && !level {
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
}

/// Where the scorecard entry `key` (`6` for item 6, `6.1` for its first part) is numbered.
fn score_entry(card: &ast::ScorecardDecl, key: &str) -> Option<Span> {
    let (item, part) = match key.split_once('.') {
        Some((i, p)) => (i, Some(p.parse::<u32>().ok()?)),
        None => (key, None),
    };
    let item: u32 = item.parse().ok()?;
    let decl = card.items.iter().find(|i| i.number.0 == item)?;
    match part {
        None => Some(decl.number.1),
        Some(p) => decl
            .parts
            .iter()
            .find(|x| x.number.0 == p)
            .map(|x| x.number.1),
    }
}
