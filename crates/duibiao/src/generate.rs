//! Synthetic forests of units for any compiled standard: reproducible facts files of any size, for
//! load tests, benchmarks and property tests.
//!
//! [`write_forest`] streams a facts file unit by unit (parents before their children), so sizes in
//! the millions never hold more than one unit in memory; [`forest`] returns the same file as a
//! JSON value, for small sizes. The output depends only on the standard, the number of units, the
//! seed and the [`Shape`]: the same on every machine and every run. It is also prefix-stable: the
//! first `n` units of a larger forest are the forest of `n` units.
//!
//! How a forest is drawn:
//!
//! - **Shape.** Roots are the kinds no other kind contains, taken in turn. Each unit has, for each
//!   kind it contains, a number of children drawn from that kind's range ([`Shape::fanout`], or
//!   the default: 社区 and 村 8–15, 小区 3–8; a kind that is the first a single kind contains
//!   5–10; any other 0–3). Units are written depth first until exactly the number asked for; the
//!   last tree is cut short there.
//! - **Quality.** Every unit has a hidden quality, close to its parent's, so that strong streets
//!   have strong communities (as in real assessments, where the tier of a street depends on all
//!   its sub-units). A tree's quality is drawn in 0.66–1.00, skewed high; each level below
//!   strays by at most ±0.03 from its parent's, and each unit's own quality by at most ±0.07 from
//!   that (a root's own quality is halfway between its tree's and a fresh draw, so a street with
//!   strong communities may itself score 80 or 95).
//! - **Scores.** Each scored part gets points in halves within `0..=max`: the unit's quality plus
//!   noise (±0.15) times the part's points, so unit scores mostly fall between 70 and 98 (median
//!   about 87), around the usual 75 / 90 thresholds.
//! - **Facts.** Bools hold with a probability near the quality (mostly true); bools a rule negates
//!   (`not 发生违纪案件`) mostly false; bools that only decide whether a rule applies (`when`,
//!   `if`) true three times in ten; veto facts (named …否决…, or read by a veto) true at
//!   [`Shape::veto`] percent. A number compared with a constant or parameter in the standard
//!   (`户数 >= 社区规模下限`), or with something computed from other facts (`中心面积 >=
//!   每百户中心面积 * 户数 / 100`, estimated from their typical values), is drawn around it, on
//!   the passing side with a probability near the quality; other numbers around typical values
//!   for their unit (counts 1–12, areas 60–800 m², money 2万–30万元, hours 16–80, days 1–120,
//!   percentages 60–100%, points 0–100 with the quality). Dates fall within the effective period
//!   up to `as_of` (a unit's later dates within 180 days of its first); levels of an
//!   enumeration are uniform.
//! - **Missing values.** Each tree (a root and its descendants) is either completely reported
//!   (two in three) or misses each value with probability three times [`Shape::missing`]
//!   percent, so the overall share of missing values is `missing` percent while complete trees
//!   can still reach the tiers that need all their sub-units known. Missing values are left out
//!   of the file.
//! - **Parameters and date.** Every parameter the standard leaves open is supplied in `params`
//!   with a plausible value (counts 3, money 10万元, percentages 80% …). `as_of` is
//!   [`Shape::as_of`] if given, else the end of the effective period, else the latest date the
//!   standard names (due dates, dated parameters, quota columns), else today.

use chrono::{Datelike, NaiveDate};
use duibiao_compiler::graph::{Arith, Func};
use duibiao_compiler::graph::{Graph, InputOrigin, KindId, Node, ParamValue};
use duibiao_compiler::Dim;
use duibiao_compiler::{Type, Value};
use duibiao_syntax::ast::CmpOp;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;

/// How a forest is shaped: children per parent, missing values, vetoes, evaluation date.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// Children per parent, by the child kind's name: the least and the most (both included).
    /// Kinds not listed take the default (see the module documentation).
    pub fanout: BTreeMap<String, (u32, u32)>,
    /// Percentage of values (scores and facts) left out, `0..=100`.
    pub missing: f64,
    /// Percentage of veto facts set true, `0..=100`.
    pub veto: f64,
    /// The facts file's `as_of`; `None` derives it from the standard.
    pub as_of: Option<NaiveDate>,
}

impl Default for Shape {
    fn default() -> Self {
        Shape {
            fanout: BTreeMap::new(),
            missing: 2.0,
            veto: 3.0,
            as_of: None,
        }
    }
}

/// Why a shape does not fit a standard, or could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ShapeError {
    /// Not of the form `KIND=MIN-MAX`.
    #[error("expected `KIND=MIN-MAX` (e.g. `社区=3-8`), found `{0}`")]
    Syntax(String),
    /// A range whose least is above its most.
    #[error("`{0}`: the least number of children is above the most")]
    Reversed(String),
    /// A kind the standard does not declare.
    #[error("unknown kind `{kind}`; the standard's kinds are {known}")]
    UnknownKind {
        /// The name given.
        kind: String,
        /// The standard's kinds.
        known: String,
    },
    /// A kind no kind contains: its units are roots, repeated until the forest is complete.
    #[error("`{0}` is not contained by any kind: its units are the roots, repeated until the forest has as many units as asked")]
    Root(String),
    /// A percentage outside `0..=100`.
    #[error("`{what}` must be a percentage from 0 to 100, found {value}")]
    Percent {
        /// `missing` or `veto`.
        what: &'static str,
        /// The value given.
        value: f64,
    },
}

impl ShapeError {
    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            ShapeError::Syntax(s) => {
                format!("应写成 `类型=最少-最多`（如 `社区=3-8`），实际为 `{s}`")
            }
            ShapeError::Reversed(s) => format!("`{s}`：下级单位的最少数目大于最多数目"),
            ShapeError::UnknownKind { kind, known } => {
                format!("未知单位类型 `{kind}`，标准中的类型为 {known}")
            }
            ShapeError::Root(k) => {
                format!("`{k}` 不被任何类型包含：它的单位是最高一级，会重复生成直到单位数达到要求")
            }
            ShapeError::Percent { what, value } => {
                format!("`{what}` 应为 0 到 100 之间的百分数，实际为 {value}")
            }
        }
    }
}

impl Shape {
    /// Reads fan-out ranges written `社区=3-8,小区=0-5` (also `小区=4` for exactly four; `..`
    /// for `-`; full-width commas), as the command line takes them.
    pub fn parse_fanout(spec: &str) -> Result<Vec<(String, u32, u32)>, ShapeError> {
        let mut out = Vec::new();
        for entry in spec.split([',', '，']).map(str::trim) {
            if entry.is_empty() {
                continue;
            }
            let syntax = || ShapeError::Syntax(entry.to_string());
            let (kind, range) = entry
                .split_once('=')
                .or_else(|| entry.split_once('＝'))
                .ok_or_else(syntax)?;
            let (kind, range) = (kind.trim(), range.trim());
            if kind.is_empty() {
                return Err(syntax());
            }
            let (lo, hi) = match range.split_once("..").or_else(|| range.split_once('-')) {
                Some((a, b)) => (a.trim(), b.trim()),
                None => (range, range),
            };
            let lo: u32 = lo.parse().map_err(|_| syntax())?;
            let hi: u32 = hi.parse().map_err(|_| syntax())?;
            if lo > hi {
                return Err(ShapeError::Reversed(entry.to_string()));
            }
            out.push((kind.to_string(), lo, hi));
        }
        Ok(out)
    }

    /// Checks the shape against a standard: every kind named exists and is contained by some
    /// kind, and the percentages are within `0..=100`.
    pub fn check(&self, standard: &crate::Standard) -> Result<(), ShapeError> {
        let graph = standard.graph();
        for (what, value) in [("missing", self.missing), ("veto", self.veto)] {
            if !(0.0..=100.0).contains(&value) {
                return Err(ShapeError::Percent { what, value });
            }
        }
        for kind in self.fanout.keys() {
            let Some(k) = graph.kinds.iter().position(|g| &g.name == kind) else {
                return Err(ShapeError::UnknownKind {
                    kind: kind.clone(),
                    known: graph
                        .kinds
                        .iter()
                        .map(|g| format!("`{}`", g.name))
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            };
            if parents(graph, k as KindId).is_empty() {
                return Err(ShapeError::Root(kind.clone()));
            }
        }
        Ok(())
    }

    /// The range of children per parent of every kind (by position in the graph's kinds), with
    /// the defaults filled in. Roots have `(0, 0)`.
    pub fn fanouts(&self, standard: &crate::Standard) -> Vec<(u32, u32)> {
        self.fanouts_in(standard.graph())
    }

    fn fanouts_in(&self, graph: &Graph) -> Vec<(u32, u32)> {
        (0..graph.kinds.len())
            .map(|k| {
                let kg = &graph.kinds[k];
                let ps = parents(graph, k as KindId);
                if ps.is_empty() {
                    return (0, 0);
                }
                if let Some(r) = self.fanout.get(&kg.name) {
                    return *r;
                }
                match kg.name.as_str() {
                    "社区" | "村" => (8, 15),
                    "小区" => (3, 8),
                    _ => {
                        let main = ps.len() == 1
                            && graph.kinds[ps[0] as usize].children.first() == Some(&(k as KindId));
                        if main {
                            (5, 10)
                        } else {
                            (0, 3)
                        }
                    }
                }
            })
            .collect()
    }
}

/// The kinds that directly contain `kind`.
fn parents(graph: &Graph, kind: KindId) -> Vec<KindId> {
    graph
        .kinds
        .iter()
        .enumerate()
        .filter(|(_, k)| k.children.contains(&kind))
        .map(|(i, _)| i as KindId)
        .collect()
}

/// A small deterministic generator (SplitMix64): one `u64` seed describes a whole forest, the
/// same on every machine.
#[derive(Debug, Clone)]
pub struct Rng(pub u64);

impl Rng {
    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }

    /// True `percent` times in 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// A number in `0.0..1.0`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    fn hit(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A number in `lo..=hi`.
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = hi.abs_diff(lo).saturating_add(1);
        lo.saturating_add_unsigned(self.below(span))
    }
}

/// How a bool fact is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BoolRole {
    /// A veto: true at the veto rate.
    Veto,
    /// Negated by a rule: mostly false.
    Adverse,
    /// Decides whether a rule applies: true three times in ten.
    Situational,
    /// Mostly true.
    Favourable,
}

/// How a number is drawn: a multiple of `step` (`mantissa × 10^-scale`), in steps.
#[derive(Debug, Clone)]
struct NumPlan {
    mantissa: i64,
    scale: u32,
    /// Passing values (or typical ones, when nothing is compared).
    pass: (i64, i64),
    /// Values that fail a lower bound.
    low: Option<(i64, i64)>,
    /// Values that fail an upper bound.
    high: Option<(i64, i64)>,
    /// Written as a string with `%`.
    percent: bool,
    /// Drawn with the unit's quality, like scored parts (points compared with nothing: an
    /// assessment score used for ranking).
    scored: bool,
}

#[derive(Debug, Clone)]
enum FactGen {
    Bool(BoolRole),
    Num(NumPlan),
    Date,
    Enum(Vec<String>),
}

/// What to write for one kind.
#[derive(Debug, Clone)]
struct KindPlan {
    /// The kind's name as a JSON string.
    name: String,
    /// `"名称-`: ids are this, a number, and `"`.
    id_prefix: String,
    /// Scored parts: the key as a JSON string, and the points in halves.
    scores: Vec<(String, u64)>,
    /// Facts: the key as a JSON string, and how to draw it.
    facts: Vec<(String, FactGen)>,
    /// Contained kinds with their children per parent.
    children: Vec<(KindId, u32, u32)>,
}

/// A JSON string literal.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{}\"", s.escape_default()))
}

/// A date as the facts file writes it.
fn date_text(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// The evaluation date of the forest.
fn as_of(graph: &Graph, shape: &Shape) -> NaiveDate {
    if let Some(d) = shape.as_of {
        return d;
    }
    if let Some((_, end)) = graph.info.effective {
        return end;
    }
    let named = graph
        .targets
        .iter()
        .flat_map(|t| t.due.iter().copied())
        .chain(graph.quotas.iter().flat_map(|q| q.columns.iter().copied()))
        .chain(graph.params.iter().flat_map(|p| match &p.value {
            ParamValue::Dated(periods) => periods.iter().map(|(_, end, _)| *end).collect(),
            _ => Vec::new(),
        }))
        .max();
    named.unwrap_or_else(today)
}

/// Today (UTC).
fn today() -> NaiveDate {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or(0);
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|e| e.checked_add_days(chrono::Days::new(days)))
        .unwrap_or_default()
}

/// A plausible value for a parameter the standard leaves open, and how to write it.
fn open_param(graph: &Graph, ty: Type, as_of: NaiveDate) -> (Value, String) {
    let num = |n: i64, text: String| (Value::Num(Decimal::from(n)), text);
    match ty {
        Type::Bool => (Value::Bool(true), "true".into()),
        Type::Date => (Value::Date(as_of), quoted(&date_text(as_of))),
        Type::Enum(e) => {
            let variants = graph.levels(e);
            let i = variants.len() / 2;
            match variants.get(i) {
                Some(v) => (Value::Enum(i as u32), quoted(v)),
                None => (Value::Unknown, "null".into()),
            }
        }
        Type::Num(dim) => match dim {
            Dim::Count => num(3, "3".into()),
            Dim::Bare | Dim::Number => num(1, "1".into()),
            Dim::Percent => (Value::Num(Decimal::new(8, 1)), quoted("80%")),
            Dim::Money => num(100_000, "100000".into()),
            Dim::Area => num(100, "100".into()),
            Dim::Hours => num(40, "40".into()),
            Dim::Points => num(60, "60".into()),
            Dim::Days => num(30, "30".into()),
        },
    }
}

/// The value of every node of a kind that does not depend on any unit (constants, parameters and
/// arithmetic on them), for finding the thresholds facts are compared with.
///
/// With `inputs`, inputs take these values too: the estimate of every node from typical values.
fn constants(
    kg: &duibiao_compiler::graph::KindGraph,
    params: &[Option<Value>],
    inputs: &[Option<Value>],
) -> Vec<Option<Value>> {
    let mut out: Vec<Option<Value>> = Vec::with_capacity(kg.nodes.len());
    for node in &kg.nodes {
        let get = |out: &Vec<Option<Value>>, i: u32| out.get(i as usize).copied().flatten();
        let num = |out: &Vec<Option<Value>>, i: u32| get(out, i).and_then(Value::as_num);
        let v = match node {
            Node::Const(v) => Some(*v),
            Node::Param(p) => params.get(*p).copied().flatten(),
            Node::Input(i) => inputs.get(*i).copied().flatten(),
            Node::Neg(a) => num(&out, *a).map(|n| Value::Num(-n)),
            Node::Not(a) => get(&out, *a)
                .and_then(Value::as_bool)
                .map(|b| Value::Bool(!b)),
            Node::Arith(op, a, b) => match (num(&out, *a), num(&out, *b)) {
                (Some(x), Some(y)) => match op {
                    Arith::Add => x.checked_add(y),
                    Arith::Sub => x.checked_sub(y),
                    Arith::Mul => x.checked_mul(y),
                    Arith::Div => x.checked_div(y),
                }
                .map(Value::Num),
                _ => None,
            },
            Node::If(c, a, b) => match get(&out, *c).and_then(Value::as_bool) {
                Some(true) => get(&out, *a),
                Some(false) => get(&out, *b),
                None => None,
            },
            Node::Call(f, xs) => {
                let args: Option<Vec<Decimal>> = xs.iter().map(|x| num(&out, *x)).collect();
                args.and_then(|args| {
                    let first = args.first().copied()?;
                    match f {
                        Func::Min => args.iter().copied().min(),
                        Func::Max => args.iter().copied().max(),
                        Func::Ceil => Some(first.ceil()),
                        Func::Floor => Some(first.floor()),
                        Func::Abs => Some(first.abs()),
                        Func::Round => {
                            let dp = args.get(1).and_then(|d| d.to_u32()).unwrap_or(0);
                            Some(first.round_dp_with_strategy(
                                dp,
                                rust_decimal::RoundingStrategy::MidpointAwayFromZero,
                            ))
                        }
                    }
                    .map(Value::Num)
                })
            }
            _ => None,
        };
        out.push(v);
    }
    out
}

/// The step numbers of a unit are drawn in, as (mantissa, scale), and typical values in steps.
fn dim_plan(dim: Dim) -> ((i64, u32), (i64, i64)) {
    match dim {
        Dim::Count => ((1, 0), (1, 12)),
        Dim::Bare | Dim::Number => ((1, 2), (50, 200)),
        Dim::Percent => ((1, 0), (60, 100)),
        Dim::Money => ((100, 0), (200, 3000)),
        Dim::Area => ((1, 0), (60, 800)),
        Dim::Hours => ((1, 0), (16, 80)),
        Dim::Points => ((5, 1), (0, 200)),
        Dim::Days => ((1, 0), (1, 120)),
    }
}

/// How to draw a number of this unit, given the constants it is compared with (`fact OP c`).
fn num_plan(dim: Dim, bounds: &[(CmpOp, Decimal)]) -> NumPlan {
    let ((mantissa, scale), typical) = dim_plan(dim);
    let percent = dim == Dim::Percent;
    let step = Decimal::new(mantissa, scale);
    let cap = if percent { Some(100) } else { None };
    // A constant in steps (percentages are fractions in the graph, percent points here).
    let steps = |c: Decimal| -> Option<Decimal> {
        let c = if percent {
            c.checked_mul(Decimal::ONE_HUNDRED)?
        } else {
            c
        };
        c.checked_div(step)
    };
    let (mut lo, mut hi, mut eq): (Option<i64>, Option<i64>, Option<i64>) = (None, None, None);
    for (op, c) in bounds {
        let Some(s) = steps(*c) else { continue };
        // Bounds beyond what the arithmetic holds are left out, as a bound that cannot be met.
        let v = match op {
            CmpOp::Ge => Some(s.ceil()),
            CmpOp::Gt => s.floor().checked_add(Decimal::ONE),
            CmpOp::Le => Some(s.floor()),
            CmpOp::Lt => s.ceil().checked_sub(Decimal::ONE),
            CmpOp::Eq => Some(s),
            CmpOp::Ne => continue,
        };
        let Some(v) = v.and_then(|v| v.to_i64()) else {
            continue;
        };
        match op {
            CmpOp::Ge | CmpOp::Gt => lo = Some(lo.map_or(v, |l| l.max(v))),
            CmpOp::Le | CmpOp::Lt => hi = Some(hi.map_or(v, |h| h.min(v))),
            CmpOp::Eq if s.fract().is_zero() => eq = Some(v),
            _ => {}
        }
    }
    if let (Some(l), Some(h)) = (lo, hi) {
        if l > h {
            hi = None;
        }
    }
    let clamp = |(a, b): (i64, i64)| -> Option<(i64, i64)> {
        let a = a.max(0);
        let b = cap.map_or(b, |c| b.min(c));
        (a <= b).then_some((a, b))
    };
    let margin = |v: i64, tenths: i64| (v.saturating_abs() / 10).saturating_mul(tenths).max(1);
    // The ranges just above and below a bound (saturating: the extremes of i64 stay there).
    let above = |v: i64, tenths: i64| (v.saturating_add(1), v.saturating_add(margin(v, tenths)));
    let below = |v: i64, tenths: i64| (v.saturating_sub(margin(v, tenths)), v.saturating_sub(1));
    let (pass, low, high) = match (eq, lo, hi) {
        (Some(e), _, _) => (Some((e, e)), None, Some(above(e, 2))),
        (None, Some(l), Some(h)) => (Some((l, h)), Some(below(l, 3)), Some(above(h, 3))),
        (None, Some(l), None) => (
            Some((l, l.saturating_add((l.saturating_abs() / 2).max(4)))),
            Some(below(l, 4)),
            None,
        ),
        (None, None, Some(h)) => (Some((h / 2, h)), None, Some(above(h, 3))),
        (None, None, None) => (None, None, None),
    };
    match pass.and_then(clamp) {
        Some(pass) => NumPlan {
            mantissa,
            scale,
            pass,
            low: low.and_then(clamp),
            high: high.and_then(clamp),
            percent,
            scored: false,
        },
        None => NumPlan {
            mantissa,
            scale,
            pass: typical,
            low: None,
            high: None,
            percent,
            scored: dim == Dim::Points,
        },
    }
}

/// The typical value of a number drawn by `plan`: the middle of its passing range.
fn typical(plan: &NumPlan) -> Value {
    let mid = i64::try_from((i128::from(plan.pass.0) + i128::from(plan.pass.1)) / 2).unwrap_or(0);
    let v = Decimal::new(mid.saturating_mul(plan.mantissa), plan.scale);
    Value::Num(if plan.percent {
        v / Decimal::ONE_HUNDRED
    } else {
        v
    })
}

/// How every numeric fact of a kind is drawn (by input slot). A fact compared with a constant or
/// parameter (`户数 >= 社区规模下限`) is drawn around it. A fact compared with something computed
/// from other facts (`中心面积 >= 每百户中心面积 * 户数 / 100`) is drawn around that computed with
/// the other facts' typical values, refined a few times as those settle.
fn number_plans(
    kg: &duibiao_compiler::graph::KindGraph,
    params: &[Option<Value>],
    roles: &BTreeMap<usize, BoolRole>,
) -> Vec<Option<NumPlan>> {
    let input_of = |n: u32| match kg.nodes.get(n as usize) {
        Some(Node::Input(s)) => Some(*s),
        _ => None,
    };
    let dims: Vec<Option<Dim>> = kg
        .inputs
        .iter()
        .map(|i| match (&i.origin, i.ty) {
            (InputOrigin::Fact, Type::Num(d)) => Some(d),
            _ => None,
        })
        .collect();
    let consts = constants(kg, params, &[]);
    let mut plans: Vec<Option<NumPlan>> =
        dims.iter().map(|d| d.map(|d| num_plan(d, &[]))).collect();
    for round in 0..4 {
        let estimates: Vec<Option<Value>> = if round == 0 {
            Vec::new()
        } else {
            // Bools as they mostly are: favourable ones true, the others false.
            plans
                .iter()
                .enumerate()
                .map(|(slot, p)| match (p, kg.inputs.get(slot).map(|i| i.ty)) {
                    (Some(p), _) => Some(typical(p)),
                    (None, Some(Type::Bool)) => Some(Value::Bool(matches!(
                        roles.get(&slot),
                        None | Some(BoolRole::Favourable)
                    ))),
                    _ => None,
                })
                .collect()
        };
        let values = if round == 0 {
            consts.clone()
        } else {
            constants(kg, params, &estimates)
        };
        let mut bounds: Vec<Vec<(CmpOp, Decimal)>> = vec![Vec::new(); kg.inputs.len()];
        for node in &kg.nodes {
            let Node::Compare(op, a, b) = node else {
                continue;
            };
            let value = |n: u32| {
                values
                    .get(n as usize)
                    .copied()
                    .flatten()
                    .and_then(Value::as_num)
            };
            let found = match (input_of(*a), input_of(*b)) {
                (Some(s), _) => value(*b).map(|v| (s, *op, v)),
                (_, Some(s)) => value(*a).map(|v| (s, op.flipped(), v)),
                _ => None,
            };
            if let Some((s, op, v)) = found {
                if let Some(list) = bounds.get_mut(s) {
                    list.push((op, v));
                }
            }
        }
        plans = dims
            .iter()
            .zip(&bounds)
            .map(|(d, b)| d.map(|d| num_plan(d, b)))
            .collect();
    }
    plans
}

/// How each bool fact of a kind is drawn (by input slot; the others are favourable): a veto
/// (named …否决…, or read by a veto), negated by a rule (`not 发生违纪案件`), or only deciding
/// whether a rule applies (`when 党委建制`, `if 新建社区`; not when it is also a condition itself,
/// as in `share 社区 where (已制定居民公约)`).
fn bool_roles(graph: &Graph, kind: KindId) -> BTreeMap<usize, BoolRole> {
    let mut roles: BTreeMap<usize, BoolRole> = BTreeMap::new();
    let Some(kg) = graph.kinds.get(kind as usize) else {
        return roles;
    };
    let input_of = |n: u32| match kg.nodes.get(n as usize) {
        Some(Node::Input(s)) => Some(*s),
        _ => None,
    };
    // Premises of `when`, which the compiler writes `not premise or requirement`.
    let premises: Vec<u32> = kg
        .groups
        .iter()
        .flat_map(|g| g.requirements.iter())
        .chain(kg.tiers.iter().flat_map(|t| t.conditions.iter()))
        .filter_map(|c| c.applies)
        .collect();
    // Nodes that are conditions in their own right.
    let mut conditions: Vec<u32> = kg
        .groups
        .iter()
        .flat_map(|g| g.requirements.iter())
        .chain(kg.tiers.iter().flat_map(|t| t.conditions.iter()))
        .map(|c| c.node)
        .collect();
    for node in &kg.nodes {
        if let Node::And(xs) | Node::Or(xs) = node {
            conditions.extend(xs.iter().copied());
        }
    }
    for other in graph.kinds.iter().chain(std::iter::once(&graph.overall)) {
        for node in &other.nodes {
            if let Node::Aggregate(a) = node {
                conditions.extend(
                    a.targets
                        .iter()
                        .filter(|t| t.kind == kind)
                        .filter_map(|t| t.filter),
                );
            }
        }
    }
    for t in &graph.targets {
        if let duibiao_compiler::graph::TargetScope::Kinds(ks) = &t.scope {
            conditions.extend(ks.iter().filter(|(k, _)| *k == kind).map(|(_, n)| *n));
        }
    }
    let mut situational: Vec<u32> = premises.clone();
    for node in &kg.nodes {
        match node {
            Node::Not(a) if !premises.contains(a) => {
                if let Some(s) = input_of(*a) {
                    roles.insert(s, BoolRole::Adverse);
                }
            }
            Node::If(c, _, _) => situational.push(*c),
            _ => {}
        }
    }
    for n in situational {
        if conditions.contains(&n) {
            continue;
        }
        if let Some(s) = input_of(n) {
            roles.entry(s).or_insert(BoolRole::Situational);
        }
    }
    let mut vetoes: Vec<usize> = kg
        .inputs
        .iter()
        .enumerate()
        .filter(|(_, i)| i.ty == Type::Bool && i.key.contains("否决"))
        .map(|(slot, _)| slot)
        .collect();
    for v in &kg.vetoes {
        match kg.nodes.get(v.node as usize) {
            Some(Node::Or(xs)) => vetoes.extend(xs.iter().filter_map(|x| input_of(*x))),
            _ => vetoes.extend(input_of(v.node)),
        }
    }
    for s in vetoes {
        roles.insert(s, BoolRole::Veto);
    }
    roles
}

/// Everything needed to write units of every kind, and the `params` object.
struct Plan {
    kinds: Vec<KindPlan>,
    roots: Vec<KindId>,
    params: Vec<(String, String)>,
    as_of: NaiveDate,
    /// First and last day dates are drawn in.
    period: (NaiveDate, NaiveDate),
}

fn plan(graph: &Graph, shape: &Shape) -> Plan {
    let as_of = as_of(graph, shape);
    let mut open = Vec::new();
    let param_values: Vec<Option<Value>> = graph
        .params
        .iter()
        .map(|p| match &p.value {
            ParamValue::Fixed(v) => Some(*v),
            ParamValue::Dated(periods) => periods
                .iter()
                .find(|(a, b, _)| *a <= as_of && as_of <= *b)
                .map(|(_, _, v)| *v),
            ParamValue::Required => {
                let (v, text) = open_param(graph, p.ty, as_of);
                open.push((quoted(&p.name), text));
                Some(v)
            }
        })
        .collect();
    let fanouts = shape.fanouts_in(graph);
    let kinds = graph
        .kinds
        .iter()
        .enumerate()
        .map(|(k, kg)| {
            let roles = bool_roles(graph, k as KindId);
            let numbers = number_plans(kg, &param_values, &roles);
            let mut scores = Vec::new();
            let mut facts = Vec::new();
            for (slot, input) in kg.inputs.iter().enumerate() {
                let key = quoted(&input.key);
                match input.origin {
                    InputOrigin::Points { max } => {
                        let halves = max.checked_mul(Decimal::TWO);
                        let halves = halves.and_then(|h| h.floor().to_u64()).unwrap_or(0);
                        scores.push((key, halves));
                    }
                    InputOrigin::Fact => {
                        let g = match input.ty {
                            Type::Bool => FactGen::Bool(
                                roles.get(&slot).copied().unwrap_or(BoolRole::Favourable),
                            ),
                            Type::Date => FactGen::Date,
                            Type::Enum(e) => {
                                FactGen::Enum(graph.levels(e).iter().map(|v| quoted(v)).collect())
                            }
                            Type::Num(dim) => FactGen::Num(
                                numbers
                                    .get(slot)
                                    .cloned()
                                    .flatten()
                                    .unwrap_or_else(|| num_plan(dim, &[])),
                            ),
                        };
                        facts.push((key, g));
                    }
                }
            }
            let name = quoted(&kg.name);
            let id_prefix = format!("{}-", name.strip_suffix('"').unwrap_or(&name));
            KindPlan {
                name,
                id_prefix,
                scores,
                facts,
                children: kg
                    .children
                    .iter()
                    .map(|c| {
                        let (lo, hi) = fanouts.get(*c as usize).copied().unwrap_or((0, 0));
                        (*c, lo, hi)
                    })
                    .collect(),
            }
        })
        .collect();
    let roots = (0..graph.kinds.len() as KindId)
        .filter(|k| parents(graph, *k).is_empty())
        .collect();
    let period = match graph.info.effective {
        Some((start, end)) if start <= as_of => (start, end.min(as_of)),
        _ => (
            as_of
                .checked_sub_days(chrono::Days::new(364))
                .unwrap_or(as_of),
            as_of,
        ),
    };
    Plan {
        kinds,
        roots,
        params: open,
        as_of,
        period,
    }
}

/// A unit whose children are being written.
struct Frame {
    kind: KindId,
    number: u64,
    quality: f64,
    /// The position in the kind's children being filled, the next one to start, and how many
    /// children of the current one are still to come.
    current: usize,
    next: usize,
    remaining: u64,
}

impl Frame {
    fn new(kind: KindId, number: u64, quality: f64) -> Self {
        Frame {
            kind,
            number,
            quality,
            current: 0,
            next: 0,
            remaining: 0,
        }
    }
}

/// Streams a facts file of exactly `units` units of `graph`'s standard to `out`, drawn from
/// `seed` as `shape` says (see the module documentation). Units are written one per line,
/// parents first; nothing but the unit being written is held in memory.
pub fn write_forest(
    standard: &crate::Standard,
    units: usize,
    seed: u64,
    shape: &Shape,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let graph = standard.graph();
    let plan = plan(graph, shape);
    let mut rng = Rng(seed);
    out.write_all(b"{\n")?;
    if !graph.info.slug.is_empty() {
        writeln!(out, " \"standard\": {},", quoted(&graph.info.slug))?;
    }
    writeln!(out, " \"as_of\": \"{}\",", date_text(plan.as_of))?;
    out.write_all(b" \"params\": {")?;
    for (i, (name, value)) in plan.params.iter().enumerate() {
        let sep = if i == 0 { "" } else { ", " };
        write!(out, "{sep}{name}: {value}")?;
    }
    out.write_all(b"},\n \"units\": [")?;
    // Two trees in three are completely reported; the others miss three times the asked share
    // (all of their values when that is more than all), so that the share overall is as asked.
    let missing = shape.missing.clamp(0.0, 100.0) / 100.0;
    let missing_tree = (missing * 3.0).min(1.0);
    let complete = if missing > 0.0 {
        1.0 - missing / missing_tree
    } else {
        1.0
    };
    let veto = shape.veto.clamp(0.0, 100.0) / 100.0;
    let mut numbers = vec![0u64; plan.kinds.len()];
    let mut stack: Vec<Frame> = Vec::new();
    let mut written = 0usize;
    let mut root = 0usize;
    let mut w = UnitWriter {
        plan: &plan,
        veto,
        missing: 0.0,
        scratch: String::new(),
    };
    while written < units && !plan.roots.is_empty() {
        let kind = plan.roots[root % plan.roots.len()];
        root += 1;
        w.missing = if rng.hit(complete) { 0.0 } else { missing_tree };
        // A root's own quality is only half its tree's: a street with strong communities may
        // itself score 80 or 95.
        let latent = root_quality(&mut rng);
        let own = (latent + root_quality(&mut rng)) / 2.0;
        let number = next_number(&mut numbers, kind);
        w.unit(out, &mut rng, written, kind, number, None, own)?;
        written += 1;
        stack.clear();
        stack.push(Frame::new(kind, number, latent));
        while written < units {
            let Some(top) = stack.last_mut() else { break };
            let children = &plan.kinds[top.kind as usize].children;
            if top.remaining == 0 {
                match children.get(top.next) {
                    Some((_, lo, hi)) => {
                        top.current = top.next;
                        top.next += 1;
                        top.remaining = rng.between(i64::from(*lo), i64::from(*hi)).max(0) as u64;
                    }
                    None => {
                        stack.pop();
                    }
                }
                continue;
            }
            top.remaining -= 1;
            let Some((kind, _, _)) = children.get(top.current).copied() else {
                stack.pop();
                continue;
            };
            let parent = (top.kind, top.number);
            let latent = (top.quality + (rng.unit() - 0.5) * INHERITED_SPREAD).clamp(0.40, 1.06);
            let own = own_quality(&mut rng, latent);
            let number = next_number(&mut numbers, kind);
            w.unit(out, &mut rng, written, kind, number, Some(parent), own)?;
            written += 1;
            stack.push(Frame::new(kind, number, latent));
        }
    }
    out.write_all(b"\n ]\n}\n")?;
    out.flush()
}

/// The latent quality of a root: the least, and the width of the range (skewed high).
const ROOT_QUALITY: (f64, f64) = (0.66, 0.34);
/// How far a unit's latent quality strays from its parent's (the full width of the range).
const INHERITED_SPREAD: f64 = 0.06;
/// How far a unit's own quality strays from its latent quality (the full width).
const OWN_SPREAD: f64 = 0.14;
/// How far one scored part strays from the unit's quality (the full width).
const PART_SPREAD: f64 = 0.30;

/// A root's latent quality.
fn root_quality(rng: &mut Rng) -> f64 {
    ROOT_QUALITY.0 + ROOT_QUALITY.1 * rng.unit().max(rng.unit())
}

/// A unit's own quality: its latent quality (shared with its sub-units) and its own luck.
fn own_quality(rng: &mut Rng, latent: f64) -> f64 {
    (latent + (rng.unit() - 0.5) * OWN_SPREAD).clamp(0.40, 1.06)
}

fn next_number(numbers: &mut [u64], kind: KindId) -> u64 {
    match numbers.get_mut(kind as usize) {
        Some(n) => {
            *n += 1;
            *n
        }
        None => 0,
    }
}

struct UnitWriter<'a> {
    plan: &'a Plan,
    veto: f64,
    missing: f64,
    /// A fact's value as written, reused from fact to fact.
    scratch: String,
}

impl UnitWriter<'_> {
    #[allow(clippy::too_many_arguments)]
    fn unit(
        &mut self,
        out: &mut impl Write,
        rng: &mut Rng,
        index: usize,
        kind: KindId,
        number: u64,
        parent: Option<(KindId, u64)>,
        quality: f64,
    ) -> std::io::Result<()> {
        let Some(kp) = self.plan.kinds.get(kind as usize) else {
            return Ok(());
        };
        out.write_all(if index == 0 { b"\n  " } else { b",\n  " })?;
        write!(
            out,
            "{{\"id\": {}{number}\", \"kind\": {}, \"parent\": ",
            kp.id_prefix, kp.name
        )?;
        match parent.and_then(|(k, n)| self.plan.kinds.get(k as usize).map(|p| (p, n))) {
            Some((p, n)) => write!(out, "{}{n}\"", p.id_prefix)?,
            None => out.write_all(b"null")?,
        }
        out.write_all(b", \"scores\": {")?;
        let mut first = true;
        for (key, halves) in &kp.scores {
            let f = quality + (rng.unit() - 0.5) * PART_SPREAD;
            let h = (f * *halves as f64 + 0.5)
                .floor()
                .clamp(0.0, *halves as f64) as u64;
            if self.missing > 0.0 && rng.hit(self.missing) {
                continue;
            }
            out.write_all(if first { b"" } else { b", " })?;
            first = false;
            if h.is_multiple_of(2) {
                write!(out, "{key}: {}", h / 2)?;
            } else {
                write!(out, "{key}: {}.5", h / 2)?;
            }
        }
        out.write_all(b"}, \"facts\": {")?;
        let pass = (quality + 0.03).clamp(0.05, 0.995);
        let mut first = true;
        let mut first_date: Option<NaiveDate> = None;
        for (key, g) in &kp.facts {
            let text = &mut self.scratch;
            text.clear();
            match g {
                FactGen::Bool(role) => {
                    let p = match role {
                        BoolRole::Veto => self.veto,
                        BoolRole::Adverse => 1.0 - pass,
                        BoolRole::Situational => 0.3,
                        BoolRole::Favourable => pass,
                    };
                    text.push_str(if rng.hit(p) { "true" } else { "false" });
                }
                FactGen::Num(np) => {
                    let range = if rng.hit(pass) {
                        np.pass
                    } else {
                        match (np.low, np.high) {
                            (Some(l), Some(h)) => {
                                if rng.hit(0.5) {
                                    l
                                } else {
                                    h
                                }
                            }
                            (Some(r), None) | (None, Some(r)) => r,
                            (None, None) => np.pass,
                        }
                    };
                    let k = if np.scored {
                        let f = (quality + (rng.unit() - 0.5) * PART_SPREAD).clamp(0.0, 1.0);
                        let span = range.1.saturating_sub(range.0) as f64;
                        range.0.saturating_add((f * span + 0.5).floor() as i64)
                    } else {
                        rng.between(range.0, range.1)
                    };
                    let n = k.saturating_mul(np.mantissa);
                    let _ = match (np.scale, np.percent) {
                        (0, false) => write!(text, "{n}"),
                        (0, true) => write!(text, "\"{n}%\""),
                        (scale, false) => write!(text, "{}", Decimal::new(n, scale).normalize()),
                        (scale, true) => {
                            write!(text, "\"{}%\"", Decimal::new(n, scale).normalize())
                        }
                    };
                }
                FactGen::Date => {
                    let (start, end) = self.plan.period;
                    let d = match first_date {
                        None => {
                            let span = (end - start).num_days().max(0);
                            let d = start
                                .checked_add_days(chrono::Days::new(
                                    rng.between(0, span).max(0) as u64
                                ))
                                .unwrap_or(start);
                            first_date = Some(d);
                            d
                        }
                        Some(d0) => d0
                            .checked_add_days(chrono::Days::new(rng.between(0, 180) as u64))
                            .unwrap_or(d0)
                            .min(end),
                    };
                    let _ = write!(text, "\"{:04}-{:02}-{:02}\"", d.year(), d.month(), d.day());
                }
                FactGen::Enum(variants) => {
                    match variants.get(rng.below(variants.len() as u64) as usize) {
                        Some(v) => text.push_str(v),
                        None => continue,
                    }
                }
            }
            if self.missing > 0.0 && rng.hit(self.missing) {
                continue;
            }
            out.write_all(if first { b"" } else { b", " })?;
            first = false;
            out.write_all(key.as_bytes())?;
            out.write_all(b": ")?;
            out.write_all(text.as_bytes())?;
        }
        out.write_all(b"}}")
    }
}

/// A facts file of exactly `units` units of `graph`'s standard, drawn from `seed` as `shape`
/// says, as a JSON value (the text [`write_forest`] writes). For large sizes, stream with
/// [`write_forest`] instead.
pub fn forest(
    standard: &crate::Standard,
    units: usize,
    seed: u64,
    shape: &Shape,
) -> serde_json::Value {
    let mut buf = Vec::new();
    match write_forest(standard, units, seed, shape, &mut buf) {
        Ok(()) => serde_json::from_slice(&buf).unwrap_or_default(),
        Err(_) => serde_json::Value::Null,
    }
}
