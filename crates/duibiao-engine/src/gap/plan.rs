//! The planner's search: repairing until the target holds, finding the steps that turn a
//! condition, and dropping the points changes that are not needed.

use super::adjust::adjustable;
use super::top::Top;
use super::work::Work;
use super::{Planner, Reason, Step, MAX_ROUNDS};
use crate::tree::UnitTree;
use duibiao_compiler::graph::{Aggregate, InputOrigin, KindGraph, Node, NodeId};
use duibiao_compiler::Value;
use duibiao_syntax::ast::{AggOp, CmpOp};

impl<'g> Planner<'g> {
    pub(super) fn kind(&self, tree: &UnitTree, u: usize) -> &'g KindGraph {
        &self.graph.kinds[tree.units[u].kind as usize]
    }

    /// The kinds an aggregate ranges over, as messages name them: `` `小区` ``, `` `楼宇`、`商圈` ``.
    pub(super) fn sub_kinds(&self, agg: &Aggregate, sep: &str) -> String {
        let names: Vec<String> = agg
            .targets
            .iter()
            .filter_map(|t| self.graph.kinds.get(t.kind as usize))
            .map(|k| format!("`{}`", k.name))
            .collect();
        names.join(sep)
    }

    /// Repairs until node `n` of unit `u` holds.
    pub(super) fn reach(&self, work: &mut Work, u: usize, n: NodeId) -> Result<(), Vec<Reason>> {
        for _ in 0..MAX_ROUNDS {
            work.refresh(u);
            if work.holds(u, n) {
                return Ok(());
            }
            let steps = self.make(work, u, n, true)?;
            if steps.is_empty() {
                return Err(vec![Reason::new(
                    "没有找到能达到目标的改动".into(),
                    "no change brings the target closer".into(),
                )]);
            }
            for (unit, slot, v) in steps {
                work.set(unit, slot, v);
            }
        }
        Err(vec![Reason::new(
            "改动步骤过多，没有找到计划".into(),
            "too many steps: no plan found".into(),
        )])
    }

    /// Drops every points change whose reversal still reaches the target, last first, until none
    /// can be dropped (undoing one change can make another unnecessary).
    pub(super) fn minimise(&self, work: &mut Work, u: usize, n: NodeId) {
        work.refresh(u);
        let mut top = Top::new(self.graph, work, u, n);
        loop {
            let changed: Vec<(usize, usize, Value)> = work
                .changes_since(0)
                .into_iter()
                .filter(|&(i, slot, _, _)| {
                    matches!(
                        self.kind(&work.tree, i).inputs.get(slot).map(|s| &s.origin),
                        Some(InputOrigin::Points { .. })
                    )
                })
                .map(|(i, slot, before, _)| (i, slot, before))
                .collect();
            let mut dropped = false;
            for &(i, slot, before) in changed.iter().rev() {
                let gone = match top.as_mut() {
                    Some(top) => top.undo_if_unneeded(self.graph, work, (i, slot, before), n),
                    None => {
                        let Some(after) = work.input(i, slot) else {
                            continue;
                        };
                        work.set(i, slot, before);
                        work.refresh(u);
                        if work.holds(u, n) {
                            true
                        } else {
                            work.set(i, slot, after);
                            false
                        }
                    }
                };
                dropped |= gone;
            }
            if !dropped {
                return;
            }
        }
    }

    /// Steps that move node `n` of unit `u` towards `want` (true or false).
    fn make(
        &self,
        work: &mut Work,
        u: usize,
        n: NodeId,
        want: bool,
    ) -> Result<Vec<Step>, Vec<Reason>> {
        let kg = self.kind(&work.tree, u);
        let Some(node) = kg.nodes.get(n as usize) else {
            return Err(Vec::new());
        };
        if matches!(node, Node::Compare(..) | Node::Aggregate(_)) {
            if let Some(records) = self.records_read(kg, n) {
                return Err(vec![self.records_reason(kg, records)]);
            }
        }
        match (node, want) {
            (Node::Input(slot), _) => Ok(vec![(u, *slot, Value::Bool(want))]),
            (Node::Not(x), _) => self.make(work, u, *x, !want),
            (Node::And(xs), true) | (Node::Or(xs), false) => {
                // The first part that does not yet have the wanted value.
                match xs.iter().find(|x| work.value(u, **x) != Value::Bool(want)) {
                    Some(x) => self.make(work, u, *x, want),
                    None => Ok(Vec::new()),
                }
            }
            (Node::Or(xs), true) | (Node::And(xs), false) => {
                // The cheapest part to turn; doing what a rule asks comes before escaping its
                // premise (`要求 when 前提` holds by doing the 要求, not by undoing the 前提).
                let mut best: Option<(bool, Vec<Step>)> = None;
                let mut why = Vec::new();
                for x in xs {
                    let escape = want && matches!(kg.nodes.get(*x as usize), Some(Node::Not(_)));
                    match self.make(work, u, *x, want) {
                        Ok(s)
                            if best
                                .as_ref()
                                .is_none_or(|(e, b)| (escape, s.len()) < (*e, b.len())) =>
                        {
                            best = Some((escape, s))
                        }
                        Ok(_) => {}
                        Err(r) => why.extend(r),
                    }
                }
                best.map(|b| b.1).ok_or(why)
            }
            (Node::Compare(op, a, b), _) => {
                let op = if want { *op } else { op.negated() };
                self.compare(work, u, op, *a, *b)
            }
            (Node::Aggregate(agg), _) if agg.op == AggOp::All && want => {
                self.lift(work, u, agg, usize::MAX)
            }
            (Node::Aggregate(agg), _) if agg.op == AggOp::Any && want => self.lift(work, u, agg, 1),
            _ => Err(vec![self.cannot(kg, &[n])]),
        }
    }

    /// Why the planner leaves nodes `ns` of kind `kg` to changes by hand: what they read that it
    /// does not solve (other units' places, a formula), or else a comparison whose sides both vary.
    pub(super) fn cannot(&self, kg: &KindGraph, ns: &[NodeId]) -> Reason {
        let (mut ranked, mut formula) = (false, false);
        let mut seen = vec![false; kg.nodes.len()];
        let mut stack = ns.to_vec();
        while let Some(x) = stack.pop() {
            let Some(node) = kg.nodes.get(x as usize) else {
                continue;
            };
            if std::mem::replace(&mut seen[x as usize], true) {
                continue;
            }
            match node {
                Node::Rank(_) | Node::Peers(..) | Node::PeersWhere(..) | Node::Cutoff(..) => {
                    ranked = true
                }
                Node::Call(..) | Node::If(..) | Node::Arith(..) | Node::Neg(_) => formula = true,
                _ => {}
            }
            node.for_each_operand(|y| stack.push(y));
        }
        let (zh, en) = match (ranked, formula) {
            (true, _) => (
                "它取决于其他单位的名次（排名、限额、下限），改动本单位的数据不一定能改变",
                "it depends on other units' places (a rank, a limit or a floor), which this unit's data alone may not change",
            ),
            (false, true) => ("它取决于计算公式", "it depends on a formula"),
            _ => ("比较的两边都会变化", "both sides of a comparison vary"),
        };
        Reason::not_planned(
            format!("`{}` 的一项条件不能自动规划：{zh}；可以用 `--set` 手动尝试", kg.name),
            format!(
                "a condition of `{}` is not planned automatically: {en}; try changes by hand with `--set`",
                kg.name
            ),
        )
    }

    /// Steps that make `a op b` hold, adjusting `a` (or `b` when `a` is fixed).
    fn compare(
        &self,
        work: &mut Work,
        u: usize,
        op: CmpOp,
        a: NodeId,
        b: NodeId,
    ) -> Result<Vec<Step>, Vec<Reason>> {
        let kg = self.kind(&work.tree, u);
        let (va, vb) = (work.value(u, a), work.value(u, b));
        if let (Some(bound), true) = (vb.as_num(), adjustable(kg, a)) {
            return self.adjust(work, u, a, op, bound);
        }
        if let (Some(bound), true) = (va.as_num(), adjustable(kg, b)) {
            return self.adjust(work, u, b, op.flipped(), bound);
        }
        match (kg.nodes.get(a as usize), vb) {
            // A level or a date reported by the unit: set it to what is required.
            (Some(Node::Input(slot)), known)
                if !known.is_unknown() && matches!(op, CmpOp::Ge | CmpOp::Le | CmpOp::Eq) =>
            {
                Ok(vec![(u, *slot, known)])
            }
            _ => Err(vec![self.cannot(kg, &[a, b])]),
        }
    }
}
