//! Lifting sub-units: each tried by its own plan and undone, the fewest changes first, until an
//! aggregate of the unit counts enough of them.

use super::work::Work;
use super::{Planner, Reason, Step};
use crate::eval::{matches, members};
use duibiao_compiler::graph::Aggregate;
use duibiao_compiler::Value;

impl Planner<'_> {
    /// Lifts up to `count` sub-units that do not match the aggregate's filter (unknown ones
    /// first, then those needing the fewest changes; ties in the facts' order) by their own plans.
    pub(super) fn lift(
        &self,
        work: &mut Work,
        u: usize,
        agg: &Aggregate,
        count: usize,
    ) -> Result<Vec<Step>, Vec<Reason>> {
        let kg = self.kind(&work.tree, u);
        let mut candidates: Vec<(usize, Vec<Step>)> = Vec::new();
        let mut why = Vec::new();
        let open: Vec<(usize, usize)> = members(agg, Some(u), &work.tree)
            .into_iter()
            .filter(|(s, t)| matches(agg, *t, *s, &work.tree, &work.eval) != Value::Bool(true))
            .collect();
        for (s, t) in &open {
            let Some(filter) = agg.targets[*t].filter else {
                continue;
            };
            // The sub-unit's own plan, tried on the forest and undone: only its subtree changes,
            // and only it and its subtree are evaluated again.
            let mark = work.log.len();
            match self.reach(work, *s, filter) {
                Ok(()) => {
                    let steps = work.changes_since(mark).into_iter();
                    candidates.push((*s, steps.map(|(i, slot, _, v)| (i, slot, v)).collect()));
                }
                Err(r) => why.extend(r),
            }
            work.undo(mark);
            work.refresh(*s);
        }
        let needed = count.min(open.len());
        if candidates.len() < needed || (count != usize::MAX && candidates.len() < count) {
            let have = candidates.len();
            let want = if count == usize::MAX {
                open.len()
            } else {
                count
            };
            why.push(Reason::new(
                format!(
                    "`{}` 需要再有 {want} 个下级单位（{}）达标，但只有 {have} 个能够提升",
                    kg.name,
                    self.sub_kinds(agg, "、")
                ),
                format!(
                    "`{}` needs {want} more sub-units ({}) to qualify but only {have} can be lifted",
                    kg.name,
                    self.sub_kinds(agg, " or ")
                ),
            ));
            return Err(why);
        }
        // Fewest changes first; a stable sort keeps the facts' order among equals.
        candidates.sort_by_key(|(_, steps)| steps.len());
        Ok(candidates
            .into_iter()
            .take(needed)
            .flat_map(|(_, s)| s)
            .collect())
    }
}
