//! The builder's smallest pieces: integers, quantities, dates and literals, and the names,
//! texts, citations, scopes and types that declarations and expressions are made of.

use super::{kids, span, Builder, Kids, Rule, P};
use crate::ast::*;
use crate::error::SyntaxErrorKind;
use rust_decimal::Decimal;

impl Builder {
    pub(super) fn next_int<'a>(&mut self, it: &mut Kids<'a>, sp: Span) -> (u32, Span) {
        match it.next() {
            Some(p) => {
                let s = span(&p);
                match p.as_str().parse::<u32>() {
                    Ok(n) => (n, s),
                    Err(_) => {
                        self.err(SyntaxErrorKind::InvalidNumber(p.as_str().into()), s);
                        (0, s)
                    }
                }
            }
            None => (0, sp),
        }
    }

    pub(super) fn next_quantity<'a>(&mut self, it: &mut Kids<'a>, sp: Span) -> Quantity {
        it.next().map(|q| self.quantity(q)).unwrap_or(Quantity {
            number: Decimal::ZERO,
            unit: UnitSuffix::None,
            span: sp,
        })
    }

    pub(super) fn quantity(&mut self, p: P) -> Quantity {
        let sp = span(&p);
        let raw = p.as_str().trim().to_string();
        let mut it = kids(p);
        let num = it.next();
        let number = match num.as_ref().map(|n| Decimal::from_str_exact(n.as_str())) {
            Some(Ok(d)) => d,
            _ => {
                self.err(SyntaxErrorKind::InvalidNumber(raw), sp);
                Decimal::ZERO
            }
        };
        let unit = match it.next().map(|u| u.as_str().to_string()).as_deref() {
            None => UnitSuffix::None,
            Some("%" | "％") => UnitSuffix::Percent,
            Some("平方米" | "m²" | "m2" | "㎡") => UnitSuffix::SquareMetre,
            Some("万元") => UnitSuffix::WanYuan,
            Some("元") => UnitSuffix::Yuan,
            Some("学时" | "小时") => UnitSuffix::Hours,
            Some("分") => UnitSuffix::Points,
            Some("天") => UnitSuffix::Days,
            Some("年") => UnitSuffix::Years,
            Some("个月") => UnitSuffix::Months,
            Some(_) => UnitSuffix::Count,
        };
        Quantity {
            number,
            unit,
            span: sp,
        }
    }

    pub(super) fn date(&mut self, p: P) -> Option<DateLit> {
        let sp = span(&p);
        match chrono::NaiveDate::parse_from_str(p.as_str(), "%Y-%m-%d") {
            Ok(date) => Some(DateLit { date, span: sp }),
            Err(_) => {
                self.err(SyntaxErrorKind::InvalidDate(p.as_str().into()), sp);
                None
            }
        }
    }

    pub(super) fn literal(&mut self, p: P) -> Option<Literal> {
        let sp = span(&p);
        let inner = kids(p).next()?;
        Some(match inner.as_rule() {
            Rule::kw_true => Literal::Bool(true, sp),
            Rule::kw_false => Literal::Bool(false, sp),
            Rule::date => Literal::Date(self.date(inner)?),
            _ => Literal::Quantity(self.quantity(inner)),
        })
    }
}

pub(super) fn ident(p: P) -> Ident {
    Ident {
        name: p.as_str().to_string(),
        span: span(&p),
    }
}

pub(super) fn next_ident<'a>(it: &mut Kids<'a>, sp: Span) -> Ident {
    it.next().map(ident).unwrap_or(Ident {
        name: String::new(),
        span: sp,
    })
}

pub(super) fn scope(p: P) -> Scope {
    match kids(p).next() {
        Some(s) if s.as_rule() == Rule::kw_all => Scope::All,
        Some(s) if s.as_rule() == Rule::ident => Scope::Within(ident(s)),
        _ => Scope::Siblings,
    }
}

pub(super) fn kind_list(p: P) -> Vec<Ident> {
    kids(p).map(ident).collect()
}

pub(super) fn text(p: P) -> Text {
    let sp = span(&p);
    // `string` wraps one of the two quoted forms; strip one quote character on each side.
    let raw = p.as_str();
    let mut chars = raw.chars();
    chars.next();
    chars.next_back();
    Text {
        value: chars.as_str().to_string(),
        span: sp,
    }
}

pub(super) fn citation(p: P) -> Citation {
    let sp = span(&p);
    let mut it = kids(p);
    it.next(); // cite
    let clause = it.next().map(text).unwrap_or(Text {
        value: String::new(),
        span: sp,
    });
    it.next(); // text keyword
    let t = it.next().map(text);
    Citation { clause, text: t }
}

pub(super) fn type_expr(p: P) -> TypeExpr {
    let sp = span(&p);
    let Some(inner) = kids(p).next() else {
        return TypeExpr::Simple(SimpleType::Bool, sp);
    };
    match inner.as_rule() {
        Rule::enum_type => TypeExpr::Enum(kids(inner).map(ident).collect(), sp),
        _ => TypeExpr::Simple(
            match inner.as_str() {
                "bool" | "是否" => SimpleType::Bool,
                "int" | "整数" => SimpleType::Int,
                "decimal" | "小数" => SimpleType::Decimal,
                "percent" | "百分比" => SimpleType::Percent,
                "money" | "金额" => SimpleType::Money,
                "area" | "面积" => SimpleType::Area,
                "hours" | "学时数" => SimpleType::Hours,
                "points" | "分值" => SimpleType::Points,
                "days" | "天数" => SimpleType::Days,
                "tier" | "等级" => SimpleType::Tier,
                "text" | "文本" => SimpleType::Text,
                _ => SimpleType::Date,
            },
            sp,
        ),
    }
}

pub(super) fn cmp_op(s: &str) -> CmpOp {
    match s {
        ">=" | "≥" | "不少于" | "不低于" | "不小于" | "至少" => CmpOp::Ge,
        "<=" | "≤" | "不超过" | "不高于" | "不大于" | "至多" => CmpOp::Le,
        ">" | "超过" | "高于" | "大于" | "多于" => CmpOp::Gt,
        "<" | "低于" | "少于" | "小于" | "不满" => CmpOp::Lt,
        "!=" | "≠" | "不等于" => CmpOp::Ne,
        _ => CmpOp::Eq,
    }
}
