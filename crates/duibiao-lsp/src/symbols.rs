//! What a standard declares, read from its syntax tree: every named thing with the span of its
//! name (where the compiler's references point), its whole declaration, the kinds it belongs to,
//! its description and citation; nested as the file nests them, which is the document outline.

use crate::Lang;
use duibiao_syntax::ast::{
    self, Annotation, Citation, Decl, File, ShareBound, Span, Text, TypeExpr,
};
use lsp_types::SymbolKind;

/// What a declared thing is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    /// The `standard` header.
    Standard,
    /// A unit kind.
    Kind,
    /// A `facts` block.
    Facts,
    /// A fact (填报事项).
    Fact,
    /// A parameter.
    Param,
    /// A `derive` block.
    Derive,
    /// A derived value.
    Derived,
    /// A requirement group, the outermost one included.
    Group,
    /// A requirement.
    Requirement,
    /// A scorecard.
    Scorecard,
    /// A scorecard item.
    Item,
    /// A scored part of an item.
    Part,
    /// A `tiers` block.
    Tiers,
    /// A tier.
    Tier,
    /// A labelled condition of a tier.
    Condition,
    /// A veto.
    Veto,
    /// A target.
    Target,
    /// A quota table.
    Quota,
    /// A consequence.
    Consequence,
    /// A clause deliberately not encoded.
    Omit,
    /// A score computed by a formula.
    Score,
    /// A reason not to rate a unit.
    Unrated,
    /// A cap on the tier a unit may reach.
    Cap,
    /// A limit on how many units reach a tier.
    Limit,
    /// A floor on how many units end at a tier or below.
    Floor,
    /// A kind of dated record (积分记录), kept by the units of its owners.
    Records,
    /// A guide distribution: about what share of the units end at a tier.
    Guide,
}

impl What {
    /// The word for it, in `lang`.
    pub fn word(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            What::Standard => ("标准", "standard"),
            What::Kind => ("单位类型", "unit kind"),
            What::Facts => ("填报", "facts"),
            What::Fact => ("填报事项", "fact"),
            What::Param => ("参数", "parameter"),
            What::Derive => ("计算", "derived values"),
            What::Derived => ("计算值", "derived value"),
            What::Group => ("要求分组", "requirement group"),
            What::Requirement => ("要求", "requirement"),
            What::Scorecard => ("评分表", "scorecard"),
            What::Item => ("评分项目", "scorecard item"),
            What::Part => ("评分分项", "scored part"),
            What::Tiers => ("等级", "tiers"),
            What::Tier => ("等级", "tier"),
            What::Condition => ("等级条件", "tier condition"),
            What::Veto => ("否决事项", "veto"),
            What::Target => ("目标", "target"),
            What::Quota => ("指标表", "quota table"),
            What::Consequence => ("兑现", "consequence"),
            What::Omit => ("未编码条款", "clause not encoded"),
            What::Score => ("得分公式", "score formula"),
            What::Unrated => ("不定级", "not rated"),
            What::Cap => ("封顶", "cap"),
            What::Limit => ("限额", "limit"),
            What::Floor => ("比例下限", "floor"),
            What::Records => ("记录", "records"),
            What::Guide => ("指导比例", "guide"),
        };
        match lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// The protocol's kind of symbol for it.
    pub fn symbol_kind(self) -> SymbolKind {
        match self {
            What::Standard => SymbolKind::FILE,
            What::Kind | What::Records => SymbolKind::CLASS,
            What::Facts | What::Derive | What::Group => SymbolKind::NAMESPACE,
            What::Fact => SymbolKind::FIELD,
            What::Param => SymbolKind::CONSTANT,
            What::Derived => SymbolKind::PROPERTY,
            What::Requirement | What::Condition => SymbolKind::BOOLEAN,
            What::Scorecard => SymbolKind::STRUCT,
            What::Item | What::Part => SymbolKind::NUMBER,
            What::Tiers => SymbolKind::ENUM,
            What::Tier => SymbolKind::ENUM_MEMBER,
            What::Veto | What::Target => SymbolKind::EVENT,
            What::Quota => SymbolKind::ARRAY,
            What::Consequence => SymbolKind::FUNCTION,
            What::Omit => SymbolKind::STRING,
            What::Score => SymbolKind::OPERATOR,
            What::Unrated | What::Cap | What::Limit | What::Floor | What::Guide => {
                SymbolKind::EVENT
            }
        }
    }
}

/// One declared thing.
#[derive(Debug, Clone)]
pub struct Declared<'f> {
    /// What it is.
    pub what: What,
    /// Its name as the outline shows it (`标准型`, `6 发挥党委龙头作用`, `评分表 街道`).
    pub name: String,
    /// The span of its name: what references to it point at (for an item or part, its number).
    pub name_span: Span,
    /// The whole declaration.
    pub span: Span,
    /// The kinds it belongs to.
    pub kinds: Vec<&'f str>,
    /// Its written type, for facts, parameters, derived values and quota tables.
    pub ty: Option<&'f TypeExpr>,
    /// Points, for scorecards (total), items (max) and parts.
    pub points: Option<&'f ast::Quantity>,
    /// Its description.
    pub doc: Option<&'f Text>,
    /// Its own citation.
    pub cite: Option<&'f Citation>,
    /// What it is declared in (an index into the list), whose citation it falls back on.
    pub parent: Option<usize>,
    /// Whether it is a name other rules can use (facts, tiers …), rather than only a label or a
    /// block of the outline.
    pub named: bool,
}

/// Every declaration of `file`, parents before their children, in source order.
pub fn declarations(file: &File) -> Vec<Declared<'_>> {
    let mut out = Vec::new();
    let h = &file.header;
    let header = Declared {
        doc: h.title.as_ref(),
        ..base(What::Standard, h.slug.name.clone(), h.slug.span, h.span)
    };
    out.push(header);
    for d in &file.decls {
        decl(d, &mut out);
    }
    out
}

fn base<'f>(what: What, name: String, name_span: Span, span: Span) -> Declared<'f> {
    Declared {
        what,
        name,
        name_span,
        span,
        kinds: Vec::new(),
        ty: None,
        points: None,
        doc: None,
        cite: None,
        parent: None,
        named: false,
    }
}

fn names(ks: &[ast::Ident]) -> Vec<&str> {
    ks.iter().map(|k| k.name.as_str()).collect()
}

fn annotated<'f>(mut d: Declared<'f>, ann: &'f Annotation) -> Declared<'f> {
    d.doc = ann.doc.as_ref();
    d.cite = ann.cite.as_ref();
    d
}

fn named<'f>(what: What, id: &'f ast::Ident, span: Span, ann: &'f Annotation) -> Declared<'f> {
    let mut d = annotated(base(what, id.name.clone(), id.span, span), ann);
    d.named = true;
    d
}

/// A block's name in the outline: its keyword's word and its kinds (`评分表 街道`).
fn block_name(what: What, kinds: &[ast::Ident]) -> String {
    format!("{} {}", what.word(Lang::Zh), names(kinds).join("、"))
}

fn push<'f>(out: &mut Vec<Declared<'f>>, mut d: Declared<'f>, parent: Option<usize>) -> usize {
    d.parent = parent;
    if let Some(p) = parent {
        if d.kinds.is_empty() {
            d.kinds = out[p].kinds.clone();
        }
    }
    out.push(d);
    out.len() - 1
}

fn decl<'f>(d: &'f Decl, out: &mut Vec<Declared<'f>>) {
    match d {
        Decl::Kind(k) => {
            push(out, named(What::Kind, &k.name, k.span, &k.ann), None);
        }
        Decl::Facts(f) => {
            let mut block = base(
                What::Facts,
                block_name(What::Facts, &f.kinds),
                f.span,
                f.span,
            );
            block.kinds = names(&f.kinds);
            let p = push(out, block, None);
            for fact in &f.facts {
                let mut d = named(What::Fact, &fact.name, fact.span, &fact.ann);
                d.ty = Some(&fact.ty);
                push(out, d, Some(p));
            }
        }
        Decl::Param(p) => {
            let mut d = named(What::Param, &p.name, p.span, &p.ann);
            d.ty = p.ty.as_ref();
            push(out, d, None);
        }
        Decl::Derive(dd) => {
            let mut block = base(
                What::Derive,
                block_name(What::Derive, &dd.kinds),
                dd.span,
                dd.span,
            );
            block.kinds = names(&dd.kinds);
            let p = push(out, block, None);
            for v in &dd.values {
                let mut d = named(What::Derived, &v.name, v.span, &v.ann);
                d.ty = v.ty.as_ref();
                push(out, d, Some(p));
            }
        }
        Decl::Requirements(r) => {
            let mut g = named(What::Group, &r.group.name, r.group.span, &r.group.ann);
            g.kinds = names(&r.kinds);
            let p = push(out, g, None);
            members(&r.group.members, p, out);
        }
        Decl::Scorecard(s) => {
            // A named card's name is a name rules read (its points).
            let mut card = match &s.name {
                Some(n) => named(What::Scorecard, n, s.span, &s.ann),
                None => annotated(
                    base(
                        What::Scorecard,
                        block_name(What::Scorecard, &s.kinds),
                        s.span,
                        s.span,
                    ),
                    &s.ann,
                ),
            };
            card.kinds = names(&s.kinds);
            card.points = Some(&s.total);
            let p = push(out, card, None);
            for item in &s.items {
                let name = format!("{} {}", item.number.0, item.title.value);
                let mut d = annotated(base(What::Item, name, item.number.1, item.span), &item.ann);
                d.points = Some(&item.max);
                d.named = true;
                let i = push(out, d, Some(p));
                for part in &item.parts {
                    let name = format!("{}.{} {}", item.number.0, part.number.0, part.text.value);
                    let mut d = base(What::Part, name, part.number.1, part.span);
                    d.points = Some(&part.points);
                    d.cite = part.cite.as_ref();
                    d.named = true;
                    push(out, d, Some(i));
                }
            }
        }
        Decl::Tiers(t) => {
            let mut block = annotated(
                base(
                    What::Tiers,
                    block_name(What::Tiers, &t.kinds),
                    t.span,
                    t.span,
                ),
                &t.ann,
            );
            block.kinds = names(&t.kinds);
            let p = push(out, block, None);
            for tier in &t.tiers {
                let i = push(
                    out,
                    named(What::Tier, &tier.name, tier.span, &tier.ann),
                    Some(p),
                );
                for c in &tier.conditions {
                    if let Some(label) = &c.label {
                        let d = annotated(
                            base(What::Condition, label.name.clone(), label.span, c.span),
                            &c.ann,
                        );
                        push(out, d, Some(i));
                    }
                }
            }
        }
        Decl::Veto(v) => {
            let mut d = named(What::Veto, &v.name, v.span, &v.ann);
            d.kinds = names(&v.kinds);
            push(out, d, None);
        }
        Decl::Target(t) => {
            let mut d = named(What::Target, &t.name, t.span, &t.ann);
            if let ast::TargetScope::Kinds(ks) = &t.scope {
                d.kinds = names(ks);
            }
            push(out, d, None);
        }
        Decl::Quota(q) => {
            let mut d = named(What::Quota, &q.name, q.span, &q.ann);
            d.ty = Some(&q.ty);
            d.kinds = vec![q.kind.name.as_str()];
            push(out, d, None);
        }
        Decl::Consequence(c) => {
            let mut d = named(What::Consequence, &c.name, c.span, &c.ann);
            d.kinds = names(&c.kinds);
            push(out, d, None);
        }
        Decl::Omit(o) => {
            let mut d = base(What::Omit, o.clause.value.clone(), o.clause.span, o.span);
            d.doc = Some(&o.reason);
            push(out, d, None);
        }
        Decl::Score(sc) => {
            let name = block_name(What::Score, &sc.kinds);
            let mut d = annotated(base(What::Score, name, sc.span, sc.span), &sc.ann);
            d.kinds = names(&sc.kinds);
            push(out, d, None);
        }
        Decl::Unrated(u) => {
            let mut d = named(What::Unrated, &u.name, u.span, &u.ann);
            d.kinds = names(&u.kinds);
            push(out, d, None);
        }
        Decl::Cap(c) => {
            let mut d = named(What::Cap, &c.name, c.span, &c.ann);
            d.kinds = names(&c.kinds);
            push(out, d, None);
        }
        Decl::Limit(l) => {
            let what = match l.bound {
                ShareBound::AtMost => What::Limit,
                ShareBound::AtLeast => What::Floor,
            };
            let name = format!("{} {}", what.word(Lang::Zh), l.tier.name);
            let mut d = annotated(base(what, name, l.tier.span, l.span), &l.ann);
            d.kinds = names(&l.kinds);
            push(out, d, None);
        }
        Decl::Records(r) => {
            // Its fields belong to the kind of record, which its owners' aggregates name.
            let mut d = named(What::Records, &r.name, r.span, &r.ann);
            d.kinds = names(&r.owners);
            let p = push(out, d, None);
            for field in &r.fields {
                let mut f = named(What::Fact, &field.name, field.span, &field.ann);
                f.ty = Some(&field.ty);
                f.kinds = vec![r.name.name.as_str()];
                push(out, f, Some(p));
            }
        }
        Decl::Guide(g) => {
            let below = if g.or_below { " 及以下" } else { "" };
            let name = format!("{} {}{below}", What::Guide.word(Lang::Zh), g.tier.name);
            let mut d = annotated(base(What::Guide, name, g.tier.span, g.span), &g.ann);
            d.kinds = names(&g.kinds);
            push(out, d, None);
        }
    }
}

fn members<'f>(ms: &'f [ast::GroupMember], parent: usize, out: &mut Vec<Declared<'f>>) {
    for m in ms {
        match m {
            ast::GroupMember::Group(g) => {
                let p = push(
                    out,
                    named(What::Group, &g.name, g.span, &g.ann),
                    Some(parent),
                );
                members(&g.members, p, out);
            }
            ast::GroupMember::Requirement(r) => {
                push(
                    out,
                    named(What::Requirement, &r.name, r.span, &r.ann),
                    Some(parent),
                );
            }
        }
    }
}

/// The citation that applies to `ds[i]`: its own, else that of what it is declared in (a tier's
/// `tiers` block, an item's scorecard, a requirement's group).
pub fn citation<'f>(ds: &[Declared<'f>], i: usize) -> Option<&'f Citation> {
    let mut at = Some(i);
    while let Some(j) = at {
        if let Some(c) = ds[j].cite {
            return Some(c);
        }
        at = ds[j].parent;
    }
    None
}
