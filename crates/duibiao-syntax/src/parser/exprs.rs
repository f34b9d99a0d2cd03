//! The builder's expressions: operators, comparisons, references and aggregates, with the
//! and/or chains flattened and the number of terms bounded.

use super::literals::{cmp_op, ident, kind_list, scope};
use super::{kids, span, Builder, Kids, Rule, P};
use crate::ast::*;
use crate::error::SyntaxErrorKind;
use crate::prescan::MAX_TERMS;

impl Builder {
    // ------------------------------------------------------------ pieces

    pub(super) fn next_expr<'a>(&mut self, it: &mut Kids<'a>, sp: Span) -> Expr {
        match it.next() {
            Some(e) => self.expr(e),
            None => Expr {
                kind: ExprKind::Literal(Literal::Bool(false, sp)),
                span: sp,
            },
        }
    }

    fn expr(&mut self, p: P) -> Expr {
        let sp = span(&p);
        match p.as_rule() {
            Rule::expr => match kids(p).next() {
                Some(i) => self.expr(i),
                None => self.bad(sp),
            },
            Rule::or_expr | Rule::and_expr => {
                let is_or = p.as_rule() == Rule::or_expr;
                let operands: Vec<Expr> = kids(p)
                    .filter(|c| !matches!(c.as_rule(), Rule::kw_and | Rule::kw_or))
                    .map(|c| self.expr(c))
                    .collect();
                self.flatten(operands, is_or, sp)
            }
            Rule::not_expr => {
                let mut nots = 0usize;
                let mut inner = None;
                for c in kids(p) {
                    if c.as_rule() == Rule::kw_not {
                        nots += 1;
                    } else {
                        inner = Some(self.expr(c));
                    }
                }
                let e = inner.unwrap_or_else(|| self.bad(sp));
                // `not not x` is `x`, also under unknowns.
                if nots % 2 == 1 {
                    Expr {
                        kind: ExprKind::Not(Box::new(e)),
                        span: sp,
                    }
                } else {
                    e
                }
            }
            Rule::cmp_expr => {
                let mut it = kids(p);
                let lhs = match it.next() {
                    Some(l) => self.expr(l),
                    None => return self.bad(sp),
                };
                match (it.next(), it.next()) {
                    (Some(op), Some(rhs)) => {
                        let op = cmp_op(op.as_str());
                        let rhs = self.expr(rhs);
                        Expr {
                            kind: ExprKind::Compare(op, Box::new(lhs), Box::new(rhs)),
                            span: sp,
                        }
                    }
                    _ => lhs,
                }
            }
            Rule::sum_expr | Rule::prod_expr => {
                let mut it = kids(p);
                let mut acc = match it.next() {
                    Some(f) => self.expr(f),
                    None => return self.bad(sp),
                };
                let mut count = 1usize;
                while let (Some(op), Some(rhs)) = (it.next(), it.next()) {
                    count += 1;
                    if count > MAX_TERMS {
                        self.err(SyntaxErrorKind::TooLong { limit: MAX_TERMS }, sp);
                        return acc;
                    }
                    let op = match op.as_str() {
                        "+" => BinOp::Add,
                        "-" => BinOp::Sub,
                        "*" | "×" => BinOp::Mul,
                        _ => BinOp::Div,
                    };
                    let rhs = self.expr(rhs);
                    let s = Span::new(acc.span.start, rhs.span.end);
                    acc = Expr {
                        kind: ExprKind::Binary(op, Box::new(acc), Box::new(rhs)),
                        span: s,
                    };
                }
                acc
            }
            Rule::unary => {
                let mut negs = 0usize;
                let mut inner = None;
                for c in kids(p) {
                    if c.as_rule() == Rule::neg {
                        negs += 1;
                    } else {
                        inner = Some(self.expr(c));
                    }
                }
                let e = inner.unwrap_or_else(|| self.bad(sp));
                if negs % 2 == 1 {
                    Expr {
                        kind: ExprKind::Neg(Box::new(e)),
                        span: sp,
                    }
                } else {
                    e
                }
            }
            Rule::name => {
                let id = kids(p).next().map(ident).unwrap_or(Ident {
                    name: String::new(),
                    span: sp,
                });
                Expr {
                    kind: ExprKind::Name(id),
                    span: sp,
                }
            }
            Rule::literal => match self.literal(p) {
                Some(l) => Expr {
                    kind: ExprKind::Literal(l),
                    span: sp,
                },
                None => self.bad(sp),
            },
            Rule::score_ref => {
                let key = kids(p)
                    .find(|c| c.as_rule() == Rule::item_key)
                    .map(|k| (k.as_str().to_string(), span(&k)));
                Expr {
                    kind: ExprKind::Score(key),
                    span: sp,
                }
            }
            Rule::call => {
                let mut it = kids(p);
                // The name is an identifier, or `max`, `round` or `四舍五入` (also keywords).
                let f = it.next().map(ident).unwrap_or(Ident {
                    name: String::new(),
                    span: sp,
                });
                let args = it.map(|a| self.expr(a)).collect();
                Expr {
                    kind: ExprKind::Call(f, args),
                    span: sp,
                }
            }
            Rule::if_expr => {
                let mut parts: Vec<Expr> = kids(p)
                    .filter(|c| c.as_rule() == Rule::expr)
                    .map(|c| self.expr(c))
                    .collect();
                if parts.len() != 3 {
                    return self.bad(sp);
                }
                let e = parts.pop();
                let t = parts.pop();
                let c = parts.pop();
                match (c, t, e) {
                    (Some(c), Some(t), Some(e)) => Expr {
                        kind: ExprKind::If(Box::new(c), Box::new(t), Box::new(e)),
                        span: sp,
                    },
                    _ => self.bad(sp),
                }
            }
            Rule::aggregate => self.aggregate(p),
            Rule::as_of => Expr {
                kind: ExprKind::AsOf,
                span: sp,
            },
            Rule::rank => {
                let mut it = kids(p);
                it.next(); // rank
                let value = Box::new(self.next_expr(&mut it, sp));
                let ascending = it.next_if(|p| p.as_rule() == Rule::kw_ascending).is_some();
                it.next(); // among
                let scope = it.next().map(scope).unwrap_or(Scope::Siblings);
                let (pool, filter) = self.peer_parts(&mut it);
                it.next(); // ties
                let ties = match it.next().and_then(|t| kids(t).next()).map(|t| t.as_rule()) {
                    Some(Rule::kw_by_id) => Ties::ById,
                    _ => Ties::Shared,
                };
                Expr {
                    kind: ExprKind::Rank(Rank {
                        value,
                        ascending,
                        scope,
                        pool,
                        filter,
                        ties,
                    }),
                    span: sp,
                }
            }
            Rule::peers => {
                let mut it = kids(p);
                it.next(); // peers
                it.next(); // among
                let scope = it.next().map(scope).unwrap_or(Scope::Siblings);
                let (pool, filter) = self.peer_parts(&mut it);
                Expr {
                    kind: ExprKind::Peers(PeerCount {
                        scope,
                        pool,
                        filter,
                    }),
                    span: sp,
                }
            }
            _ => self.bad(sp),
        }
    }

    /// The kinds after `of` and the condition after `where` of a rank or a count of peers, when
    /// written.
    fn peer_parts(&mut self, it: &mut Kids<'_>) -> (Vec<Ident>, Option<Box<Expr>>) {
        let pool = match it.next_if(|p| p.as_rule() == Rule::pool) {
            Some(p) => kids(p).nth(1).map(kind_list).unwrap_or_default(),
            None => Vec::new(),
        };
        let filter = it
            .next_if(|p| p.as_rule() == Rule::peer_filter)
            .and_then(|p| kids(p).find(|k| k.as_rule() == Rule::expr))
            .map(|e| Box::new(self.expr(e)));
        (pool, filter)
    }

    fn aggregate(&mut self, p: P) -> Expr {
        let sp = span(&p);
        let mut it = kids(p);
        let op = match it.next().and_then(|o| kids(o).next()).map(|k| k.as_rule()) {
            Some(Rule::kw_all) => AggOp::All,
            Some(Rule::kw_any) => AggOp::Any,
            Some(Rule::kw_count) => AggOp::Count,
            Some(Rule::kw_share) => AggOp::Share,
            _ => AggOp::Sum,
        };
        let direct = it.next_if(|p| p.as_rule() == Rule::kw_direct).is_some();
        let kinds = it.next().map(kind_list).unwrap_or_default();
        let mut agg = Aggregate {
            op,
            direct,
            kinds,
            at: None,
            filter: None,
            of: None,
            if_none: None,
        };
        while let Some(k) = it.next() {
            match k.as_rule() {
                Rule::kw_at => agg.at = it.next().map(ident),
                Rule::kw_where => agg.filter = it.next().map(|e| Box::new(self.expr(e))),
                Rule::kw_of => agg.of = it.next().map(|e| Box::new(self.expr(e))),
                Rule::kw_if_none => agg.if_none = it.next().and_then(|l| self.literal(l)),
                _ => {}
            }
        }
        Expr {
            kind: ExprKind::Aggregate(agg),
            span: sp,
        }
    }

    fn flatten(&mut self, mut operands: Vec<Expr>, is_or: bool, sp: Span) -> Expr {
        if operands.len() == 1 {
            if let Some(e) = operands.pop() {
                return e;
            }
        }
        Expr {
            kind: if is_or {
                ExprKind::Or(operands)
            } else {
                ExprKind::And(operands)
            },
            span: sp,
        }
    }

    /// A placeholder after an error already reported (the grammar guarantees the shape, so this
    /// is only reached on malformed trees).
    fn bad(&mut self, sp: Span) -> Expr {
        Expr {
            kind: ExprKind::Literal(Literal::Bool(false, sp)),
            span: sp,
        }
    }
}
