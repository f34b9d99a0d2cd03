//! What a facts file holds for a standard, as a form lays it out: per kind of unit, the scored
//! parts and facts a unit reports (their keys, types, maximum points, titles and clauses); per
//! kind of record, its owners and fields; and the parameters. Spreadsheets (`duibiao-xlsx`) and
//! other front ends build their columns, headers and checks from it, without reading the
//! compiled graph.

use crate::standard::Standard;
use duibiao_compiler::graph::{Graph, InputOrigin, KindGraph, ParamValue, Source};
use duibiao_compiler::{Dim, Type};
use rust_decimal::Decimal;

/// The layout of a standard's facts: what [`Standard::form`] returns.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Form {
    /// The standard's slug (the facts file's `standard`).
    pub slug: String,
    /// The standard's title.
    pub title: Option<String>,
    /// The kinds of unit, in declaration order.
    pub kinds: Vec<FormKind>,
    /// The kinds of record (`records`, language reference §31), in declaration order.
    pub records: Vec<FormRecord>,
    /// Every parameter, in declaration order (a facts file may give any of them).
    pub params: Vec<FormParam>,
}

/// One kind of unit in a [`Form`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FormKind {
    /// Its name (`社区`).
    pub name: String,
    /// The kinds that directly contain it (what a unit's `parent` may be).
    pub parents: Vec<String>,
    /// What a unit of the kind reports: its scored parts in scorecard order, then its facts and
    /// text facts in declaration order.
    pub fields: Vec<FormField>,
    /// The kinds of record its units keep.
    pub records: Vec<String>,
}

/// One kind of record in a [`Form`]: given as a list on its owner.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FormRecord {
    /// Its name (`积分记录`), the key of the list on the owner.
    pub name: String,
    /// The kinds whose units keep it.
    pub owners: Vec<String>,
    /// The fields of one record.
    pub fields: Vec<FormField>,
}

/// A parameter in a [`Form`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FormParam {
    /// What it is, with its name as the key.
    pub field: FormField,
    /// Whether the standard leaves it open (the facts or the caller must give it).
    pub open: bool,
}

/// One value a unit, a record or the parameters give.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FormField {
    /// The key in a facts file: a fact's name, or a scored part's number (`6.1`, `14`).
    pub key: String,
    /// Where it goes in a unit: `scores` or `facts`.
    pub place: Place,
    /// Its type.
    pub ty: FieldType,
    /// For a scored part, the most points it may be given.
    pub max: Option<Decimal>,
    /// For a scored part, its item's title (`党组织建设`).
    pub item: Option<String>,
    /// The description: a scored part's clause text, a fact's or parameter's documentation.
    pub text: Option<String>,
    /// The clause cited (`附件2 第6项`), when there is one.
    pub clause: Option<String>,
}

impl FormField {
    /// A field with only its key, place and type (no points, titles or clause): a value read
    /// beside a form's own (a facts file's `as_of`, say).
    pub fn new(key: impl Into<String>, place: Place, ty: FieldType) -> FormField {
        FormField {
            key: key.into(),
            place,
            ty,
            max: None,
            item: None,
            text: None,
            clause: None,
        }
    }
}

/// Where a unit's value goes in the facts file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Place {
    /// In `scores`: points awarded for a scored part.
    Score,
    /// In `facts`: a reported fact (or a record's field, or a parameter).
    Fact,
}

/// The type of a value, as a facts file writes it (`docs/facts-format.md` §6).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FieldType {
    /// `true` or `false`.
    Bool,
    /// A number in a unit of measure.
    Number(Measure),
    /// A calendar date, `2024-06-30`.
    Date,
    /// One of these levels (an `enum`, or a tier with `无` first), lowest first.
    Levels(Vec<String>),
    /// A text, for display only.
    Text,
}

/// The unit of measure of a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Measure {
    /// A whole count (`int`).
    Count,
    /// A plain number (`decimal`).
    Number,
    /// A percentage, written in percentage points (`85` or `85%`).
    Percent,
    /// Money in 元.
    Money,
    /// Area in m².
    Area,
    /// Study hours.
    Hours,
    /// Scorecard points.
    Points,
    /// Days.
    Days,
    /// Calendar months.
    Months,
}

impl Standard {
    /// The layout of this standard's facts, for forms and spreadsheets.
    pub fn form(&self) -> Form {
        let graph = self.graph();
        let name_of = |k: u32| graph.kinds.get(k as usize).map(|g| g.name.clone());
        let mut kinds = Vec::new();
        let mut records = Vec::new();
        for (k, kg) in (0u32..).zip(&graph.kinds) {
            let fields = fields(graph, kg);
            match &kg.record {
                Some(r) => records.push(FormRecord {
                    name: kg.name.clone(),
                    owners: r.owners.iter().filter_map(|&o| name_of(o)).collect(),
                    fields,
                }),
                None => kinds.push(FormKind {
                    name: kg.name.clone(),
                    parents: graph
                        .kinds
                        .iter()
                        .filter(|p| p.children.contains(&k))
                        .map(|p| p.name.clone())
                        .collect(),
                    fields,
                    records: graph.records_of(k).map(|(_, r)| r.name.clone()).collect(),
                }),
            }
        }
        let params = graph
            .params
            .iter()
            .map(|p| FormParam {
                field: field(&p.name, Place::Fact, field_type(graph, p.ty), &p.source),
                open: matches!(p.value, ParamValue::Required),
            })
            .collect();
        Form {
            slug: graph.info.slug.clone(),
            title: graph.info.title.clone(),
            kinds,
            records,
            params,
        }
    }
}

/// The fields of a kind: its scored parts in scorecard order (with their items' titles), then
/// its facts and texts.
fn fields(graph: &Graph, kg: &KindGraph) -> Vec<FormField> {
    let mut out = Vec::new();
    for item in kg.scorecard.iter().flat_map(|c| &c.items) {
        for part in &item.parts {
            let points = FieldType::Number(Measure::Points);
            let mut f = field(&part.key, Place::Score, points, &part.source);
            f.max = Some(part.points);
            f.item = Some(item.title.clone());
            f.text = Some(part.text.clone()).filter(|t| !t.is_empty()).or(f.text);
            f.clause = f.clause.or_else(|| clause(&item.source));
            out.push(f);
        }
    }
    for input in &kg.inputs {
        match input.origin {
            InputOrigin::Fact => {
                let ty = field_type(graph, input.ty);
                out.push(field(&input.key, Place::Fact, ty, &input.source));
            }
            // Scored parts are listed from the scorecard, with their items.
            InputOrigin::Points { .. } => {}
        }
    }
    for t in &kg.texts {
        out.push(field(&t.key, Place::Fact, FieldType::Text, &t.source));
    }
    out
}

fn field(key: &str, place: Place, ty: FieldType, source: &Source) -> FormField {
    FormField {
        text: source.doc.clone(),
        clause: clause(source),
        ..FormField::new(key, place, ty)
    }
}

fn clause(source: &Source) -> Option<String> {
    source.cite.as_ref().map(|c| c.clause.clone())
}

fn field_type(graph: &Graph, ty: Type) -> FieldType {
    match ty {
        Type::Bool => FieldType::Bool,
        Type::Date => FieldType::Date,
        Type::Enum(e) => FieldType::Levels(graph.levels(e).to_vec()),
        Type::Num(d) => FieldType::Number(match d {
            Dim::Count => Measure::Count,
            Dim::Bare | Dim::Number => Measure::Number,
            Dim::Percent => Measure::Percent,
            Dim::Money => Measure::Money,
            Dim::Area => Measure::Area,
            Dim::Hours => Measure::Hours,
            Dim::Points => Measure::Points,
            Dim::Days => Measure::Days,
            Dim::Months => Measure::Months,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = r#"
standard demo { title "示例" }
kind 社区 contains 小区
kind 小区
facts 小区 {
  一票否决: bool "发生否决事项" cite "第3条"
  面积: area
  星级: enum(一星, 二星)
}
scorecard 小区 total 10 {
  item 1 "组织建设" max 10 cite "附件 第1项" {
    part 1 "班子健全" 6
    part 2 "制度完善" 4
  }
}
tiers 小区 { 标准型 { score >= 6 } }
records 小区 积分记录 "积分记录" {
  日期: date
  事由: text
}
param 数量要求: int "不少于X个"
param 上限: int = 3
"#;

    #[test]
    fn the_form_has_every_kind_field_record_and_parameter() {
        let form = Standard::compile("demo.std", SOURCE).unwrap().form();
        assert_eq!(form.slug, "demo");
        assert_eq!(form.title.as_deref(), Some("示例"));
        let names: Vec<&str> = form.kinds.iter().map(|k| k.name.as_str()).collect();
        assert_eq!(names, ["社区", "小区"]);
        let xq = &form.kinds[1];
        assert_eq!(xq.parents, ["社区"]);
        assert_eq!(xq.records, ["积分记录"]);
        let keys: Vec<&str> = xq.fields.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(keys, ["1.1", "1.2", "一票否决", "面积", "星级"]);
        let part = &xq.fields[0];
        assert_eq!(part.place, Place::Score);
        assert_eq!(part.max, Some(Decimal::from(6)));
        assert_eq!(part.item.as_deref(), Some("组织建设"));
        assert_eq!(part.text.as_deref(), Some("班子健全"));
        assert_eq!(part.clause.as_deref(), Some("附件 第1项"));
        let veto = &xq.fields[2];
        assert_eq!((veto.place, &veto.ty), (Place::Fact, &FieldType::Bool));
        assert_eq!(veto.clause.as_deref(), Some("第3条"));
        assert_eq!(xq.fields[3].ty, FieldType::Number(Measure::Area));
        assert_eq!(
            xq.fields[4].ty,
            FieldType::Levels(vec!["一星".into(), "二星".into()])
        );
        let r = &form.records[0];
        assert_eq!(
            (r.name.as_str(), r.owners.as_slice()),
            ("积分记录", &["小区".to_string()][..])
        );
        let fields: Vec<(&str, &FieldType)> =
            r.fields.iter().map(|f| (f.key.as_str(), &f.ty)).collect();
        assert_eq!(
            fields,
            [("日期", &FieldType::Date), ("事由", &FieldType::Text)]
        );
        let params: Vec<(&str, bool)> = form
            .params
            .iter()
            .map(|p| (p.field.key.as_str(), p.open))
            .collect();
        assert_eq!(params, [("数量要求", true), ("上限", false)]);
    }
}
