//! Loading a facts file (JSON) against a compiled standard. Every problem is collected, each
//! naming the unit id, the key and what was expected; a bad value is treated as missing and the
//! rest of the file is still loaded. Nothing here panics on any input.

use crate::tree::{Unit, UnitTree};
use duibiao_compiler::graph::{Graph, InputOrigin, KindId};
use duibiao_compiler::{Dim, Type, Value};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::HashMap;

/// What is wrong with a facts file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FactsErrorKind {
    /// Not JSON.
    #[error("not valid JSON at line {line}, column {column}: {message}")]
    Json {
        /// What the JSON parser found wrong (in English).
        message: String,
        /// Whether the text ended too early.
        eof: bool,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// A part of the file has the wrong shape.
    #[error("expected {expected}")]
    Shape {
        /// What was expected.
        expected: String,
    },
    /// The file is for another standard.
    #[error("the facts are for standard `{found}`, not `{expected}`")]
    WrongStandard {
        /// The standard's slug.
        expected: String,
        /// The slug in the file.
        found: String,
    },
    /// An id used twice.
    #[error("unit id `{0}` is used twice; the second unit is ignored")]
    DuplicateId(String),
    /// A kind the standard does not declare.
    #[error("unknown kind `{found}`; the standard's kinds are {known}")]
    UnknownKind {
        /// The kind written.
        found: String,
        /// The declared kinds.
        known: String,
    },
    /// A parent id that no unit has.
    #[error("parent `{0}` does not exist; the unit is evaluated on its own")]
    MissingParent(String),
    /// Parent links that form a loop.
    #[error("parent links form a loop: {0}; the unit is evaluated on its own")]
    ParentCycle(String),
    /// A parent whose kind cannot contain the unit's kind.
    #[error("a `{parent_kind}` cannot contain a `{kind}`; the unit is evaluated on its own")]
    NotContainable {
        /// The parent's kind.
        parent_kind: String,
        /// The unit's kind.
        kind: String,
    },
    /// A fact the unit's kind does not report.
    #[error("`{kind}` has no fact `{key}`")]
    UnknownFact {
        /// The kind.
        kind: String,
        /// The key.
        key: String,
    },
    /// A score key not on the unit's scorecard.
    #[error("{}", if known.is_empty() { format!("`{kind}` has no scorecard, so no score `{key}`") } else { format!("`{kind}` has no scored part `{key}`; its keys are {known}") })]
    UnknownScore {
        /// The kind.
        kind: String,
        /// The key.
        key: String,
        /// The scorecard's keys.
        known: String,
    },
    /// A value of the wrong type.
    #[error("expected {expected}, found `{found}`")]
    WrongType {
        /// What was expected.
        expected: String,
        /// What was found.
        found: String,
    },
    /// Points outside `0..=max`.
    #[error("{found} points is outside the allowed range 0..={max}")]
    PointsOutOfRange {
        /// The points given.
        found: String,
        /// The most allowed.
        max: String,
    },
    /// A parameter the standard does not declare.
    #[error("unknown parameter `{0}`")]
    UnknownParam(String),
    /// A unit id that no unit of the facts has.
    #[error("no unit `{0}` in the facts")]
    UnknownUnit(String),
    /// A field the format does not have (often a misspelling, such as `score` for `scores`).
    #[error("unknown field `{found}`; expected one of {expected}")]
    UnknownField {
        /// The field written.
        found: String,
        /// The fields allowed here.
        expected: String,
    },
}

impl FactsErrorKind {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        use FactsErrorKind::*;
        match self {
            Json { .. } => "F0001",
            Shape { .. } => "F0002",
            WrongStandard { .. } => "F0003",
            DuplicateId(_) => "F0004",
            UnknownKind { .. } => "F0005",
            MissingParent(_) => "F0006",
            ParentCycle(_) => "F0007",
            NotContainable { .. } => "F0008",
            UnknownFact { .. } => "F0009",
            UnknownScore { .. } => "F0010",
            WrongType { .. } => "F0011",
            PointsOutOfRange { .. } => "F0012",
            UnknownParam(_) => "F0013",
            UnknownField { .. } => "F0014",
            UnknownUnit(_) => "F0015",
        }
    }

    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        use FactsErrorKind::*;
        match self {
            Json {
                eof, line, column, ..
            } => {
                if *eof {
                    format!("不是有效的 JSON：第 {line} 行第 {column} 列处文件意外结束（括号或引号没有闭合）")
                } else {
                    format!("不是有效的 JSON：第 {line} 行第 {column} 列有语法错误")
                }
            }
            Shape { expected } => format!("应为{}", spaced(&shape_zh(expected))),
            WrongStandard { expected, found } => {
                format!("数据属于标准 `{found}`，而不是 `{expected}`")
            }
            DuplicateId(id) => format!("单位编号 `{id}` 重复，后一个单位被忽略"),
            UnknownKind { found, known } => {
                format!("未知单位类型 `{found}`，标准中的类型为 {known}")
            }
            MissingParent(p) => format!("上级单位 `{p}` 不存在，该单位单独评价"),
            ParentCycle(c) => format!("上级关系形成循环：{c}，该单位单独评价"),
            NotContainable { parent_kind, kind } => {
                format!("`{parent_kind}` 不能包含 `{kind}`，该单位单独评价")
            }
            UnknownFact { kind, key } => format!("`{kind}` 没有填报项 `{key}`"),
            UnknownScore { kind, key, known } if known.is_empty() => {
                format!("`{kind}` 没有评分表，不能填报得分 `{key}`")
            }
            UnknownScore { kind, key, known } => {
                format!("`{kind}` 的评分表中没有 `{key}`，可用的为 {known}")
            }
            WrongType { expected, found } => {
                format!("应为{}，实际为 `{found}`", spaced(&shape_zh(expected)))
            }
            PointsOutOfRange { found, max } => format!("得分 {found} 超出允许范围 0..={max}"),
            UnknownParam(p) => format!("未知参数 `{p}`"),
            UnknownUnit(u) => format!("数据中没有单位 `{u}`"),
            UnknownField { found, expected } => {
                format!("未知字段 `{found}`，应为 {expected} 之一")
            }
        }
    }
}

/// A space before text that starts with Latin or code, none before Chinese.
fn spaced(s: &str) -> String {
    if s.starts_with(|c: char| c.is_ascii()) {
        format!(" {s}")
    } else {
        s.to_string()
    }
}

fn shape_zh(s: &str) -> String {
    let w = match s {
        "a JSON object" => "JSON 对象",
        "a list of units" => "单位列表",
        "a string" => "字符串",
        "a string or null" => "字符串或 null",
        "an object" => "对象",
        "a date such as `2021-12-31`" => "日期，例如 `2021-12-31`",
        "true or false" => "`true` 或 `false`",
        "a whole number" => "整数",
        "a whole number, 0 or more" => "非负整数",
        "a number" => "数",
        "a percentage such as `85%` or 85" => "百分比，例如 `85%` 或 85",
        "money in 元 such as 150000 or `15万元`" => "金额（元），例如 150000 或 `15万元`",
        "an area in m² such as 350 or `350平方米`" => "面积（平方米），例如 350 或 `350平方米`",
        "hours such as 56 or `56学时`" => "学时，例如 56 或 `56学时`",
        "points such as 8.5" => "分值，例如 8.5",
        "days such as 30" => "天数，例如 30",
        "a date such as `2021-06-30`" => "日期，例如 `2021-06-30`",
        other => {
            if let Some(rest) = other.strip_prefix("one of ") {
                return format!("以下之一：{rest}");
            }
            other
        }
    };
    w.to_string()
}

/// One problem in a facts file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactsError {
    /// The stable code.
    pub code: &'static str,
    /// The unit's id, when the problem is in a unit.
    pub unit: Option<String>,
    /// The key (fact name, score key, or field), when there is one.
    pub key: Option<String>,
    /// What is wrong.
    pub kind: FactsErrorKind,
}

impl FactsError {
    pub(crate) fn new(unit: Option<&str>, key: Option<&str>, kind: FactsErrorKind) -> Self {
        FactsError {
            code: kind.code(),
            unit: unit.map(str::to_string),
            key: key.map(str::to_string),
            kind,
        }
    }

    /// The message in English, prefixed with the unit and key.
    pub fn message_en(&self) -> String {
        let prefix = match (&self.unit, &self.key) {
            (Some(u), Some(k)) => format!("unit `{u}`, `{k}`: "),
            (Some(u), None) => format!("unit `{u}`: "),
            (None, Some(k)) => format!("`{k}`: "),
            (None, None) => String::new(),
        };
        format!("{prefix}{}", self.kind)
    }

    /// The message in Chinese, prefixed with the unit and key.
    pub fn message_zh(&self) -> String {
        let prefix = match (&self.unit, &self.key) {
            (Some(u), Some(k)) => format!("单位 `{u}` 的 `{k}`："),
            (Some(u), None) => format!("单位 `{u}`："),
            (None, Some(k)) => format!("`{k}`："),
            (None, None) => String::new(),
        };
        format!("{prefix}{}", self.kind.message_zh())
    }
}

/// A loaded facts file: the forest, the evaluation date and parameter values it gives.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The units.
    pub tree: UnitTree,
    /// `as_of`, the evaluation date.
    pub as_of: Option<chrono::NaiveDate>,
    /// Parameter values supplied by the file, by parameter index.
    pub params: Vec<(usize, Value)>,
}

/// Parses a value of type `ty` from JSON. `Ok(None)` for `null` (missing).
pub fn parse_value(
    graph: &Graph,
    ty: Type,
    v: &serde_json::Value,
) -> Result<Option<Value>, FactsErrorKind> {
    if v.is_null() {
        return Ok(None);
    }
    // Strings keep their quotes, so that `"20"` is not mistaken for the number 20.
    let shown = v.to_string();
    let wrong = |expected: &str| FactsErrorKind::WrongType {
        expected: expected.to_string(),
        found: shown.clone(),
    };
    match ty {
        Type::Bool => match v {
            serde_json::Value::Bool(b) => Ok(Some(Value::Bool(*b))),
            _ => Err(wrong("true or false")),
        },
        Type::Date => match v
            .as_str()
            .and_then(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        {
            Some(d) => Ok(Some(Value::Date(d))),
            None => Err(wrong("a date such as `2021-06-30`")),
        },
        Type::Enum(e) => {
            let variants = graph.levels(e);
            match v
                .as_str()
                .and_then(|s| variants.iter().position(|x| x == s))
            {
                Some(i) => Ok(Some(Value::Enum(i as u32))),
                None => Err(wrong(&format!("one of {}", variants.join(", ")))),
            }
        }
        Type::Num(dim) => {
            let expected = match dim {
                Dim::Count => "a whole number",
                Dim::Bare | Dim::Number => "a number",
                Dim::Percent => "a percentage such as `85%` or 85",
                Dim::Money => "money in 元 such as 150000 or `15万元`",
                Dim::Area => "an area in m² such as 350 or `350平方米`",
                Dim::Hours => "hours such as 56 or `56学时`",
                Dim::Points => "points such as 8.5",
                Dim::Days => "days such as 30",
            };
            let n = match v {
                serde_json::Value::Number(n) => {
                    // Exactly as written: a number with more digits than a decimal holds is an
                    // error, never silently rounded.
                    let d = Decimal::from_str_exact(&n.to_string()).map_err(|_| wrong(expected))?;
                    if dim == Dim::Percent {
                        d / Decimal::ONE_HUNDRED
                    } else {
                        d
                    }
                }
                serde_json::Value::String(s) if dim != Dim::Points => {
                    let q = duibiao_syntax::parse_quantity(s).ok_or_else(|| wrong(expected))?;
                    let (value, t) = duibiao_compiler::literal_quantity(&q);
                    let fits = match t {
                        Type::Num(d) => {
                            d == Dim::Bare || d == dim || (d == Dim::Count && dim.is_plain())
                        }
                        _ => false,
                    };
                    match value {
                        Value::Num(n) if fits => {
                            if dim == Dim::Percent && t == Type::Num(Dim::Bare) {
                                n / Decimal::ONE_HUNDRED
                            } else {
                                n
                            }
                        }
                        _ => return Err(wrong(expected)),
                    }
                }
                _ => return Err(wrong(expected)),
            };
            if dim == Dim::Count && (!n.fract().is_zero() || n.is_sign_negative()) {
                return Err(wrong("a whole number, 0 or more"));
            }
            Ok(Some(Value::Num(n.normalize())))
        }
    }
}

/// The value of one input from JSON: its type checked, and points within `0..=max`.
/// `Ok(None)` for `null` (not reported).
pub fn input_value(
    graph: &Graph,
    input: &duibiao_compiler::graph::Input,
    v: &serde_json::Value,
) -> Result<Option<Value>, FactsErrorKind> {
    let val = parse_value(graph, input.ty, v)?;
    if let (InputOrigin::Points { max }, Some(Value::Num(n))) = (&input.origin, val) {
        if n < Decimal::ZERO || n > *max {
            return Err(FactsErrorKind::PointsOutOfRange {
                found: n.to_string(),
                max: max.to_string(),
            });
        }
    }
    Ok(val)
}

/// Loads a facts file. Always returns what could be loaded, with every problem found.
///
/// The file is read as a stream: each unit is parsed, checked and stored before the next one is
/// read, so that the whole file is never held as a JSON tree.
pub fn load(graph: &Graph, text: &str) -> (Facts, Vec<FactsError>) {
    // Editors on Windows often save a byte-order mark; it is not part of the JSON.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut loader = Loader::new(graph);
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed =
        serde::de::DeserializeSeed::deserialize(&mut loader, &mut de).and_then(|()| de.end());
    if let Err(e) = parsed {
        if e.classify() == serde_json::error::Category::Data && !loader.started_units {
            loader.top.push(FactsError::new(
                None,
                None,
                FactsErrorKind::Shape {
                    expected: "a JSON object".into(),
                },
            ));
        } else if e.classify() == serde_json::error::Category::Data {
            loader.top.push(shape(None, "units", "a list of units"));
        } else {
            let full = e.to_string();
            let message = match full.rfind(" at line ") {
                Some(i) => full[..i].to_string(),
                None => full,
            };
            let error = FactsError::new(
                None,
                None,
                FactsErrorKind::Json {
                    message,
                    eof: e.is_eof(),
                    line: e.line(),
                    column: e.column().max(1),
                },
            );
            return (Facts::default(), vec![error]);
        }
    }
    loader.finish()
}

fn shape(unit: Option<&str>, key: &str, expected: &str) -> FactsError {
    FactsError::new(
        unit,
        Some(key),
        FactsErrorKind::Shape {
            expected: expected.into(),
        },
    )
}

/// Loads facts already parsed as JSON (errors found so far in `errors` come first).
pub fn load_value(
    graph: &Graph,
    root: &serde_json::Value,
    errors: &mut Vec<FactsError>,
) -> (Facts, Vec<FactsError>) {
    let mut loader = Loader::new(graph);
    loader.top = std::mem::take(errors);
    match root.as_object() {
        None => loader.top.push(FactsError::new(
            None,
            None,
            FactsErrorKind::Shape {
                expected: "a JSON object".into(),
            },
        )),
        Some(obj) => {
            for (key, v) in obj {
                match (key.as_str(), v.as_array()) {
                    ("units", Some(list)) => {
                        loader.started_units = true;
                        list.iter().for_each(|u| loader.unit(u));
                    }
                    ("units", None) => {
                        loader.started_units = true;
                        loader.top.push(shape(None, "units", "a list of units"));
                    }
                    _ => loader.field(key, v),
                }
            }
        }
    }
    loader.finish()
}

/// Builds the forest from a facts file's fields and units, as they come.
struct Loader<'g> {
    graph: &'g Graph,
    /// Problems with the file's own fields.
    top: Vec<FactsError>,
    /// Problems with units.
    in_units: Vec<FactsError>,
    facts: Facts,
    units: Vec<Unit>,
    parents: Vec<Option<String>>,
    index: HashMap<String, usize>,
    known_kinds: String,
    started_units: bool,
    /// Units read so far, rejected ones included (for positions in messages).
    seen: usize,
    /// Per kind, the input slot of each key.
    lookups: Vec<HashMap<&'g str, usize>>,
}

impl<'g> Loader<'g> {
    fn new(graph: &'g Graph) -> Self {
        Loader {
            graph,
            top: Vec::new(),
            in_units: Vec::new(),
            facts: Facts::default(),
            units: Vec::new(),
            parents: Vec::new(),
            index: HashMap::new(),
            known_kinds: graph
                .kinds
                .iter()
                .map(|k| format!("`{}`", k.name))
                .collect::<Vec<_>>()
                .join(", "),
            started_units: false,
            seen: 0,
            lookups: graph
                .kinds
                .iter()
                .map(|k| {
                    k.inputs
                        .iter()
                        .enumerate()
                        .map(|(i, inp)| (inp.key.as_str(), i))
                        .collect()
                })
                .collect(),
        }
    }

    /// A field of the file other than `units`.
    fn field(&mut self, key: &str, v: &serde_json::Value) {
        let graph = self.graph;
        let errors = &mut self.top;
        match key {
            "standard" => match v {
                serde_json::Value::Null => {}
                serde_json::Value::String(s) if *s == graph.info.slug => {}
                serde_json::Value::String(s) => errors.push(FactsError::new(
                    None,
                    Some("standard"),
                    FactsErrorKind::WrongStandard {
                        expected: graph.info.slug.clone(),
                        found: s.clone(),
                    },
                )),
                _ => errors.push(shape(None, "standard", "a string")),
            },
            "as_of" => match v {
                serde_json::Value::Null => {}
                v => match v
                    .as_str()
                    .and_then(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
                {
                    Some(d) => self.facts.as_of = Some(d),
                    None => errors.push(shape(None, "as_of", "a date such as `2021-12-31`")),
                },
            },
            "params" => match v {
                serde_json::Value::Null => {}
                serde_json::Value::Object(ps) => {
                    for (name, v) in ps {
                        match graph.params.iter().position(|p| p.name == *name) {
                            None => errors.push(FactsError::new(
                                None,
                                Some(name),
                                FactsErrorKind::UnknownParam(name.clone()),
                            )),
                            Some(i) => match parse_value(graph, graph.params[i].ty, v) {
                                Ok(Some(val)) => self.facts.params.push((i, val)),
                                Ok(None) => {}
                                Err(k) => errors.push(FactsError::new(None, Some(name), k)),
                            },
                        }
                    }
                }
                _ => errors.push(shape(None, "params", "an object")),
            },
            other => {
                let expected = ["standard", "as_of", "params", "units"]
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                errors.push(FactsError::new(
                    None,
                    Some(other),
                    FactsErrorKind::UnknownField {
                        found: other.to_string(),
                        expected,
                    },
                ));
            }
        }
    }

    /// One unit of `units`.
    fn unit(&mut self, u: &serde_json::Value) {
        let (graph, errors) = (self.graph, &mut self.in_units);
        let pos = self.seen;
        self.seen += 1;
        let Some(uo) = u.as_object() else {
            errors.push(shape(None, &format!("units[{pos}]"), "a JSON object"));
            return;
        };
        let Some(id) = uo.get("id").and_then(|v| v.as_str()) else {
            errors.push(shape(None, &format!("units[{pos}].id"), "a string"));
            return;
        };
        let uid = Some(id);
        unknown_fields(
            uo,
            &["id", "name", "kind", "parent", "scores", "facts"],
            uid,
            errors,
        );
        if self.index.contains_key(id) {
            errors.push(FactsError::new(
                uid,
                Some("id"),
                FactsErrorKind::DuplicateId(id.into()),
            ));
            return;
        }
        let Some(kind_name) = uo.get("kind").and_then(|v| v.as_str()) else {
            errors.push(shape(uid, "kind", "a string"));
            return;
        };
        let Some(kind) = graph.kinds.iter().position(|k| k.name == kind_name) else {
            errors.push(FactsError::new(
                uid,
                Some("kind"),
                FactsErrorKind::UnknownKind {
                    found: kind_name.into(),
                    known: self.known_kinds.clone(),
                },
            ));
            return;
        };
        let name = match uo.get("name") {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(_) => {
                errors.push(shape(uid, "name", "a string"));
                None
            }
        };
        let parent = match uo.get("parent") {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(_) => {
                errors.push(shape(uid, "parent", "a string or null"));
                None
            }
        };
        let inputs = read_inputs(graph, kind as KindId, &self.lookups[kind], id, uo, errors);
        self.index.insert(id.to_string(), self.units.len());
        self.units.push(Unit {
            id: id.to_string(),
            name,
            kind: kind as KindId,
            parent: None,
            children: Vec::new(),
            inputs,
        });
        self.parents.push(parent);
    }

    /// Links parents and returns the forest with every problem: the file's own first.
    fn finish(mut self) -> (Facts, Vec<FactsError>) {
        if !self.started_units {
            self.top.push(shape(None, "units", "a list of units"));
        }
        let mut errors = self.top;
        errors.append(&mut self.in_units);
        link_parents(
            self.graph,
            &mut self.units,
            &self.parents,
            &self.index,
            &mut errors,
        );
        self.facts.tree = UnitTree::new(self.units);
        (self.facts, errors)
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for &mut Loader<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for &mut Loader<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a facts file: a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "units" {
                self.started_units = true;
                map.next_value_seed(Units(&mut *self))?;
            } else {
                let v: serde_json::Value = map.next_value()?;
                self.field(&key, &v);
            }
        }
        Ok(())
    }
}

/// The `units` list, read one unit at a time.
struct Units<'l, 'g>(&'l mut Loader<'g>);

impl<'de> serde::de::DeserializeSeed<'de> for Units<'_, '_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Units<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of units")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(u) = seq.next_element::<serde_json::Value>()? {
            self.0.unit(&u);
        }
        Ok(())
    }
}

/// Reports fields of `obj` not in `allowed`.
fn unknown_fields(
    obj: &serde_json::Map<String, serde_json::Value>,
    allowed: &[&str],
    unit: Option<&str>,
    errors: &mut Vec<FactsError>,
) {
    for k in obj.keys() {
        if !allowed.contains(&k.as_str()) {
            let expected = allowed
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", ");
            errors.push(FactsError::new(
                unit,
                Some(k),
                FactsErrorKind::UnknownField {
                    found: k.clone(),
                    expected,
                },
            ));
        }
    }
}

fn read_inputs(
    graph: &Graph,
    kind: KindId,
    lookup: &HashMap<&str, usize>,
    id: &str,
    uo: &serde_json::Map<String, serde_json::Value>,
    errors: &mut Vec<FactsError>,
) -> Vec<Value> {
    let kg = &graph.kinds[kind as usize];
    let mut inputs = vec![Value::Unknown; kg.inputs.len()];
    for (field, is_scores) in [("facts", false), ("scores", true)] {
        match uo.get(field) {
            None | Some(serde_json::Value::Null) => {}
            Some(serde_json::Value::Object(m)) => {
                for (key, v) in m {
                    let slot = lookup.get(key.as_str()).copied().filter(|&s| {
                        matches!(kg.inputs[s].origin, InputOrigin::Points { .. }) == is_scores
                    });
                    let Some(slot) = slot else {
                        let kind = if is_scores {
                            let known = kg
                                .inputs
                                .iter()
                                .filter(|i| matches!(i.origin, InputOrigin::Points { .. }))
                                .map(|i| i.key.as_str())
                                .collect::<Vec<_>>()
                                .join(", ");
                            FactsErrorKind::UnknownScore {
                                kind: kg.name.clone(),
                                key: key.clone(),
                                known,
                            }
                        } else {
                            FactsErrorKind::UnknownFact {
                                kind: kg.name.clone(),
                                key: key.clone(),
                            }
                        };
                        errors.push(FactsError::new(Some(id), Some(key), kind));
                        continue;
                    };
                    match input_value(graph, &kg.inputs[slot], v) {
                        Ok(Some(val)) => inputs[slot] = val,
                        Ok(None) => {}
                        Err(k) => errors.push(FactsError::new(Some(id), Some(key), k)),
                    }
                }
            }
            Some(_) => errors.push(shape(Some(id), field, "an object")),
        }
    }
    inputs
}

/// Resolves parent ids; a missing parent, a loop or a parent of a kind that cannot contain the
/// unit is reported, and the unit is evaluated as a root.
fn link_parents(
    graph: &Graph,
    units: &mut [Unit],
    parents: &[Option<String>],
    index: &HashMap<String, usize>,
    errors: &mut Vec<FactsError>,
) {
    // 1. Resolve parent ids.
    let mut links: Vec<Option<usize>> = vec![None; units.len()];
    for i in 0..units.len() {
        let Some(pid) = &parents[i] else { continue };
        match index.get(pid) {
            Some(&p) => links[i] = Some(p),
            None => errors.push(FactsError::new(
                Some(&units[i].id),
                Some("parent"),
                FactsErrorKind::MissingParent(pid.clone()),
            )),
        }
    }
    // 2. Loops: follow parent links; every unit on a loop is reported and evaluated on its own.
    let n = units.len();
    let mut state = vec![0u8; n]; // 0 unseen, 1 on the current walk, 2 finished
    for start in 0..n {
        let mut walk = Vec::new();
        let mut cur = Some(start);
        while let Some(c) = cur {
            match state[c] {
                0 => {
                    state[c] = 1;
                    walk.push(c);
                    cur = links[c];
                }
                1 => {
                    let from = walk.iter().position(|&w| w == c).unwrap_or(0);
                    let cycle: Vec<usize> = walk[from..].to_vec();
                    let names = cycle
                        .iter()
                        .chain(std::iter::once(&c))
                        .map(|&u| units[u].id.as_str())
                        .collect::<Vec<_>>()
                        .join(" → ");
                    for &u in &cycle {
                        errors.push(FactsError::new(
                            Some(&units[u].id),
                            Some("parent"),
                            FactsErrorKind::ParentCycle(names.clone()),
                        ));
                        links[u] = None;
                    }
                    break;
                }
                _ => break,
            }
        }
        for w in walk {
            state[w] = 2;
        }
    }
    // 3. Containment: a parent's kind must contain the unit's kind.
    for i in 0..n {
        let Some(p) = links[i] else { continue };
        let pk = units[p].kind as usize;
        if graph.kinds[pk].children.contains(&units[i].kind) {
            units[i].parent = Some(p);
        } else {
            errors.push(FactsError::new(
                Some(&units[i].id),
                Some("parent"),
                FactsErrorKind::NotContainable {
                    parent_kind: graph.kinds[pk].name.clone(),
                    kind: graph.kinds[units[i].kind as usize].name.clone(),
                },
            ));
        }
    }
}
