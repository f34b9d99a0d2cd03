//! Lowering operators: the common type of two operands, arithmetic and its units, comparisons
//! and aggregates over contained units.

use super::Lowerer;
use crate::diagnostic::DiagnosticKind;
use crate::graph::*;
use crate::types::{Dim, Type};
use duibiao_syntax::ast::{self, AggOp, CmpOp, Expr, ExprKind, Span};

impl<'a> Lowerer<'a> {
    /// The common type of two operands that are compared or combined.
    pub(super) fn unify(&mut self, a: Type, b: Type, op: &str, span: Span) -> Option<Type> {
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

    pub(super) fn arith_type(
        &mut self,
        op: ast::BinOp,
        a: Type,
        b: Type,
        span: Span,
    ) -> Option<(Arith, Type)> {
        use ast::BinOp::*;
        let months = Type::Num(Dim::Months);
        let calendar = a == Type::Date && b == months || a == months && b == Type::Date;
        let arith = match op {
            Add if calendar => Arith::AddMonths,
            Sub if calendar => Arith::SubMonths,
            Add => Arith::Add,
            Sub => Arith::Sub,
            Mul => Arith::Mul,
            Div => Arith::Div,
        };
        let result = match (op, a, b) {
            (Sub, Type::Date, Type::Date) => Some(Type::Num(Dim::Days)),
            (Add | Sub, Type::Date, Type::Num(Dim::Months)) => Some(Type::Date),
            (Add, Type::Num(Dim::Months), Type::Date) => Some(Type::Date),
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
        if self.is_tier_name(kind, e) {
            return true;
        }
        match &e.kind {
            ExprKind::Name(id) => {
                !self.states[kind].symbols.contains_key(&id.name)
                    && !self.params.contains_key(&id.name)
            }
            _ => false,
        }
    }

    pub(super) fn compare(
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

    pub(super) fn aggregate(
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
            let Some(sub) = self.kinds_of(std::slice::from_ref(k)).pop() else {
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
            self.aggregating.push(kind);
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
            self.aggregating.pop();
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
