//! Lowering the rating rules of a kind: the tier scale (`tier` values), the score formula,
//! reasons not to rate and caps on the tier (limits and floors: `limit.rs`).

use super::{source, Lowerer, Memo};
use crate::diagnostic::{DiagnosticKind, RatingProblem};
use crate::graph::*;
use crate::types::{Dim, Type};
use crate::value::Value;
use duibiao_syntax::ast::{self, CapMode, CmpOp, Span};
use rust_decimal::Decimal;

/// The name of the level below a kind's lowest tier: no tier.
pub const NO_TIER: &str = "无";

/// The memo key of the score formula (no name of the language starts with this character).
const SCORE_KEY: &str = "\u{1}score";

/// The memo key of tier `name`'s verdict before its limit.
pub(super) fn base_key(name: &str) -> String {
    format!("\u{1}base:{name}")
}

impl<'a> Lowerer<'a> {
    /// The type of `kind`'s tier scale (none, then its tiers lowest first), registering it; a
    /// kind without tiers has none, which is reported at `span` as needed by `rule`.
    pub fn tier_scale(&mut self, kind: usize, rule: &str, span: Span) -> Option<Type> {
        if let Some(e) = self.states[kind].scale {
            return Some(Type::Enum(e));
        }
        if self.states[kind].tier_names.is_empty() {
            let problem = RatingProblem::NoTiers {
                kind: self.states[kind].name.clone(),
                rule: rule.into(),
            };
            self.err(DiagnosticKind::BadRating(problem), span);
            return None;
        }
        let variants: Vec<String> = std::iter::once(NO_TIER.to_string())
            .chain(self.states[kind].tier_names.iter().cloned())
            .collect();
        let e = match self.enums.iter().position(|d| d.variants == variants) {
            Some(i) => i,
            None => {
                self.enums.push(EnumDef { variants });
                self.enums.len() - 1
            }
        } as u32;
        self.states[kind].scale = Some(e);
        Some(Type::Enum(e))
    }

    /// Tier `name` of `kind` as a level of its tier scale, when `hint` is that scale.
    pub(super) fn tier_level(&self, kind: usize, name: &str, hint: Option<Type>) -> Option<u32> {
        let st = &self.states[kind];
        match (hint, st.scale) {
            (Some(Type::Enum(e)), Some(s)) if e == s => st
                .tier_names
                .iter()
                .position(|t| t == name)
                .map(|i| i as u32 + 1),
            _ => None,
        }
    }

    /// Lowers a rule's name-keyed node once, memoized like named rules, reporting a cycle
    /// through it as one through `shown`.
    pub(super) fn memoized(
        &mut self,
        kind: usize,
        key: &str,
        shown: &str,
        span: Span,
        lower: impl FnOnce(&mut Self) -> Option<(NodeId, Type)>,
    ) -> Option<(NodeId, Type)> {
        match self.states[kind].memo.get(key) {
            Some(Memo::Done(n, t)) => return Some((*n, *t)),
            Some(Memo::Failed) => return None,
            Some(Memo::InProgress) => {
                self.err(DiagnosticKind::DependencyCycle(shown.to_string()), span);
                self.states[kind].memo.insert(key.to_string(), Memo::Failed);
                return None;
            }
            None => {}
        }
        self.states[kind]
            .memo
            .insert(key.to_string(), Memo::InProgress);
        let result = lower(self);
        if !matches!(self.states[kind].memo.get(key), Some(Memo::Failed)) {
            let memo = result.map_or(Memo::Failed, |(n, t)| Memo::Done(n, t));
            self.states[kind].memo.insert(key.to_string(), memo);
        }
        result
    }

    /// The unit's score by its formula, when the kind has one.
    pub(super) fn score_formula(&mut self, kind: usize, span: Span) -> Option<(NodeId, Type)> {
        let decl = self.states[kind].score_decl?;
        self.memoized(kind, SCORE_KEY, "score", span, |l| {
            let points = Type::Num(Dim::Points);
            let (n, t) = l.expr(kind, &decl.expr, None)?;
            if !matches!(
                t,
                Type::Num(Dim::Points | Dim::Bare | Dim::Number | Dim::Count)
            ) {
                let found = l.describe(t);
                l.err(
                    DiagnosticKind::WrongType {
                        expected: "points".into(),
                        found,
                    },
                    decl.expr.span,
                );
                return None;
            }
            l.states[kind].score = Some(ScoreRule {
                node: n,
                expr: l.text(decl.expr.span),
                source: source(&decl.ann, decl.span),
            });
            Some((n, points))
        })
    }

    /// Lowers the kind's score formula, reasons not to rate and caps (before its tiers, which
    /// read them).
    pub(crate) fn lower_ratings(&mut self, kind: usize) {
        if let Some(d) = self.states[kind].score_decl {
            self.score_formula(kind, d.span);
        }
        for i in 0..self.states[kind].unrated.len() {
            let decl = self.states[kind].unrated[i].0;
            if self
                .tier_scale(kind, "unrated units", decl.name.span)
                .is_none()
            {
                continue;
            }
            if let Some((node, _)) = self.boolean(kind, &decl.expr) {
                self.states[kind].unrated[i].1 = Some(Unrated {
                    name: decl.name.name.clone(),
                    node,
                    expr: self.text(decl.expr.span),
                    source: self.rating_source(kind, &decl.ann, decl.span),
                });
            }
        }
        for i in 0..self.states[kind].caps.len() {
            let decl = self.states[kind].caps[i].0;
            self.lower_cap(kind, i, decl);
        }
    }

    fn lower_cap(&mut self, kind: usize, i: usize, decl: &'a ast::CapDecl) {
        let Some(scale) = self.tier_scale(kind, "a cap", decl.name.span) else {
            return;
        };
        let level = self.expr(kind, &decl.expr, Some(scale));
        let applies = match &decl.condition {
            None => Some(None),
            Some((mode, c)) => self.boolean(kind, c).map(|(n, _)| {
                Some(match mode {
                    CapMode::When => n,
                    CapMode::Unless => self.states[kind].intern(Node::Not(n), Type::Bool),
                })
            }),
        };
        let (Some((level, ty)), Some(applies)) = (level, applies) else {
            return;
        };
        if ty != scale {
            let (expected, found) = (self.describe(scale), self.describe(ty));
            self.err(
                DiagnosticKind::WrongType { expected, found },
                decl.expr.span,
            );
            return;
        }
        // As written: `除非 市级表彰` or `unless 市级表彰`, from after the level to the end.
        let condition = decl.condition.as_ref().map(|(_, c)| {
            let from = Span::new(decl.expr.span.end, c.span.end);
            self.text(from).trim().to_string()
        });
        self.states[kind].caps[i].1 = Some(Cap {
            name: decl.name.name.clone(),
            level,
            applies,
            expr: self.text(decl.expr.span),
            condition,
            source: self.rating_source(kind, &decl.ann, decl.span),
        });
    }

    /// The share a limit or a guide gives: more than 0 and at most 100%, else reported as
    /// `problem`.
    pub(super) fn rating_share(
        &mut self,
        q: &ast::Quantity,
        problem: fn(String) -> RatingProblem,
    ) -> Option<Decimal> {
        let (share, ty) = self.quantity_value(q);
        if ty != Type::Num(Dim::Percent) {
            let text = self.text(q.span).trim().to_string();
            self.err(
                DiagnosticKind::BadRating(RatingProblem::ShareWithoutSign(text)),
                q.span,
            );
            return None;
        }
        match share {
            Value::Num(s) if s > Decimal::ZERO && s <= Decimal::ONE => Some(s),
            _ => {
                let text = self.text(q.span).trim().to_string();
                self.err(DiagnosticKind::BadRating(problem(text)), q.span);
                None
            }
        }
    }

    /// A rating rule's description and citation, its citation falling back on the `tiers`
    /// block's.
    pub(super) fn rating_source(&self, kind: usize, ann: &ast::Annotation, span: Span) -> Source {
        let mut s = source(ann, span);
        if s.cite.is_none() {
            s.cite = self.states[kind]
                .tiers_source
                .as_ref()
                .and_then(|b| b.cite.clone());
        }
        s
    }

    /// The conditions tier `idx` gets from the kind's reasons not to rate and its caps.
    pub(super) fn rating_conditions(&mut self, kind: usize, idx: usize) -> Vec<Condition> {
        let mut out = Vec::new();
        for (i, (decl, lowered)) in self.states[kind].unrated.clone().into_iter().enumerate() {
            let Some(u) = lowered else { continue };
            let node = self.states[kind].intern(Node::Not(u.node), Type::Bool);
            out.push(Condition {
                applies: None,
                label: Some(u.name.clone()),
                kind: ConditionKind::Unrated(i),
                node,
                expr: format!("not ({})", self.text(decl.expr.span)),
                inputs: Vec::new(),
                source: u.source.clone(),
            });
        }
        let level = idx as u32 + 1;
        for (i, (_, lowered)) in self.states[kind].caps.clone().into_iter().enumerate() {
            let Some(cap) = lowered else { continue };
            if self.least_level(kind, cap.level) >= level {
                continue; // the cap never reaches down to this tier
            }
            let Some(scale) = self.states[kind].scale else {
                continue;
            };
            let st = &mut self.states[kind];
            let this = st.intern(Node::Const(Value::Enum(level)), Type::Enum(scale));
            let within = st.intern(Node::Compare(CmpOp::Le, this, cap.level), Type::Bool);
            let node = match cap.applies {
                None => within,
                Some(a) => {
                    let not = st.intern(Node::Not(a), Type::Bool);
                    st.intern(Node::Or(vec![not, within]), Type::Bool)
                }
            };
            let expr = match &cap.condition {
                Some(c) => format!("{} {c}", cap.expr),
                None => cap.expr.clone(),
            };
            out.push(Condition {
                applies: cap.applies,
                label: Some(cap.name.clone()),
                kind: ConditionKind::Cap(i),
                node,
                expr,
                inputs: Vec::new(),
                source: cap.source.clone(),
            });
        }
        out
    }

    /// The lowest level a tier-scale node can take whatever the facts: what a cap such as
    /// `上年星级 + 1` allows at the least (the lowest tier, even with last year unknown).
    fn least_level(&self, kind: usize, n: NodeId) -> u32 {
        let st = &self.states[kind];
        match st.nodes.get(n as usize) {
            Some(Node::Const(Value::Enum(l))) => *l,
            Some(Node::Shift(a, by, top)) => {
                let step = match st.nodes.get(*by as usize) {
                    Some(Node::Const(Value::Num(d))) => Some(*d),
                    _ => None,
                };
                match step {
                    Some(d) => {
                        let base = Decimal::from(self.least_level(kind, *a));
                        let moved = base.checked_add(d).unwrap_or(Decimal::ZERO);
                        u32::try_from(moved.floor().max(Decimal::ZERO).mantissa())
                            .unwrap_or(0)
                            .min(*top)
                    }
                    None => 0,
                }
            }
            Some(Node::Call(Func::Max, xs)) => xs
                .iter()
                .map(|x| self.least_level(kind, *x))
                .max()
                .unwrap_or(0),
            Some(Node::Call(Func::Min, xs)) => xs
                .iter()
                .map(|x| self.least_level(kind, *x))
                .min()
                .unwrap_or(0),
            Some(Node::If(_, a, b)) => self.least_level(kind, *a).min(self.least_level(kind, *b)),
            _ => 0,
        }
    }

    /// Tier `idx`'s verdict before its limit: prerequisites, conditions, vetoes, reasons not to
    /// rate and caps. What a higher tier's prerequisite reads.
    pub(super) fn tier_base(&mut self, kind: usize, idx: usize) -> Option<NodeId> {
        let t = self.states[kind].tiers_decl[idx];
        let key = base_key(&t.name.name);
        self.memoized(kind, &key, &t.name.name, t.name.span, |l| {
            l.tier_conditions(kind, idx).map(|n| (n, Type::Bool))
        })
        .map(|x| x.0)
    }

    /// A level moved by a number of levels (`上年星级 + 1`, `上年星级 - 1`), kept within the
    /// enumeration; `None` when the operands are not a level and a plain number.
    pub(super) fn shift(
        &mut self,
        kind: usize,
        op: ast::BinOp,
        (na, ta): (NodeId, Type),
        (nb, tb): (NodeId, Type),
    ) -> Option<(NodeId, Type)> {
        let (Type::Enum(e), Type::Num(d)) = (ta, tb) else {
            return None;
        };
        if !d.is_plain() || !matches!(op, ast::BinOp::Add | ast::BinOp::Sub) {
            return None;
        }
        let top = self
            .enums
            .get(e as usize)
            .map_or(0, |d| d.variants.len().saturating_sub(1)) as u32;
        let st = &mut self.states[kind];
        let by = match op {
            ast::BinOp::Sub => st.intern(Node::Neg(nb), tb),
            _ => nb,
        };
        Some((st.intern(Node::Shift(na, by, top), ta), ta))
    }

    /// Reports a level moved by a written number that is not whole (`上年星级 + 0.5`), which
    /// would leave every tier it caps unknown; `moved_by` is that operand.
    pub(super) fn check_whole_levels(&mut self, kind: usize, by: NodeId, moved_by: &ast::Expr) {
        let Some(Node::Const(Value::Num(x))) = self.states[kind].nodes.get(by as usize) else {
            return;
        };
        if !x.fract().is_zero() {
            let text = self.text(moved_by.span).trim().to_string();
            let problem = RatingProblem::FractionOfALevel(text);
            self.err(DiagnosticKind::BadRating(problem), moved_by.span);
        }
    }

    /// Whether `e` is a name of one of `kind`'s tiers (compared with a level, it is that level).
    pub(super) fn is_tier_name(&self, kind: usize, e: &ast::Expr) -> bool {
        matches!(&e.kind, ast::ExprKind::Name(id) if self.states[kind].tier_names.contains(&id.name))
    }
}
