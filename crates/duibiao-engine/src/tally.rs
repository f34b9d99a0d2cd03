//! Running tallies of sub-units, so that an aggregate over all the descendants of a unit
//! (`all 小区 at 标准型` for a 街道) costs as many steps as the unit has children, not as many as
//! it has descendants.
//!
//! Every distinct aggregate target of the standard (a sub-unit kind, the filter its members must
//! satisfy and the value `sum` adds up) is a *key*. A unit keeps one [`Tally`] per key whose kind
//! can lie below its own: how many such descendants it has, how many match, how many are open
//! (their filter is unknown), and the sum of the matching ones' values. A unit's tally is its
//! children's tallies plus the children themselves, so it is computed from the children alone.

use crate::store::UnitValues;
use duibiao_compiler::graph::{AggTarget, Aggregate, Graph, KindGraph, Node, NodeId};
use duibiao_compiler::Value;
use duibiao_syntax::ast::AggOp;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// How the sub-units of one aggregate target stand.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Sub-units of the target's kind.
    pub members: u64,
    /// Those whose filter holds.
    pub matched: u64,
    /// Those whose filter is unknown.
    pub open: u64,
    /// The sum of the matching members' values (for `sum`).
    sum: Decimal,
    /// Whether the sum is not known: a matching member's value is unknown, or it overflows.
    sum_open: bool,
}

impl Tally {
    /// Adds another tally (of a disjoint set of sub-units).
    pub fn add(&mut self, other: &Tally) {
        self.members += other.members;
        self.matched += other.matched;
        self.open += other.open;
        if !other.sum.is_zero() {
            self.add_sum(Some(other.sum));
        }
        self.sum_open |= other.sum_open;
    }

    /// Counts one sub-unit, of `target`'s kind, with values `vals`.
    pub fn count(&mut self, target: &AggTarget, vals: &UnitValues) {
        self.members += 1;
        match matches(target, vals) {
            Value::Bool(true) => {
                self.matched += 1;
                // Only a `sum` has a value to add up.
                if let Some(n) = target.value {
                    self.add_sum(vals.get(n).as_num());
                }
            }
            Value::Bool(false) => {}
            _ => self.open += 1,
        }
    }

    /// Takes away another tally added before (of sub-units leaving this one's set), when
    /// neither holds a sum: counts are whole numbers, so taking them away undoes adding them
    /// exactly. (A sum of decimals does not come back exactly in general: rust_decimal rounds a
    /// sum whose terms differ too much in scale, and overflow is decided by the order of the
    /// terms; a tally of a `sum` is made again from its members instead, see
    /// [`TallyPlan::by_delta`].)
    fn remove(&mut self, other: &Tally) {
        // Wrapping: the counts taken away were added before, so the result is exact whatever
        // the order of taking away and adding again.
        self.members = self.members.wrapping_sub(other.members);
        self.matched = self.matched.wrapping_sub(other.matched);
        self.open = self.open.wrapping_sub(other.open);
    }

    /// Takes away one sub-unit counted before with values `vals`, of a target without a value
    /// to sum (see [`Tally::remove`]).
    fn uncount(&mut self, target: &AggTarget, vals: &UnitValues) {
        self.members = self.members.wrapping_sub(1);
        match matches(target, vals) {
            Value::Bool(true) => self.matched = self.matched.wrapping_sub(1),
            Value::Bool(false) => {}
            _ => self.open = self.open.wrapping_sub(1),
        }
    }

    fn add_sum(&mut self, value: Option<Decimal>) {
        match value.and_then(|v| self.sum.checked_add(v)) {
            Some(s) => self.sum = s,
            None => self.sum_open = true,
        }
    }

    /// Those whose filter fails.
    pub fn failed(&self) -> u64 {
        self.members - self.matched - self.open
    }

    /// The value of aggregate `agg` over these sub-units (three-valued: unknown when open
    /// members could change it).
    pub fn value(&self, agg: &Aggregate) -> Value {
        if self.members == 0 {
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
        let decided = self.open == 0;
        match agg.op {
            AggOp::All if self.failed() > 0 => Value::Bool(false),
            AggOp::Any if self.matched > 0 => Value::Bool(true),
            AggOp::All | AggOp::Any if !decided => Value::Unknown,
            AggOp::All => Value::Bool(true),
            AggOp::Any => Value::Bool(false),
            _ if !decided => Value::Unknown,
            AggOp::Count => Value::Num(Decimal::from(self.matched)),
            AggOp::Share => Value::Num(Decimal::from(self.matched) / Decimal::from(self.members)),
            AggOp::Sum if self.sum_open => Value::Unknown,
            AggOp::Sum => Value::Num(self.sum.normalize()),
        }
    }

    /// The least and greatest value a count or share can take: with none and with all of the
    /// open members matching (`None` for other operators, and for a share of nothing).
    pub fn range(&self, op: AggOp) -> Option<(Decimal, Decimal)> {
        let (lo, hi) = (
            Decimal::from(self.matched),
            Decimal::from(self.matched + self.open),
        );
        match op {
            AggOp::Count => Some((lo, hi)),
            AggOp::Share if self.members > 0 => {
                let n = Decimal::from(self.members);
                Some((lo / n, hi / n))
            }
            _ => None,
        }
    }
}

/// Whether a sub-unit with values `vals` matches `target`'s filter.
pub fn matches(target: &AggTarget, vals: &UnitValues) -> Value {
    match target.filter {
        None => Value::Bool(true),
        Some(f) => vals.get(f),
    }
}

/// Pairs of places in two tally blocks, or of a place and a key.
type Links = Vec<(u32, u32)>;

/// Which tallies each kind keeps, and where: derived from the graph once per evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct TallyPlan {
    /// Every distinct target of an aggregate over all descendants (the keys).
    keys: Vec<AggTarget>,
    /// Per kind: the keys it keeps a tally of, in the order of its tally block.
    held: Vec<Vec<u32>>,
    /// Per kind and key: the key's place in the kind's tally block.
    place: Vec<Vec<Option<u32>>>,
    /// Per kind of parent, per kind of child: which of the child's tallies add to which of the
    /// parent's (parent's place, child's place).
    from_tallies: Vec<Vec<Links>>,
    /// Per kind of parent, per kind of child: which of the parent's tallies count the child
    /// itself (parent's place, key).
    from_child: Vec<Vec<Links>>,
    /// Per kind graph (the kinds, then the whole forest's) and node: for an aggregate over all
    /// descendants, each target's key (`None` for a kind an earlier target already ranges over).
    targets: Vec<Vec<Vec<Option<u32>>>>,
    /// Per kind: whether its tallies are kept by delta when a sub-unit changes (none of them
    /// holds a sum; see [`TallyPlan::by_delta`]).
    delta: Vec<bool>,
    /// Per kind: the nodes of its units that aggregates over them read (filters and summed
    /// values), and whether a `sum` reads them (see [`TallyPlan::reads_same`]).
    read: Vec<(Vec<NodeId>, bool)>,
}

/// Whether a sub-unit's part is added to its parent's tallies or taken away from them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sign {
    Add,
    Remove,
}

impl TallyPlan {
    /// The plan for `graph`.
    pub fn new(graph: &Graph) -> Self {
        let kinds = graph.kinds.len();
        let all: Vec<&KindGraph> = graph.kinds.iter().chain([&graph.overall]).collect();
        let mut keys: Vec<AggTarget> = Vec::new();
        let mut index: HashMap<AggTarget, u32> = HashMap::new();
        let mut targets = Vec::with_capacity(all.len());
        for kg in &all {
            let per_node = kg
                .nodes
                .iter()
                .map(|node| match node {
                    Node::Aggregate(agg) if !agg.direct => agg
                        .targets
                        .iter()
                        .enumerate()
                        .map(|(i, t)| {
                            if agg.targets[..i].iter().any(|e| e.kind == t.kind) {
                                return None;
                            }
                            let next = keys.len() as u32;
                            let key = *index.entry(t.clone()).or_insert_with(|| {
                                keys.push(t.clone());
                                next
                            });
                            Some(key)
                        })
                        .collect(),
                    _ => Vec::new(),
                })
                .collect();
            targets.push(per_node);
        }
        // The kinds that can lie strictly below each kind.
        let below: Vec<Vec<bool>> = (0..kinds)
            .map(|k| {
                let mut seen = vec![false; kinds];
                let mut stack: Vec<u32> = graph.kinds[k].children.clone();
                while let Some(c) = stack.pop() {
                    if let Some(s) = seen.get_mut(c as usize).filter(|s| !**s) {
                        *s = true;
                        stack.extend(graph.kinds[c as usize].children.iter().copied());
                    }
                }
                seen
            })
            .collect();
        let held: Vec<Vec<u32>> = below
            .iter()
            .map(|below| {
                (0..keys.len() as u32)
                    .filter(|&k| below.get(keys[k as usize].kind as usize) == Some(&true))
                    .collect()
            })
            .collect();
        let place: Vec<Vec<Option<u32>>> = held
            .iter()
            .map(|h| {
                let mut p = vec![None; keys.len()];
                for (i, &k) in h.iter().enumerate() {
                    p[k as usize] = Some(i as u32);
                }
                p
            })
            .collect();
        let pairs = |parent: usize, child: usize| -> (Links, Links) {
            let mut tallies = Vec::new();
            let mut own = Vec::new();
            for (i, &k) in held[parent].iter().enumerate() {
                if let Some(c) = place[child][k as usize] {
                    tallies.push((i as u32, c));
                }
                if keys[k as usize].kind as usize == child {
                    own.push((i as u32, k));
                }
            }
            (tallies, own)
        };
        let (mut from_tallies, mut from_child) = (Vec::new(), Vec::new());
        for parent in 0..kinds {
            let (t, c): (Vec<_>, Vec<_>) = (0..kinds).map(|child| pairs(parent, child)).unzip();
            from_tallies.push(t);
            from_child.push(c);
        }
        let delta = held
            .iter()
            .map(|h| h.iter().all(|&k| keys[k as usize].value.is_none()))
            .collect();
        let mut read = vec![(Vec::new(), false); kinds];
        for kg in &all {
            for node in &kg.nodes {
                let Node::Aggregate(agg) = node else {
                    continue;
                };
                for t in &agg.targets {
                    if let Some((nodes, summed)) = read.get_mut(t.kind as usize) {
                        *summed |= agg.op == AggOp::Sum || t.value.is_some();
                        for n in t.filter.iter().chain(&t.value) {
                            if !nodes.contains(n) {
                                nodes.push(*n);
                            }
                        }
                    }
                }
            }
        }
        TallyPlan {
            keys,
            held,
            place,
            from_tallies,
            from_child,
            targets,
            delta,
            read,
        }
    }

    /// Every key: the distinct targets of aggregates over all descendants.
    pub fn keys(&self) -> &[AggTarget] {
        &self.keys
    }

    /// Adds a root of kind `kind` (its values `values`, its tallies `tallies`) to the whole
    /// forest's tallies `forest`, one per key.
    pub fn add_root(
        &self,
        forest: &mut [Tally],
        kind: u32,
        values: &UnitValues,
        tallies: &[Tally],
    ) {
        for ((key, target), total) in (0..).zip(&self.keys).zip(forest.iter_mut()) {
            if target.kind == kind {
                total.count(target, values);
            }
            if let Some(t) = self.place(kind, key).and_then(|p| tallies.get(p)) {
                total.add(t);
            }
        }
    }

    /// How many tallies a unit of `kind` keeps.
    pub fn len(&self, kind: u32) -> usize {
        self.held.get(kind as usize).map_or(0, Vec::len)
    }

    /// Whether the tallies of a unit of `kind` can be kept by delta: a changed sub-unit's old
    /// part taken away ([`TallyPlan::remove_child`]) and its new part added
    /// ([`TallyPlan::add_child`]), rather than every child tallied again. True when none of
    /// them holds a sum (`all`, `any`, `count` and `share` read counts alone, which come back
    /// exactly; see [`Tally::remove`]).
    pub fn by_delta(&self, kind: u32) -> bool {
        self.delta.get(kind as usize).copied().unwrap_or(false)
    }

    /// Whether a unit of `kind` shows the units above it the same before (`old`) and after
    /// (`new`) a change: every node an aggregate over it reads (its filters, and values summed)
    /// has the same value. (Its tallies, which its parent adds up, are compared apart.) Never for
    /// a kind whose values are summed, since a sum over unknown values reads their ranges too.
    pub fn reads_same(&self, kind: u32, old: &UnitValues, new: &UnitValues) -> bool {
        self.read.get(kind as usize).is_some_and(|(nodes, summed)| {
            !summed && nodes.iter().all(|&n| old.get(n) == new.get(n))
        })
    }

    /// Adds a child of kind `child` to its parent's tallies (`parent`, of kind `kind`): the
    /// child's own tallies (`child_tallies`) and the child itself (its values `child_values`).
    pub fn add_child(
        &self,
        kind: u32,
        parent: &mut [Tally],
        child: u32,
        child_tallies: &[Tally],
        child_values: &UnitValues,
    ) {
        self.child(Sign::Add, kind, parent, child, child_tallies, child_values);
    }

    /// Takes a child added before by [`TallyPlan::add_child`] (with the same tallies and
    /// values) away from its parent's tallies, the parent's kind kept by delta
    /// ([`TallyPlan::by_delta`]).
    pub fn remove_child(
        &self,
        kind: u32,
        parent: &mut [Tally],
        child: u32,
        child_tallies: &[Tally],
        child_values: &UnitValues,
    ) {
        self.child(
            Sign::Remove,
            kind,
            parent,
            child,
            child_tallies,
            child_values,
        );
    }

    /// Adds or takes away a child's part of its parent's tallies.
    fn child(
        &self,
        sign: Sign,
        kind: u32,
        parent: &mut [Tally],
        child: u32,
        child_tallies: &[Tally],
        child_values: &UnitValues,
    ) {
        let (Some(tallies), Some(own)) = (
            self.from_tallies
                .get(kind as usize)
                .and_then(|t| t.get(child as usize)),
            self.from_child
                .get(kind as usize)
                .and_then(|t| t.get(child as usize)),
        ) else {
            return;
        };
        for &(p, c) in tallies {
            if let (Some(to), Some(from)) =
                (parent.get_mut(p as usize), child_tallies.get(c as usize))
            {
                match sign {
                    Sign::Add => to.add(from),
                    Sign::Remove => to.remove(from),
                }
            }
        }
        for &(p, k) in own {
            if let (Some(to), Some(target)) =
                (parent.get_mut(p as usize), self.keys.get(k as usize))
            {
                match sign {
                    Sign::Add => to.count(target, child_values),
                    Sign::Remove => to.uncount(target, child_values),
                }
            }
        }
    }

    /// The keys of aggregate node `n` of kind graph `graph_index` (a kind, or the number of
    /// kinds for the whole forest's graph), one per target.
    pub fn targets(&self, graph_index: usize, n: u32) -> &[Option<u32>] {
        self.targets
            .get(graph_index)
            .and_then(|t| t.get(n as usize))
            .map_or(&[], Vec::as_slice)
    }

    /// The place of `key` in the tally block of a unit of `kind`, if it keeps one.
    pub fn place(&self, kind: u32, key: u32) -> Option<usize> {
        self.place
            .get(kind as usize)
            .and_then(|p| p.get(key as usize))
            .copied()
            .flatten()
            .map(|p| p as usize)
    }
}
