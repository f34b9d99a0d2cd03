//! Conditions that read dated records (积分记录): the planner does not plan them, since a record
//! is something that happened (an addition or deduction with its date), not a value to set; the
//! reason says so.

use super::{Planner, Reason};
use duibiao_compiler::graph::{KindGraph, Node, NodeId};

impl Planner<'_> {
    /// The kind of record node `n` of `kg` reads through an aggregate, directly or through the
    /// nodes it reads, if any.
    pub(super) fn records_read(&self, kg: &KindGraph, n: NodeId) -> Option<&str> {
        let mut seen = vec![false; kg.nodes.len()];
        let mut stack = vec![n];
        while let Some(x) = stack.pop() {
            match seen.get_mut(x as usize) {
                Some(s) if !*s => *s = true,
                _ => continue,
            }
            let Some(node) = kg.nodes.get(x as usize) else {
                continue;
            };
            if let Node::Aggregate(agg) = node {
                let record = agg
                    .targets
                    .iter()
                    .filter_map(|t| self.graph.kinds.get(t.kind as usize))
                    .find(|k| k.is_record());
                if let Some(record) = record {
                    return Some(&record.name);
                }
            }
            node.for_each_operand(|o| stack.push(o));
        }
        None
    }

    /// Why a condition reading the records `records` of a unit of `kg` is not planned.
    pub(super) fn records_reason(&self, kg: &KindGraph, records: &str) -> Reason {
        Reason::not_planned(
            format!("`{}` 的一项条件取决于 `{records}`：记录是已经发生的加减分（每条有日期），不是可以改填的数据，所以不自动规划；新增记录后重新评价，或用 `--set` 试算已有记录的改动（如 `A#2.分值=3`）", kg.name),
            format!("a condition of `{}` depends on `{records}`: records are additions and deductions that happened (each with its date), not values to fill in, so they are not planned; evaluate again once new records are added, or try changes to a record by hand with `--set` (such as `A#2.分值=3`)", kg.name),
        )
    }
}
