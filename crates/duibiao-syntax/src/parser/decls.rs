//! The builder's declarations: the file, its header and every kind of declaration, each read
//! from its pair into the typed tree.

use super::literals::{citation, ident, kind_list, next_ident, text, type_expr};
use super::{kids, span, Builder, Kids, Rule, P};
use crate::ast::*;
use crate::error::SyntaxErrorKind;

impl Builder {
    pub(super) fn file(&mut self, p: P) -> File {
        let mut header = None;
        let mut decls = Vec::new();
        for c in kids(p) {
            match c.as_rule() {
                Rule::header => header = Some(self.header(c)),
                Rule::EOI => {}
                _ => decls.push(self.decl(c)),
            }
        }
        File {
            header: header.unwrap_or(Header {
                slug: Ident {
                    name: String::new(),
                    span: Span::default(),
                },
                title: None,
                issuer: None,
                number: None,
                source: None,
                effective: None,
                span: Span::default(),
            }),
            decls,
        }
    }

    fn header(&mut self, p: P) -> Header {
        let sp = span(&p);
        let mut it = kids(p);
        it.next(); // keyword
        let slug = it.next().map(ident).unwrap_or(Ident {
            name: String::new(),
            span: sp,
        });
        let mut h = Header {
            slug,
            title: None,
            issuer: None,
            number: None,
            source: None,
            effective: None,
            span: sp,
        };
        for f in it {
            let Some(f) = kids(f).next() else {
                continue;
            };
            let rule = f.as_rule();
            let mut inner = kids(f).skip(1);
            match rule {
                Rule::effective_field => {
                    let from = inner.next().and_then(|d| self.date(d));
                    let to = inner.next().and_then(|d| self.date(d));
                    if let (Some(a), Some(b)) = (from, to) {
                        if h.effective.is_some() {
                            let span = Span::new(a.span.start, b.span.end);
                            self.err(SyntaxErrorKind::DuplicateField("effective".into()), span);
                        }
                        h.effective = Some((a, b));
                    }
                }
                _ => {
                    let t = inner.next().map(text);
                    let (slot, field) = match rule {
                        Rule::title_field => (&mut h.title, "title"),
                        Rule::issuer_field => (&mut h.issuer, "issuer"),
                        Rule::number_field => (&mut h.number, "number"),
                        _ => (&mut h.source, "source"),
                    };
                    if slot.is_some() {
                        let span = t.as_ref().map_or(sp, |x| x.span);
                        self.err(SyntaxErrorKind::DuplicateField(field.into()), span);
                    }
                    *slot = t;
                }
            }
        }
        h
    }

    fn decl(&mut self, p: P) -> Decl {
        match p.as_rule() {
            Rule::kind_decl => Decl::Kind(self.kind_decl(p)),
            Rule::facts_decl => Decl::Facts(self.facts_decl(p)),
            Rule::param_decl => Decl::Param(self.param_decl(p)),
            Rule::derive_decl => Decl::Derive(self.derive_decl(p)),
            Rule::requirements_decl => Decl::Requirements(self.requirements_decl(p)),
            Rule::scorecard_decl => Decl::Scorecard(self.scorecard_decl(p)),
            Rule::tiers_decl => Decl::Tiers(self.tiers_decl(p)),
            Rule::target_decl => Decl::Target(self.target_decl(p)),
            Rule::quota_decl => Decl::Quota(self.quota_decl(p)),
            Rule::consequence_decl => Decl::Consequence(self.consequence_decl(p)),
            Rule::score_decl => Decl::Score(self.score_decl(p)),
            Rule::unrated_decl => Decl::Unrated(self.unrated_decl(p)),
            Rule::cap_decl => Decl::Cap(self.cap_decl(p)),
            Rule::limit_decl | Rule::floor_decl => Decl::Limit(self.limit_decl(p)),
            Rule::records_decl => Decl::Records(self.records_decl(p)),
            Rule::guide_decl => Decl::Guide(self.guide_decl(p)),
            Rule::omit_decl => {
                let sp = span(&p);
                let mut it = kids(p);
                it.next();
                let clause = it.next().map(text).unwrap_or(Text {
                    value: String::new(),
                    span: sp,
                });
                it.next();
                let reason = it.next().map(text).unwrap_or(Text {
                    value: String::new(),
                    span: sp,
                });
                Decl::Omit(OmitDecl {
                    clause,
                    reason,
                    span: sp,
                })
            }
            _ => Decl::Veto(self.veto_decl(p)),
        }
    }

    /// Reads the optional trailing `doc` and `citation` of a rule.
    pub(super) fn annotation<'a>(&mut self, it: &mut Kids<'a>) -> Annotation {
        let mut ann = Annotation::default();
        if let Some(p) = it.next_if(|p| p.as_rule() == Rule::doc) {
            ann.doc = kids(p).next().map(text);
        }
        if let Some(p) = it.next_if(|p| p.as_rule() == Rule::citation) {
            ann.cite = Some(citation(p));
        }
        ann
    }

    fn kind_decl(&mut self, p: P) -> KindDecl {
        let sp = span(&p);
        let mut it = kids(p);
        it.next(); // kind
        let name = next_ident(&mut it, sp);
        let mut contains = Vec::new();
        if it.next_if(|p| p.as_rule() == Rule::kw_contains).is_some() {
            if let Some(l) = it.next() {
                contains = kind_list(l);
            }
        }
        let ann = self.annotation(&mut it);
        KindDecl {
            name,
            contains,
            ann,
            span: sp,
        }
    }

    fn facts_decl(&mut self, p: P) -> FactsDecl {
        let sp = span(&p);
        let mut it = kids(p);
        it.next();
        let kinds = it.next().map(kind_list).unwrap_or_default();
        let facts = it.map(|f| self.fact_decl(f)).collect();
        FactsDecl {
            kinds,
            facts,
            span: sp,
        }
    }

    /// One fact of a `facts` block or a field of a `records` declaration: `名称: 类型 "…"`.
    pub(super) fn fact_decl(&mut self, f: P) -> FactDecl {
        let fsp = span(&f);
        let mut fi = kids(f);
        let name = next_ident(&mut fi, fsp);
        let ty = fi
            .next()
            .map(type_expr)
            .unwrap_or(TypeExpr::Simple(SimpleType::Bool, fsp));
        let ann = self.annotation(&mut fi);
        FactDecl {
            name,
            ty,
            ann,
            span: fsp,
        }
    }

    fn param_decl(&mut self, p: P) -> ParamDecl {
        let sp = span(&p);
        let mut it = kids(p);
        it.next();
        let name = next_ident(&mut it, sp);
        let ty = it
            .next_if(|p| p.as_rule() == Rule::type_expr)
            .map(type_expr);
        let value = match it.next_if(|p| matches!(p.as_rule(), Rule::literal | Rule::dated_values))
        {
            Some(v) if v.as_rule() == Rule::literal => self.literal(v).map(ParamValue::Fixed),
            Some(v) => Some(ParamValue::Dated(
                kids(v)
                    .filter_map(|dv| {
                        let mut d = kids(dv);
                        let from = d.next().and_then(|x| self.date(x))?;
                        let to = d.next().and_then(|x| self.date(x))?;
                        let value = d.next().and_then(|x| self.literal(x))?;
                        Some((from, to, value))
                    })
                    .collect(),
            )),
            None => None,
        };
        let ann = self.annotation(&mut it);
        ParamDecl {
            name,
            ty,
            value,
            ann,
            span: sp,
        }
    }

    fn derive_decl(&mut self, p: P) -> DeriveDecl {
        let sp = span(&p);
        let mut it = kids(p);
        it.next();
        let kinds = it.next().map(kind_list).unwrap_or_default();
        let values = it
            .map(|d| {
                let dsp = span(&d);
                let mut di = kids(d);
                let name = next_ident(&mut di, dsp);
                let ty = di
                    .next_if(|p| p.as_rule() == Rule::type_expr)
                    .map(type_expr);
                let expr = self.next_expr(&mut di, dsp);
                let ann = self.annotation(&mut di);
                DerivedDecl {
                    name,
                    ty,
                    expr,
                    ann,
                    span: dsp,
                }
            })
            .collect();
        DeriveDecl {
            kinds,
            values,
            span: sp,
        }
    }

    fn requirements_decl(&mut self, p: P) -> RequirementsDecl {
        let sp = span(&p);
        let mut it = kids(p);
        it.next();
        let kinds = it.next().map(kind_list).unwrap_or_default();
        let group = self.group_body(&mut it, sp);
        RequirementsDecl { kinds, group }
    }

    fn group_body<'a>(&mut self, it: &mut Kids<'a>, sp: Span) -> Group {
        let name = next_ident(it, sp);
        let ann = self.annotation(it);
        let mut members = Vec::new();
        for m in it {
            let msp = span(&m);
            match m.as_rule() {
                Rule::group => {
                    let mut gi = kids(m);
                    gi.next(); // group keyword
                    members.push(GroupMember::Group(self.group_body(&mut gi, msp)));
                }
                _ => {
                    let mut ri = kids(m);
                    let name = next_ident(&mut ri, msp);
                    let expr = self.next_expr(&mut ri, msp);
                    let when = if ri.next_if(|p| p.as_rule() == Rule::kw_when).is_some() {
                        Some(self.next_expr(&mut ri, msp))
                    } else {
                        None
                    };
                    let ann = self.annotation(&mut ri);
                    members.push(GroupMember::Requirement(Box::new(RequirementDecl {
                        name,
                        expr,
                        when,
                        ann,
                        span: msp,
                    })));
                }
            }
        }
        Group {
            name,
            ann,
            members,
            span: sp,
        }
    }

    fn scorecard_decl(&mut self, p: P) -> ScorecardDecl {
        let sp = span(&p);
        let mut it = kids(p);
        it.next();
        let kinds = it.next().map(kind_list).unwrap_or_default();
        let name = it.next_if(|p| p.as_rule() == Rule::ident).map(ident);
        it.next(); // total
        let total = self.next_quantity(&mut it, sp);
        let ann = self.annotation(&mut it);
        let items = it.map(|i| self.item(i)).collect();
        ScorecardDecl {
            kinds,
            name,
            total,
            ann,
            items,
            span: sp,
        }
    }

    fn item(&mut self, p: P) -> ItemDecl {
        let sp = span(&p);
        let mut it = kids(p);
        it.next(); // item
        let number = self.next_int(&mut it, sp);
        let title = it.next().map(text).unwrap_or(Text {
            value: String::new(),
            span: sp,
        });
        it.next(); // max
        let max = self.next_quantity(&mut it, sp);
        let ann = self.annotation(&mut it);
        let parts = it
            .map(|pp| {
                let psp = span(&pp);
                let mut pi = kids(pp);
                pi.next(); // part
                let number = self.next_int(&mut pi, psp);
                let text = pi.next().map(text).unwrap_or(Text {
                    value: String::new(),
                    span: psp,
                });
                let points = self.next_quantity(&mut pi, psp);
                let cite = pi.next().map(citation);
                PartDecl {
                    number,
                    text,
                    points,
                    cite,
                    span: psp,
                }
            })
            .collect();
        ItemDecl {
            number,
            title,
            max,
            ann,
            parts,
            span: sp,
        }
    }

    fn tiers_decl(&mut self, p: P) -> TiersDecl {
        let sp = span(&p);
        let mut it = kids(p);
        it.next();
        let kinds = it.next().map(kind_list).unwrap_or_default();
        let ann = self.annotation(&mut it);
        let tiers = it
            .map(|t| {
                let tsp = span(&t);
                let mut ti = kids(t);
                let name = next_ident(&mut ti, tsp);
                let mut requires = Vec::new();
                if ti.next_if(|p| p.as_rule() == Rule::kw_requires).is_some() {
                    requires = ti.next().map(kind_list).unwrap_or_default();
                }
                let ann = self.annotation(&mut ti);
                let conditions = ti.map(|c| self.condition(c)).collect();
                TierDecl {
                    name,
                    requires,
                    ann,
                    conditions,
                    span: tsp,
                }
            })
            .collect();
        TiersDecl {
            kinds,
            ann,
            tiers,
            span: sp,
        }
    }

    fn condition(&mut self, p: P) -> ConditionDecl {
        let sp = span(&p);
        let mut it = kids(p);
        let label = it.next_if(|p| p.as_rule() == Rule::ident).map(ident);
        let expr = self.next_expr(&mut it, sp);
        let ann = self.annotation(&mut it);
        ConditionDecl {
            label,
            expr,
            ann,
            span: sp,
        }
    }

    fn veto_decl(&mut self, p: P) -> VetoDecl {
        let sp = span(&p);
        let mut it = kids(p);
        it.next();
        let kinds = it.next().map(kind_list).unwrap_or_default();
        let name = next_ident(&mut it, sp);
        let expr = self.next_expr(&mut it, sp);
        it.next(); // blocks
        let blocks = it.next().map(kind_list).unwrap_or_default();
        let ann = self.annotation(&mut it);
        VetoDecl {
            kinds,
            name,
            expr,
            blocks,
            ann,
            span: sp,
        }
    }

    fn target_decl(&mut self, p: P) -> TargetDecl {
        let sp = span(&p);
        let mut it = kids(p);
        it.next(); // target
        let name = next_ident(&mut it, sp);
        let scope = if it.next_if(|p| p.as_rule() == Rule::kw_overall).is_some() {
            TargetScope::Overall
        } else {
            it.next(); // on
            TargetScope::Kinds(it.next().map(kind_list).unwrap_or_default())
        };
        it.next(); // due
        let due = if it.next_if(|p| p.as_rule() == Rule::kw_quota).is_some() {
            Due::Quota(next_ident(&mut it, sp))
        } else {
            match it.next().and_then(|d| self.date(d)) {
                Some(d) => Due::Date(d),
                None => Due::Quota(Ident {
                    name: String::new(),
                    span: sp,
                }),
            }
        };
        let soft = it.next_if(|p| p.as_rule() == Rule::kw_soft).is_some();
        let expr = self.next_expr(&mut it, sp);
        let ann = self.annotation(&mut it);
        TargetDecl {
            name,
            scope,
            due,
            soft,
            expr,
            ann,
            span: sp,
        }
    }

    fn quota_decl(&mut self, p: P) -> QuotaDecl {
        let sp = span(&p);
        let mut it = kids(p);
        it.next(); // quota
        let name = next_ident(&mut it, sp);
        let ty = it
            .next()
            .map(type_expr)
            .unwrap_or(TypeExpr::Simple(SimpleType::Int, sp));
        it.next(); // on
        let kind = next_ident(&mut it, sp);
        let ann = self.annotation(&mut it);
        it.next(); // columns
        let mut columns = Vec::new();
        while let Some(d) = it.next_if(|p| p.as_rule() == Rule::date) {
            if let Some(d) = self.date(d) {
                columns.push(d);
            }
        }
        let rows = it
            .map(|r| {
                let rsp = span(&r);
                let mut ri = kids(r);
                let unit = match ri.next() {
                    Some(u) if u.as_rule() == Rule::string => {
                        let t = text(u);
                        Ident {
                            name: t.value,
                            span: t.span,
                        }
                    }
                    Some(u) => ident(u),
                    None => Ident {
                        name: String::new(),
                        span: rsp,
                    },
                };
                let values = ri.filter_map(|l| self.literal(l)).collect();
                QuotaRow {
                    unit,
                    values,
                    span: rsp,
                }
            })
            .collect();
        QuotaDecl {
            name,
            ty,
            kind,
            ann,
            columns,
            rows,
            span: sp,
        }
    }

    fn consequence_decl(&mut self, p: P) -> ConsequenceDecl {
        let sp = span(&p);
        let mut it = kids(p);
        it.next(); // consequence
        let name = next_ident(&mut it, sp);
        it.next(); // on
        let kinds = it.next().map(kind_list).unwrap_or_default();
        it.next(); // when
        let when = self.next_expr(&mut it, sp);
        it.next(); // amount
        let amount = self.next_expr(&mut it, sp);
        let mut split = Vec::new();
        if it.next_if(|p| p.as_rule() == Rule::kw_split).is_some() {
            while let Some(sh) = it.next_if(|p| p.as_rule() == Rule::share) {
                let ssp = span(&sh);
                let mut si = kids(sh);
                let who = next_ident(&mut si, ssp);
                let q = self.next_quantity(&mut si, ssp);
                split.push((who, q));
            }
        }
        let ann = self.annotation(&mut it);
        ConsequenceDecl {
            name,
            kinds,
            when,
            amount,
            split,
            ann,
            span: sp,
        }
    }
}
