//! Evaluation of a compiled graph over a forest of units, bottom-up, in decimal arithmetic with
//! three-valued logic. The graph is only read; all state lives in [`Evaluation`].
//!
//! Nodes are evaluated in passes (the graph's strata): a rank needs the values of all its peers,
//! so it is computed in a pass after the one that computed them.

use crate::tree::UnitTree;
use duibiao_compiler::graph::{
    Aggregate, Arith, Func, Graph, KindGraph, Node, ParamValue, Peers, Rank,
};
use duibiao_compiler::Value;
use duibiao_syntax::ast::{AggOp, CmpOp, Ties};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use std::cmp::Ordering;
use std::collections::HashMap;

/// The values of every node for every unit, and of the whole forest's own rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// `values[unit][node]`.
    pub values: Vec<Vec<Value>>,
    /// The values of [`Graph::overall`]'s nodes.
    pub overall: Vec<Value>,
}

/// Why a parameter has no value.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    /// The standard leaves it open and nobody supplied it.
    NotSupplied,
    /// Its value depends on the date, and there is no evaluation date (`as_of`).
    NoDate,
    /// No period of its dated values covers the evaluation date.
    NotOn(chrono::NaiveDate),
}

/// A parameter without a value for this evaluation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[error("parameter `{name}` has no value{}", match why {
    Missing::NotSupplied => format!("; supply it with `--param {name}=VALUE` or in the facts file's `params`"),
    Missing::NoDate => "; it changes with the date, so give the evaluation date (`as_of`)".to_string(),
    Missing::NotOn(d) => format!(" on {d}"),
})]
pub struct MissingParam {
    /// The parameter.
    pub name: String,
    /// Its clause, if cited.
    pub clause: Option<String>,
    /// Why it has no value.
    pub why: Missing,
}

impl MissingParam {
    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        let clause = self
            .clause
            .as_ref()
            .map(|c| format!("（{c}）"))
            .unwrap_or_default();
        match &self.why {
            Missing::NotSupplied => format!(
                "参数 `{}`{clause}没有值；请用 `--param {}=值` 或在数据文件的 `params` 中提供",
                self.name, self.name
            ),
            Missing::NoDate => format!(
                "参数 `{}`{clause}的值随日期变化，请提供评价日期（`as_of`）",
                self.name
            ),
            Missing::NotOn(d) => format!("参数 `{}`{clause}在 {d} 没有值", self.name),
        }
    }
}

/// What an evaluation needs besides the facts: parameter values and the evaluation date.
#[derive(Debug, Clone, PartialEq)]
pub struct Context {
    /// The value of every parameter ([`Value::Unknown`] for dated values not in force).
    pub params: Vec<Value>,
    /// The evaluation date (`as_of`).
    pub date: Option<chrono::NaiveDate>,
    /// Dated parameters without a value on the evaluation date: rules reading them are unknown.
    pub unresolved: Vec<MissingParam>,
}

impl Context {
    /// Resolves the parameter values on `date`: supplied values first, then the standard's own
    /// (dated values by the period containing `date`). Fails when a parameter the standard leaves
    /// open is not supplied; a dated value not in force on `date` leaves the rules reading it
    /// unknown and is listed in [`Context::unresolved`].
    pub fn new(
        graph: &Graph,
        supplied: &[(usize, Value)],
        date: Option<chrono::NaiveDate>,
    ) -> Result<Context, Vec<MissingParam>> {
        let mut params = Vec::with_capacity(graph.params.len());
        let mut missing = Vec::new();
        let mut unresolved = Vec::new();
        for (i, p) in graph.params.iter().enumerate() {
            let given = supplied
                .iter()
                .rev()
                .find(|(j, _)| *j == i)
                .map(|(_, v)| *v);
            let resolved = match (given, &p.value) {
                (Some(v), _) => Ok(v),
                (None, ParamValue::Fixed(v)) => Ok(*v),
                (None, ParamValue::Required) => Err(Missing::NotSupplied),
                (None, ParamValue::Dated(periods)) => match date {
                    None => Err(Missing::NoDate),
                    Some(d) => periods
                        .iter()
                        .find(|(from, to, _)| *from <= d && d <= *to)
                        .map(|(_, _, v)| *v)
                        .ok_or(Missing::NotOn(d)),
                },
            };
            match resolved {
                Ok(v) => params.push(v),
                Err(why) => {
                    params.push(Value::Unknown);
                    let m = MissingParam {
                        name: p.name.clone(),
                        clause: p.source.cite.as_ref().map(|c| c.clause.clone()),
                        why,
                    };
                    if m.why == Missing::NotSupplied {
                        missing.push(m);
                    } else {
                        unresolved.push(m);
                    }
                }
            }
        }
        if missing.is_empty() {
            Ok(Context {
                params,
                date,
                unresolved,
            })
        } else {
            Err(missing)
        }
    }
}

/// Evaluates every unit of `tree`, descendants before ancestors, then the whole forest's rules.
pub fn evaluate(graph: &Graph, tree: &UnitTree, ctx: &Context) -> Evaluation {
    // Without ranks there is one pass, and units at the same depth depend only on deeper ones:
    // each depth is evaluated in parallel (on rayon's pool), with the same result as in order.
    let single_pass = graph.kinds.iter().all(|k| k.strata.len() <= 1);
    if !single_pass || tree.units.len() < PARALLEL_FROM {
        return evaluate_in_order(graph, tree, ctx);
    }
    let mut eval = Evaluation {
        values: vec![Vec::new(); tree.units.len()],
        overall: vec![Value::Unknown; graph.overall.nodes.len()],
    };
    evaluate_by_depth(graph, tree, ctx, &mut eval);
    evaluate_overall(graph, tree, ctx, &mut eval);
    eval
}

/// Evaluates every unit strictly in the forest's bottom-up order on the calling thread: the
/// reference for what [`evaluate`] computes in parallel.
pub fn evaluate_in_order(graph: &Graph, tree: &UnitTree, ctx: &Context) -> Evaluation {
    let mut eval = Evaluation {
        values: tree
            .units
            .iter()
            .map(|u| vec![Value::Unknown; graph.kinds[u.kind as usize].nodes.len()])
            .collect(),
        overall: vec![Value::Unknown; graph.overall.nodes.len()],
    };
    reevaluate(graph, tree, ctx, &mut eval, &tree.bottom_up);
    eval
}

/// Forests smaller than this are evaluated on one thread (spreading them costs more than it saves).
const PARALLEL_FROM: usize = 4096;

/// Evaluates a single-pass graph depth by depth, deepest first, the units of each depth in
/// parallel.
fn evaluate_by_depth(graph: &Graph, tree: &UnitTree, ctx: &Context, eval: &mut Evaluation) {
    use rayon::prelude::*;
    let mut depth = vec![0usize; tree.units.len()];
    // Parents come after children in `bottom_up`, so walking it backwards sees parents first.
    for &u in tree.bottom_up.iter().rev() {
        depth[u] = tree.units[u].parent.map_or(0, |p| depth[p] + 1);
    }
    let deepest = depth.iter().copied().max().unwrap_or(0);
    let mut levels = vec![Vec::new(); deepest + 1];
    for &u in &tree.bottom_up {
        levels[depth[u]].push(u);
    }
    for level in levels.iter().rev() {
        let values = &eval.values;
        let computed: Vec<(usize, Vec<Value>)> = level
            .par_iter()
            .map_init(
                || Evaluator::new(graph, tree, ctx),
                |ev, &u| {
                    let kind = &graph.kinds[tree.units[u].kind as usize];
                    let mut own = vec![Value::Unknown; kind.nodes.len()];
                    for &n in kind.strata.first().map(Vec::as_slice).unwrap_or(&[]) {
                        own[n as usize] = ev.node(kind, n, Some(u), &own, values);
                    }
                    (u, own)
                },
            )
            .collect();
        for (u, own) in computed {
            eval.values[u] = own;
        }
    }
}

/// Evaluates again the units of `order` (listed descendants before ancestors), keeping every
/// other unit's values, then the whole forest's rules. Gives the same values as [`evaluate`]
/// when `order` holds every unit whose values can have changed.
pub fn reevaluate(
    graph: &Graph,
    tree: &UnitTree,
    ctx: &Context,
    eval: &mut Evaluation,
    order: &[usize],
) {
    reevaluate_units(graph, tree, ctx, eval, order);
    evaluate_overall(graph, tree, ctx, eval);
}

/// Evaluates again the units of `order` (descendants before ancestors), not the whole forest's
/// rules.
pub fn reevaluate_units(
    graph: &Graph,
    tree: &UnitTree,
    ctx: &Context,
    eval: &mut Evaluation,
    order: &[usize],
) {
    let mut ev = Evaluator::new(graph, tree, ctx);
    let values = &mut eval.values;
    let passes = graph
        .kinds
        .iter()
        .map(|k| k.strata.len())
        .max()
        .unwrap_or(0);
    for pass in 0..passes {
        for &u in order {
            let kind = &graph.kinds[tree.units[u].kind as usize];
            let Some(nodes) = kind.strata.get(pass) else {
                continue;
            };
            let mut own = std::mem::take(&mut values[u]);
            own.resize(kind.nodes.len(), Value::Unknown);
            for &n in nodes {
                let v = ev.node(kind, n, Some(u), &own, values);
                own[n as usize] = v;
            }
            values[u] = own;
        }
    }
}

/// Evaluates the whole forest's own rules (`overall` targets) from the units' values.
pub fn evaluate_overall(graph: &Graph, tree: &UnitTree, ctx: &Context, eval: &mut Evaluation) {
    let mut ev = Evaluator::new(graph, tree, ctx);
    let (values, overall) = (&eval.values, &mut eval.overall);
    for nodes in &graph.overall.strata {
        for &n in nodes {
            overall[n as usize] = ev.node(&graph.overall, n, None, overall, values);
        }
    }
}

fn get(vals: &[Value], id: u32) -> Value {
    vals.get(id as usize).copied().unwrap_or(Value::Unknown)
}

/// Peer groups of one kind under one scope: each unit's group, and each group's members.
struct Groups {
    of: HashMap<usize, usize>,
    members: Vec<Vec<usize>>,
}

struct Evaluator<'a> {
    graph: &'a Graph,
    tree: &'a UnitTree,
    ctx: &'a Context,
    /// Per quota table: row index by unit id or name.
    quota_rows: Vec<HashMap<&'a str, usize>>,
    groups: HashMap<(u32, Peers), Groups>,
    /// Per (kind, rank node, group): the ranks of the group's members, by unit.
    ranks: HashMap<(u32, u32, usize), HashMap<usize, Value>>,
    /// Every unit's index by kind, for the whole forest's aggregates (built when first needed).
    by_kind: Option<Vec<Vec<usize>>>,
}

impl<'a> Evaluator<'a> {
    fn new(graph: &'a Graph, tree: &'a UnitTree, ctx: &'a Context) -> Self {
        let quota_rows = graph
            .quotas
            .iter()
            .map(|q| {
                q.rows
                    .iter()
                    .enumerate()
                    .map(|(i, (k, _))| (k.as_str(), i))
                    .collect()
            })
            .collect();
        Evaluator {
            graph,
            tree,
            ctx,
            quota_rows,
            groups: HashMap::new(),
            ranks: HashMap::new(),
            by_kind: None,
        }
    }

    /// Evaluates node `n` of `kind` for `unit` (`None`: the whole forest), whose values so far
    /// are `own`.
    fn node(
        &mut self,
        kind: &KindGraph,
        n: u32,
        unit: Option<usize>,
        own: &[Value],
        all: &[Vec<Value>],
    ) -> Value {
        let Some(node) = kind.nodes.get(n as usize) else {
            return Value::Unknown;
        };
        match node {
            Node::Input(slot) => unit
                .and_then(|u| self.tree.units[u].inputs.get(*slot).copied())
                .unwrap_or(Value::Unknown),
            Node::Const(v) => *v,
            Node::Param(p) => self.ctx.params.get(*p).copied().unwrap_or(Value::Unknown),
            Node::AsOf => self.ctx.date.map_or(Value::Unknown, Value::Date),
            Node::Quota(q) => unit.map_or(Value::Unknown, |u| self.quota(*q, u)),
            Node::Neg(a) => match get(own, *a) {
                Value::Num(x) => Value::Num(-x),
                _ => Value::Unknown,
            },
            Node::Arith(op, a, b) => arith(*op, get(own, *a), get(own, *b)),
            Node::Compare(op, a, b) => {
                let (x, y) = (get(own, *a), get(own, *b));
                if x.is_unknown() || y.is_unknown() {
                    // A count or share with unknown members still lies between what the known
                    // members give and what all of them would: often enough to decide.
                    if let (Some(ra), Some(rb)) = (
                        self.range(kind, *a, unit, own, all),
                        self.range(kind, *b, unit, own, all),
                    ) {
                        return bounded(*op, ra, rb);
                    }
                }
                compare(*op, x, y)
            }
            Node::And(xs) => and(xs.iter().map(|x| get(own, *x))),
            Node::Or(xs) => or(xs.iter().map(|x| get(own, *x))),
            Node::Not(a) => match get(own, *a) {
                Value::Bool(b) => Value::Bool(!b),
                _ => Value::Unknown,
            },
            Node::If(c, a, b) => match get(own, *c) {
                Value::Bool(true) => get(own, *a),
                Value::Bool(false) => get(own, *b),
                _ => {
                    let (x, y) = (get(own, *a), get(own, *b));
                    if x == y {
                        x
                    } else {
                        Value::Unknown
                    }
                }
            },
            Node::Call(f, xs) => call(*f, xs.iter().map(|x| get(own, *x))),
            Node::Sum(xs) => {
                let mut total = Decimal::ZERO;
                for x in xs {
                    match get(own, *x).as_num().and_then(|v| total.checked_add(v)) {
                        Some(t) => total = t,
                        None => return Value::Unknown,
                    }
                }
                Value::Num(total.normalize())
            }
            Node::Aggregate(agg) => aggregate(agg, &self.members(agg, unit), all),
            Node::Rank(r) => match unit {
                Some(u) => self.rank(n, r, u, own, all),
                None => Value::Unknown,
            },
            Node::Peers(p) => match unit {
                Some(u) => {
                    let k = self.tree.units[u].kind;
                    let g = self.group(k, *p, u);
                    let size = self
                        .groups
                        .get(&(k, *p))
                        .and_then(|gs| gs.members.get(g))
                        .map_or(0, Vec::len);
                    Value::Num(Decimal::from(size as u64))
                }
                None => Value::Unknown,
            },
        }
    }

    /// The sub-units an aggregate ranges over (see [`members`]); for the whole forest, taken from
    /// lists of the units of each kind, built once, instead of a scan of every unit.
    fn members(&mut self, agg: &Aggregate, unit: Option<usize>) -> Vec<(usize, usize)> {
        if unit.is_some() || agg.direct {
            return members(agg, unit, self.tree);
        }
        let tree = self.tree;
        let by_kind = self.by_kind.get_or_insert_with(|| {
            let mut lists = vec![
                Vec::new();
                tree.units
                    .iter()
                    .map(|u| u.kind as usize + 1)
                    .max()
                    .unwrap_or(0)
            ];
            for (i, u) in tree.units.iter().enumerate() {
                lists[u.kind as usize].push(i);
            }
            lists
        });
        agg.targets
            .iter()
            .enumerate()
            .flat_map(|(t, target)| {
                by_kind
                    .get(target.kind as usize)
                    .into_iter()
                    .flatten()
                    .map(move |&u| (u, t))
            })
            .collect()
    }

    /// The least and greatest value node `n` can take: its value when known; for a count or
    /// share with unknown members, the values with none and with all of them matching.
    fn range(
        &mut self,
        kind: &KindGraph,
        n: u32,
        unit: Option<usize>,
        own: &[Value],
        all: &[Vec<Value>],
    ) -> Option<(Decimal, Decimal)> {
        if let Value::Num(v) = get(own, n) {
            return Some((v, v));
        }
        let agg = match kind.nodes.get(n as usize) {
            Some(Node::Aggregate(agg)) => agg,
            Some(Node::Rank(r)) => return unit.map(|u| self.rank_range(r, u, own, all)),
            _ => return None,
        };
        if !matches!(agg.op, AggOp::Count | AggOp::Share) {
            return None;
        }
        let members = self.members(agg, unit);
        let (mut matched, mut open) = (0u64, 0u64);
        for &(u, t) in &members {
            match matches(agg, t, u, all) {
                Value::Bool(true) => matched += 1,
                Value::Bool(false) => {}
                _ => open += 1,
            }
        }
        let (lo, hi) = (Decimal::from(matched), Decimal::from(matched + open));
        match agg.op {
            AggOp::Count => Some((lo, hi)),
            _ if members.is_empty() => None,
            _ => {
                let n = Decimal::from(members.len() as u64);
                Some((lo / n, hi / n))
            }
        }
    }

    /// The best and worst rank unit `u` can have when some peers' values are unknown: ahead of
    /// it at least the known peers that are ahead, at most those and every unknown one.
    fn rank_range(
        &mut self,
        r: &Rank,
        u: usize,
        own: &[Value],
        all: &[Vec<Value>],
    ) -> (Decimal, Decimal) {
        let k = self.tree.units[u].kind;
        let g = self.group(k, r.peers, u);
        let members = self
            .groups
            .get(&(k, r.peers))
            .and_then(|gs| gs.members.get(g))
            .cloned()
            .unwrap_or_default();
        let mine = get(own, r.value);
        if mine.is_unknown() {
            return (Decimal::ONE, Decimal::from(members.len().max(1) as u64));
        }
        let (mut ahead, mut open) = (0u64, 0u64);
        for &m in members.iter().filter(|&&m| m != u) {
            let w = all.get(m).map_or(Value::Unknown, |v| get(v, r.value));
            if w.is_unknown() {
                open += 1;
                continue;
            }
            let is_ahead = match order(w, mine, r.ascending) {
                Some(Ordering::Greater) => true,
                Some(Ordering::Equal) => {
                    r.ties == Ties::ById && self.tree.units[m].id < self.tree.units[u].id
                }
                _ => false,
            };
            if is_ahead {
                ahead += 1;
            }
        }
        (Decimal::from(ahead + 1), Decimal::from(ahead + open + 1))
    }

    /// A quota table's value for unit `u` on the evaluation date (by id, else by name).
    fn quota(&self, q: usize, u: usize) -> Value {
        let (Some(table), Some(rows)) = (self.graph.quotas.get(q), self.quota_rows.get(q)) else {
            return Value::Unknown;
        };
        let unit = &self.tree.units[u];
        let row = rows
            .get(unit.id.as_str())
            .or_else(|| unit.name.as_deref().and_then(|n| rows.get(n)));
        row.and_then(|&r| table.rows.get(r))
            .and_then(|(_, values)| values.get(table.column(self.ctx.date)).copied())
            .unwrap_or(Value::Unknown)
    }

    /// The index of unit `u`'s peer group (computing all groups of its kind on first use).
    fn group(&mut self, kind: u32, peers: Peers, u: usize) -> usize {
        let tree = self.tree;
        let groups = self.groups.entry((kind, peers)).or_insert_with(|| {
            let mut by_key: HashMap<Option<usize>, usize> = HashMap::new();
            let mut g = Groups {
                of: HashMap::new(),
                members: Vec::new(),
            };
            for (i, unit) in tree
                .units
                .iter()
                .enumerate()
                .filter(|(_, x)| x.kind == kind)
            {
                let key = match peers {
                    Peers::All => None,
                    Peers::Siblings => unit.parent,
                    Peers::Within(anc) => {
                        let mut p = unit.parent;
                        while let Some(x) = p {
                            if tree.units[x].kind == anc {
                                break;
                            }
                            p = tree.units[x].parent;
                        }
                        p
                    }
                };
                let idx = *by_key.entry(key).or_insert_with(|| {
                    g.members.push(Vec::new());
                    g.members.len() - 1
                });
                g.members[idx].push(i);
                g.of.insert(i, idx);
            }
            g
        });
        groups.of.get(&u).copied().unwrap_or(0)
    }

    /// Unit `u`'s rank among its peers by node `r.value` (1 = best; unknown if any peer's value
    /// is unknown).
    fn rank(&mut self, n: u32, r: &Rank, u: usize, own: &[Value], all: &[Vec<Value>]) -> Value {
        let k = self.tree.units[u].kind;
        let g = self.group(k, r.peers, u);
        if let Some(v) = self.ranks.get(&(k, n, g)).and_then(|m| m.get(&u)) {
            return *v;
        }
        let members = self
            .groups
            .get(&(k, r.peers))
            .and_then(|gs| gs.members.get(g))
            .cloned()
            .unwrap_or_default();
        let value_of = |m: usize| {
            if m == u {
                get(own, r.value)
            } else {
                all.get(m).map_or(Value::Unknown, |v| get(v, r.value))
            }
        };
        let values: Vec<(usize, Value)> = members.iter().map(|&m| (m, value_of(m))).collect();
        let known = values.iter().all(|(_, v)| !v.is_unknown());
        let mut result = HashMap::new();
        for &(m, v) in &values {
            let rank = if known {
                let mut better = 0u64;
                for &(o, w) in &values {
                    let ord = order(w, v, r.ascending);
                    let ahead = match ord {
                        Some(Ordering::Greater) => true,
                        Some(Ordering::Equal) => {
                            r.ties == Ties::ById && self.tree.units[o].id < self.tree.units[m].id
                        }
                        _ => false,
                    };
                    if o != m && ahead {
                        better += 1;
                    }
                }
                Value::Num(Decimal::from(better + 1))
            } else {
                Value::Unknown
            };
            result.insert(m, rank);
        }
        let mine = result.get(&u).copied().unwrap_or(Value::Unknown);
        self.ranks.insert((k, n, g), result);
        mine
    }
}

/// A comparison of two values known only to lie in ranges: decided when every pair of values
/// from the ranges gives the same answer.
fn bounded(op: CmpOp, (alo, ahi): (Decimal, Decimal), (blo, bhi): (Decimal, Decimal)) -> Value {
    let decided = match op {
        CmpOp::Ge => (alo >= bhi)
            .then_some(true)
            .or((ahi < blo).then_some(false)),
        CmpOp::Gt => (alo > bhi)
            .then_some(true)
            .or((ahi <= blo).then_some(false)),
        CmpOp::Le => (ahi <= blo)
            .then_some(true)
            .or((alo > bhi).then_some(false)),
        CmpOp::Lt => (ahi < blo)
            .then_some(true)
            .or((alo >= bhi).then_some(false)),
        CmpOp::Eq | CmpOp::Ne => {
            let equal = if alo == ahi && blo == bhi && alo == blo {
                Some(true)
            } else if ahi < blo || bhi < alo {
                Some(false)
            } else {
                None
            };
            equal.map(|e| e == (op == CmpOp::Eq))
        }
    };
    decided.map_or(Value::Unknown, Value::Bool)
}

/// How `w` compares with `v` in rank order: `Greater` when `w` ranks ahead.
fn order(w: Value, v: Value, ascending: bool) -> Option<Ordering> {
    let o = match (w, v) {
        (Value::Num(a), Value::Num(b)) => a.cmp(&b),
        (Value::Date(a), Value::Date(b)) => a.cmp(&b),
        (Value::Enum(a), Value::Enum(b)) => a.cmp(&b),
        _ => return None,
    };
    Some(if ascending { o.reverse() } else { o })
}

/// Kleene conjunction: false if any is false, else unknown if any is unknown, else true.
pub fn and(xs: impl Iterator<Item = Value>) -> Value {
    let mut unknown = false;
    for x in xs {
        match x {
            Value::Bool(false) => return Value::Bool(false),
            Value::Bool(true) => {}
            _ => unknown = true,
        }
    }
    if unknown {
        Value::Unknown
    } else {
        Value::Bool(true)
    }
}

/// Kleene disjunction: true if any is true, else unknown if any is unknown, else false.
pub fn or(xs: impl Iterator<Item = Value>) -> Value {
    let mut unknown = false;
    for x in xs {
        match x {
            Value::Bool(true) => return Value::Bool(true),
            Value::Bool(false) => {}
            _ => unknown = true,
        }
    }
    if unknown {
        Value::Unknown
    } else {
        Value::Bool(false)
    }
}

fn arith(op: Arith, a: Value, b: Value) -> Value {
    let r = match (a, b) {
        (Value::Num(x), Value::Num(y)) => match op {
            Arith::Add => x.checked_add(y),
            Arith::Sub => x.checked_sub(y),
            Arith::Mul => x.checked_mul(y),
            Arith::Div => x.checked_div(y),
        }
        .map(|n| Value::Num(n.normalize())),
        (Value::Date(d), Value::Num(n)) | (Value::Num(n), Value::Date(d))
            if matches!(op, Arith::Add) || (op == Arith::Sub && matches!(a, Value::Date(_))) =>
        {
            let k = n.fract().is_zero().then(|| n.to_i64()).flatten();
            k.and_then(|k| chrono::Duration::try_days(if op == Arith::Sub { -k } else { k }))
                .and_then(|delta| d.checked_add_signed(delta))
                .map(Value::Date)
        }
        (Value::Date(x), Value::Date(y)) if op == Arith::Sub => {
            Some(Value::Num(Decimal::from((x - y).num_days())))
        }
        _ => None,
    };
    r.unwrap_or(Value::Unknown)
}

fn compare(op: CmpOp, a: Value, b: Value) -> Value {
    let ord = match (a, b) {
        (Value::Num(x), Value::Num(y)) => x.cmp(&y),
        (Value::Date(x), Value::Date(y)) => x.cmp(&y),
        (Value::Enum(x), Value::Enum(y)) => x.cmp(&y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(&y),
        _ => return Value::Unknown,
    };
    Value::Bool(match op {
        CmpOp::Ge => ord != Ordering::Less,
        CmpOp::Gt => ord == Ordering::Greater,
        CmpOp::Le => ord != Ordering::Greater,
        CmpOp::Lt => ord == Ordering::Less,
        CmpOp::Eq => ord == Ordering::Equal,
        CmpOp::Ne => ord != Ordering::Equal,
    })
}

fn call(f: Func, xs: impl Iterator<Item = Value>) -> Value {
    let mut nums = Vec::new();
    for x in xs {
        match x {
            Value::Num(n) => nums.push(n),
            _ => return Value::Unknown,
        }
    }
    let first = nums.first().copied();
    let r = match f {
        Func::Min => nums.iter().copied().min(),
        Func::Max => nums.iter().copied().max(),
        Func::Ceil => first.map(|n| n.ceil()),
        Func::Floor => first.map(|n| n.floor()),
        Func::Abs => first.map(|n| n.abs()),
        Func::Round => match (first, nums.get(1).and_then(|d| d.to_u32())) {
            (Some(n), Some(dp)) if dp <= 28 => {
                Some(n.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero))
            }
            _ => None,
        },
    };
    r.map(|n| Value::Num(n.normalize()))
        .unwrap_or(Value::Unknown)
}

/// The sub-units an aggregate ranges over, with the index of the target they match. For the
/// whole forest (`unit` is `None`), every unit (`direct`: every root).
pub fn members(agg: &Aggregate, unit: Option<usize>, tree: &UnitTree) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut visit = |u: usize| {
        if let Some(t) = agg
            .targets
            .iter()
            .position(|t| t.kind == tree.units[u].kind)
        {
            out.push((u, t));
        }
    };
    match (unit, agg.direct) {
        (Some(u), true) => tree.units[u].children.iter().for_each(|&c| visit(c)),
        (Some(u), false) => tree.for_each_descendant(u, visit),
        (None, true) => (0..tree.units.len())
            .filter(|&i| tree.units[i].parent.is_none())
            .for_each(visit),
        (None, false) => (0..tree.units.len()).for_each(visit),
    }
    out
}

/// Whether sub-unit `u` matches target `t`'s filter.
pub fn matches(agg: &Aggregate, t: usize, u: usize, all: &[Vec<Value>]) -> Value {
    match agg.targets[t].filter {
        None => Value::Bool(true),
        Some(f) => all.get(u).map_or(Value::Unknown, |v| get(v, f)),
    }
}

fn aggregate(agg: &Aggregate, members: &[(usize, usize)], all: &[Vec<Value>]) -> Value {
    if members.is_empty() {
        if let Some(v) = agg.if_none {
            return v;
        }
        return match agg.op {
            AggOp::All => Value::Bool(true),
            AggOp::Any => Value::Bool(false),
            AggOp::Count | AggOp::Sum => Value::Num(Decimal::ZERO),
            AggOp::Share => Value::Unknown,
        };
    }
    let verdicts = members.iter().map(|&(u, t)| matches(agg, t, u, all));
    match agg.op {
        AggOp::All => and(verdicts),
        AggOp::Any => or(verdicts),
        AggOp::Count | AggOp::Share => {
            let mut count = 0u64;
            for v in verdicts {
                match v {
                    Value::Bool(true) => count += 1,
                    Value::Bool(false) => {}
                    _ => return Value::Unknown,
                }
            }
            let count = Decimal::from(count);
            if agg.op == AggOp::Count {
                Value::Num(count)
            } else {
                Value::Num(count / Decimal::from(members.len() as u64))
            }
        }
        AggOp::Sum => {
            let mut total = Decimal::ZERO;
            for &(u, t) in members {
                match matches(agg, t, u, all) {
                    Value::Bool(true) => {
                        let v = agg.targets[t]
                            .value
                            .and_then(|n| all.get(u).map(|vals| get(vals, n)));
                        match v.and_then(Value::as_num).and_then(|n| total.checked_add(n)) {
                            Some(s) => total = s,
                            None => return Value::Unknown,
                        }
                    }
                    Value::Bool(false) => {}
                    _ => return Value::Unknown,
                }
            }
            Value::Num(total.normalize())
        }
    }
}
