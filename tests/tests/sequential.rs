//! Evaluation on the calling thread alone (`Context::parallel` false, the facade's
//! `Threads::Single`) never touches rayon, and gives the values of the parallel evaluation.
//!
//! The only test of its binary: it checks that rayon's global pool was never started by building
//! it after the sequential evaluations, which fails once anything has used the pool.

use duibiao::{Detail, Options, Outcome, Threads};
use duibiao_engine::incremental::Live;
use duibiao_engine::{evaluate, evaluate_in_order, Context, Evaluation, Facts};
use duibiao_tests::engine::{standard, Compiled};
use duibiao_tests::STANDARDS;
use std::sync::Arc;

/// Units of each generated forest: above the size evaluated in parallel (4,096).
const UNITS: usize = 5000;

/// A forest of [`UNITS`] units generated for `s`, loaded by the engine and by the facade.
fn generated(s: &Compiled, seed: u64) -> (Facts, duibiao::Facts) {
    let text = s.forest_text(UNITS, seed, &Default::default());
    let slug = s.standard.slug();
    let loaded = s.load_clean(slug, &text);
    assert_eq!(loaded.tree.units.len(), UNITS, "{slug}");
    let (facade, problems) = s.standard.load_facts(&text);
    assert!(problems.is_empty(), "{slug}: {problems:?}");
    (loaded, facade)
}

/// What a sequential run of one standard computed.
struct Sequential {
    standard: Compiled,
    facts: Facts,
    /// The outcome the facade gave for the same facts with `Threads::Single`.
    single: Outcome,
    ctx: Context,
    full: Evaluation,
    in_order: Evaluation,
    live: Evaluation,
}

#[test]
fn sequential_evaluation_never_touches_rayon_and_equals_parallel() {
    let runs: Vec<Sequential> = STANDARDS
        .iter()
        .enumerate()
        .map(|(seed, slug)| {
            let s = standard(slug);
            let (facts, facade) = generated(&s, 17 + seed as u64);
            let ctx = Context::new(s.graph(), &facts.params, facts.as_of)
                .unwrap_or_else(|e| panic!("{slug}: {e:?}"))
                .with_parallel(false);
            assert!(!ctx.parallel);
            let full = evaluate(s.graph(), &facts.tree, &ctx);
            let in_order = evaluate_in_order(s.graph(), &facts.tree, &ctx);
            let mut live = Live::new(Arc::clone(&s.graph), facts.tree.clone(), ctx.clone());
            let live = live.evaluation().clone();
            if let Some(as_of) = facts.as_of {
                duibiao_engine::progress::progress_with(
                    s.graph(),
                    s.standard.fingerprint(),
                    &facts.tree,
                    &facts.params,
                    as_of,
                    false,
                )
                .unwrap_or_else(|e| panic!("{slug}: {e:?}"));
            }
            let single = Options::new()
                .detail(Detail::Members)
                .threads(Threads::Single);
            let single = s
                .standard
                .evaluate(&facade, &single)
                .unwrap_or_else(|e| panic!("{slug}: {e:?}"));
            Sequential {
                standard: s,
                facts,
                single,
                ctx,
                full,
                in_order,
                live,
            }
        })
        .collect();

    // Nothing above started rayon's global pool: it can still be built (here with two threads,
    // so that the parallel evaluations below are spread even on a one-core machine).
    rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build_global()
        .unwrap_or_else(|e| panic!("the sequential evaluations started rayon's pool: {e}"));

    for run in &runs {
        let s = &run.standard;
        let slug = &s.graph().info.slug;
        let parallel = run.ctx.clone().with_parallel(true);
        assert!(parallel.parallel);
        assert_eq!(
            Context::new(s.graph(), &run.facts.params, run.facts.as_of)
                .unwrap_or_else(|e| panic!("{slug}: {e:?}")),
            parallel,
            "{slug}: a new context may evaluate in parallel"
        );
        let values = evaluate(s.graph(), &run.facts.tree, &parallel);
        assert_eq!(run.full, values, "{slug}: sequential and parallel differ");
        assert_eq!(run.in_order, values, "{slug}: in order and parallel differ");
        assert_eq!(run.live, values, "{slug}: live and parallel differ");
        for u in 0..run.facts.tree.units.len() {
            assert_eq!(
                run.full.unit(&run.facts.tree, u),
                values.unit(&run.facts.tree, u),
                "{slug}: unit {u}"
            );
        }
        let outcome = |e: &Evaluation| {
            serde_json::to_string(&duibiao_engine::outcome(
                s.graph(),
                s.standard.fingerprint(),
                &run.facts.tree,
                e,
                &parallel,
                true,
            ))
            .unwrap_or_else(|e| panic!("{slug}: {e}"))
        };
        let parallel_outcome = outcome(&values);
        assert_eq!(
            outcome(&run.full),
            parallel_outcome,
            "{slug}: outcomes differ"
        );
        assert_eq!(
            serde_json::to_string(&run.single).unwrap_or_else(|e| panic!("{slug}: {e}")),
            parallel_outcome,
            "{slug}: the facade's outcome on the calling thread is not the parallel one"
        );
    }
}
