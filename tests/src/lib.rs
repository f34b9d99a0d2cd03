//! Shared helpers for the cross-crate tests: where the repository is, loading its standards,
//! reading problems, and for the tests of the engine's internals (which the facade does not
//! re-export), the same standards as the engine sees them.

use std::path::{Path, PathBuf};

/// Every standard of the repository, by slug.
pub const STANDARDS: [&str; 6] = [
    "chunjiang-365",
    "haiyan-2021",
    "jiaxing-2016",
    "quality-2020",
    "shengzhou-2015",
    "zhuji-2018",
];

/// The repository's root directory.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Reads a file of the repository, by path relative to its root.
pub fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
}

/// Compiles `standards/<slug>.std`, failing the test with its diagnostics if it does not compile.
pub fn standard(slug: &str) -> duibiao::Standard {
    compile_file(&format!("standards/{slug}.std"))
}

/// Compiles the `.std` file at `rel` (relative to the root), failing the test with its
/// diagnostics if it does not compile.
pub fn compile_file(rel: &str) -> duibiao::Standard {
    duibiao::Standard::compile(rel, &read(rel))
        .unwrap_or_else(|e| panic!("{rel} does not compile:\n{}", e.render(duibiao::Lang::En)))
}

/// The facts files of the cases in the folder `dir` (relative to the root): every `NAME.json`
/// beside its `NAME.expected.json`, by name.
pub fn case_files(dir: &str) -> Vec<String> {
    let path = root().join(dir);
    let mut files: Vec<String> = std::fs::read_dir(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".json") && !n.ends_with(".expected.json"))
        .collect();
    files.sort();
    files
}

/// The unit and the key a problem is about, when it is about a position in data (a facts-loading
/// problem names them there).
pub fn unit_key(p: &duibiao::Problem) -> (Option<&str>, Option<&str>) {
    match &p.location {
        Some(duibiao::Location::Data { unit, key, .. }) => (unit.as_deref(), key.as_deref()),
        _ => (None, None),
    }
}

/// The codes of the problems a call failed with, in order; none when it succeeded.
pub fn codes<T>(result: Result<T, duibiao::Problems>) -> Vec<String> {
    result.err().into_iter().flatten().map(|p| p.code).collect()
}

/// The outcome of the facts `facts` under the standard written in `source`: both must be free
/// of problems.
pub fn outcome_of(source: &str, facts: &str) -> duibiao::Outcome {
    let std = duibiao::Standard::compile("test.std", source)
        .unwrap_or_else(|e| panic!("{}", e.render(duibiao::Lang::En)));
    let (loaded, problems) = std.load_facts(facts);
    assert!(problems.is_empty(), "{problems:?}");
    std.evaluate(&loaded, &duibiao::Options::new())
        .unwrap_or_else(|e| panic!("{e:?}"))
}

/// Small random forests for property tests, drawn by [`duibiao::generate`].
pub mod generate {
    use duibiao::generate::Shape;
    use duibiao::Standard;
    use serde_json::Value;

    pub use duibiao::generate::Rng;

    /// A small random forest of `std`: 8 to 47 units (by the seed), 0 to 4 sub-units of each
    /// contained kind per parent, scores and facts filled with plausible values, vetoes one time
    /// in ten, and `missing` percent of the values left out.
    pub fn forest(std: &Standard, seed: u64, missing: u64) -> Value {
        // The contained kinds are those a shape may give a fan-out (the others are roots).
        let fanout = std
            .kinds()
            .into_iter()
            .map(|k| (k.to_string(), (0, 4)))
            .filter(|(k, range)| {
                let one = Shape {
                    fanout: [(k.clone(), *range)].into(),
                    ..Shape::default()
                };
                one.check(std).is_ok()
            })
            .collect();
        let shape = Shape {
            fanout,
            missing: missing as f64,
            veto: 10.0,
            as_of: None,
        };
        duibiao::generate::forest(std, 8 + (seed % 40) as usize, seed, &shape)
    }
}

/// The engine underneath the facade, for tests of its internals: the evaluation graph, the
/// loaded forest, raw evaluations. A [`Compiled`] holds a standard both as the facade compiles
/// it and as the engine sees it, compiled from the same text.
pub mod engine {
    use duibiao::generate::Shape;
    use duibiao::Standard;
    use duibiao_compiler::Graph;
    use duibiao_engine::{Context, Facts, FactsError};
    use std::sync::Arc;

    /// A standard compiled by the facade, and the engine's graph of the same text.
    #[derive(Debug, Clone)]
    pub struct Compiled {
        /// The facade's standard.
        pub standard: Standard,
        /// The evaluation graph of the same text.
        pub graph: Arc<Graph>,
    }

    /// Compiles `standards/<slug>.std` both ways, failing the test if it does not compile.
    pub fn standard(slug: &str) -> Compiled {
        let rel = format!("standards/{slug}.std");
        compile(&rel, &crate::read(&rel))
    }

    /// Compiles the text of the `.std` file `file` both ways, failing the test if it does not
    /// compile; the graph is the one whose fingerprint the facade's standard has.
    pub fn compile(file: &str, source: &str) -> Compiled {
        let standard = Standard::compile(file, source).unwrap_or_else(|e| {
            panic!("{file} does not compile:\n{}", e.render(duibiao::Lang::En))
        });
        let compiled = duibiao_compiler::compile(source);
        assert_eq!(
            compiled.fingerprint.as_deref(),
            Some(standard.fingerprint()),
            "{file}: the compiler's fingerprint is not the facade's"
        );
        let graph = compiled
            .graph
            .unwrap_or_else(|| panic!("{file}: the compiler gave no graph"));
        Compiled {
            standard,
            graph: Arc::new(graph),
        }
    }

    impl Compiled {
        /// The evaluation graph.
        pub fn graph(&self) -> &Graph {
            &self.graph
        }

        /// Loads a facts file with the engine's loader: what could be loaded, and every error.
        pub fn load(&self, text: &str) -> (Facts, Vec<FactsError>) {
            duibiao_engine::facts::load(&self.graph, text, &Default::default())
        }

        /// Loads a facts file that must load without errors (`what` names it in the failure).
        pub fn load_clean(&self, what: &str, text: &str) -> Facts {
            let (facts, errors) = self.load(text);
            assert!(
                errors.is_empty(),
                "{what}: the facts do not load: {errors:?}"
            );
            facts
        }

        /// A forest of `units` units generated from `seed` in the shape `shape`, as text.
        pub fn forest_text(&self, units: usize, seed: u64, shape: &Shape) -> String {
            duibiao::generate::forest(&self.standard, units, seed, shape).to_string()
        }

        /// A forest of `units` units generated from `seed` (default shape), loaded by the engine
        /// (the generator makes no bad facts).
        pub fn generated(&self, units: usize, seed: u64) -> Facts {
            let what = format!("{}: generated forest", self.standard.slug());
            self.load_clean(&what, &self.forest_text(units, seed, &Shape::default()))
        }

        /// The evaluation context of loaded facts: the parameter values and the date they give.
        pub fn context(&self, facts: &Facts) -> Context {
            Context::new(&self.graph, &facts.params, facts.as_of)
                .unwrap_or_else(|e| panic!("{}: {e:?}", self.standard.slug()))
        }
    }
}

/// Branches under two streets (`J0`, `J1`), each a 社区 or an 其他 with a score (or none) and one
/// yes/no fact: the forests the tests of limits pooled over kinds (`pooled.rs`) and of floors
/// (`floor.rs`) draw.
pub mod branches {
    use duibiao::{Assignment, Detail, Options, Outcome, Standard};
    use proptest::prelude::*;
    use serde_json::json;

    /// One branch: its street (0 or 1), kind, score (`None`: not given) and its yes/no fact.
    #[derive(Debug, Clone)]
    pub struct Branch {
        /// 0 or 1: `J0` or `J1`.
        pub street: usize,
        /// A 社区, else an 其他.
        pub community: bool,
        /// Its score; `None` when not given.
        pub score: Option<u32>,
        /// Its yes/no fact.
        pub flag: bool,
    }

    /// Random lists of 1 to 15 branches: each in either street, a 社区 or not, its score drawn
    /// from `scores` (not given, with probability `missing`), its yes/no fact true with
    /// probability `flag`.
    pub fn strategy(
        scores: Vec<u32>,
        missing: f64,
        flag: f64,
    ) -> impl Strategy<Value = Vec<Branch>> {
        let one = (
            0usize..2,
            any::<bool>(),
            prop::sample::select(scores),
            prop::bool::weighted(missing),
            prop::bool::weighted(flag),
        )
            .prop_map(|(street, community, score, gone, flag)| Branch {
                street,
                community,
                score: (!gone).then_some(score),
                flag,
            });
        prop::collection::vec(one, 1..16)
    }

    /// The id of the `i`-th branch.
    pub fn id(i: usize) -> String {
        format!("B{i:02}")
    }

    /// The facts file of `branches` for the standard `slug`, the yes/no fact named `flag`.
    pub fn facts(slug: &str, flag: &str, branches: &[Branch]) -> String {
        let mut units = vec![
            json!({"id": "J0", "kind": "街镇"}),
            json!({"id": "J1", "kind": "街镇"}),
        ];
        for (i, b) in branches.iter().enumerate() {
            let kind = if b.community { "社区" } else { "其他" };
            let mut u = json!({
                "id": id(i), "kind": kind, "parent": format!("J{}", b.street),
                "facts": {flag: b.flag}
            });
            if let Some(s) = b.score {
                u["scores"] = json!({"1": s});
            }
            units.push(u);
        }
        json!({ "standard": slug, "units": units }).to_string()
    }

    /// The outcome of `branches` (see [`facts`]) by `std`, loaded without a problem.
    pub fn evaluate(std: &Standard, flag: &str, branches: &[Branch]) -> Outcome {
        let (loaded, errors) = std.load_facts(&facts(std.slug(), flag, branches));
        assert!(errors.is_empty(), "{errors:?}");
        std.evaluate(&loaded, &Options::new())
            .unwrap_or_else(|e| panic!("{e:?}"))
    }

    /// A share (in percent) of `n` units, rounded as written (`up`, `nearest`, else down).
    pub fn rounded(share: u32, n: usize, rounding: &str) -> usize {
        let exact = share as usize * n; // in hundredths of a unit
        match rounding {
            "up" => exact.div_ceil(100),
            "nearest" => (exact + 50) / 100,
            _ => exact / 100,
        }
    }

    /// Applies `changes` (a branch, taken modulo their number, and its new score or none) one by
    /// one to a live evaluation of `branches`, and after each compares every unit's outcome with
    /// a full evaluation of the changed facts: the first difference, if there is one.
    pub fn live_differs(
        std: &Standard,
        flag: &str,
        branches: &[Branch],
        changes: &[(usize, Option<u32>)],
    ) -> Option<String> {
        let text = facts(std.slug(), flag, branches);
        let (loaded, _) = std.load_facts(&text);
        let (reference, _) = std.load_facts(&text);
        let detail = Options::new().detail(Detail::Members);
        let mut live = std
            .live(loaded, &detail)
            .unwrap_or_else(|e| panic!("{e:?}"));
        let mut changed = detail.clone();
        for (i, score) in changes {
            let unit = id(i % branches.len());
            let value = score.map_or("null".to_string(), |s| s.to_string());
            let assignment = Assignment::Text(format!("{unit}.1={value}"));
            live.assign(&assignment)
                .unwrap_or_else(|e| panic!("{assignment:?}: {e:?}"));
            changed = changed.set(assignment.clone());
            let full = std
                .evaluate(&reference, &changed)
                .unwrap_or_else(|e| panic!("{e:?}"));
            for expected in &full.units {
                let got = live.unit(&expected.id);
                if got.as_ref() != Some(expected) {
                    return Some(format!(
                        "after {assignment:?}: live {got:?}, full evaluation {expected:?}"
                    ));
                }
            }
        }
        None
    }
}
