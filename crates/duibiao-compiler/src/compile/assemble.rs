//! The last step of compiling: the immutable graph built from the lowered kinds.

use super::OVERALL;
use crate::analysis;
use crate::graph::*;
use crate::kinds::Kinds;
use crate::lower::{self, Lowerer};
use crate::order;
use duibiao_syntax::ast::{self, Span};

/// Builds the immutable graph from the lowered kinds.
pub(super) fn assemble(
    l: Lowerer,
    kinds: &Kinds,
    info: StandardInfo,
    targets: Vec<Target>,
    omitted: Vec<Omitted>,
) -> Graph {
    let src = l.src;
    let text = |span: Span| src.get(span.start..span.end).unwrap_or("").to_string();
    let mut order: Vec<usize> = kinds.order.iter().map(|&k| k as usize).collect();
    order.push(kinds.decls.len());
    let strata = analysis::strata(
        &l.states
            .iter()
            .map(|s| s.nodes.as_slice())
            .collect::<Vec<_>>(),
        &order,
    );
    let Lowerer {
        states,
        params,
        quotas,
        enums,
        reach_direct,
        ..
    } = l;
    let mut kinds_out: Vec<KindGraph> = states
        .into_iter()
        .zip(strata)
        .enumerate()
        .map(|(i, (mut st, strata))| {
            let mut deps = analysis::InputDeps::new(&st.nodes);
            let mut tiers: Vec<Tier> = st.tiers.drain(..).flatten().collect();
            for t in &mut tiers {
                for c in &mut t.conditions {
                    c.inputs = deps.of(c.node);
                }
            }
            let mut groups = Vec::new();
            for (g, parent) in &st.groups {
                let node = st.lowered(&g.name.name).unwrap_or(0);
                let requirements = g
                    .members
                    .iter()
                    .filter_map(|m| match m {
                        ast::GroupMember::Requirement(r) => {
                            let node = st.lowered(&r.name.name)?;
                            Some(Condition {
                                label: Some(r.name.name.clone()),
                                kind: ConditionKind::Rule,
                                node,
                                expr: text(r.expr.span),
                                inputs: deps.of(node),
                                applies: st.applies.get(&r.name.name).copied(),
                                source: lower::source(&r.ann, r.span),
                            })
                        }
                        ast::GroupMember::Group(_) => None,
                    })
                    .collect();
                groups.push(RequirementGroup {
                    name: g.name.name.clone(),
                    parent: *parent,
                    node,
                    requirements,
                    source: lower::source(&g.ann, g.span),
                });
            }
            let derived = st
                .derived
                .iter()
                .filter_map(|d| {
                    let (node, ty) = st.lowered_typed(&d.name.name)?;
                    Some(Named {
                        name: d.name.name.clone(),
                        node,
                        ty,
                        source: lower::source(&d.ann, d.span),
                    })
                })
                .collect();
            KindGraph {
                name: st.name.clone(),
                source: st.source.clone(),
                children: reach_direct.get(i).cloned().unwrap_or_default(),
                inputs: st.inputs,
                nodes: st.nodes,
                types: st.types,
                scorecard: st.scorecard,
                score: st.score,
                unrated: st.unrated.into_iter().filter_map(|(_, u)| u).collect(),
                caps: st.caps.into_iter().filter_map(|(_, c)| c).collect(),
                limits: st.limits,
                guides: st.guides.into_iter().map(|(_, g)| g).collect(),
                scale: st.scale,
                derived,
                groups,
                tiers,
                vetoes: st.vetoes.into_iter().filter_map(|(_, v)| v).collect(),
                consequences: st.consequences,
                strata,
                record: kinds
                    .decls
                    .get_index(i)
                    .and_then(|(_, e)| e.record)
                    .map(|_| RecordKind {
                        owners: kinds.owners.get(i).cloned().unwrap_or_default(),
                    }),
                texts: st.texts,
            }
        })
        .collect();
    let overall = kinds_out.pop().unwrap_or_else(|| KindGraph::empty(OVERALL));
    let mut graph = Graph {
        info,
        kinds: kinds_out,
        params: params.into_values().map(|(p, _)| p).collect(),
        enums,
        quotas: quotas.into_values().map(|(q, _)| q).collect(),
        targets,
        overall,
        omitted,
    };
    order::canonical(&mut graph);
    graph
}
