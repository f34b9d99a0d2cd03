//! A compiled standard and the operations on it: load facts, evaluate, explain, report progress,
//! plan the gap to a tier, compare two evaluations, keep an evaluation live, and write a facts
//! template. Every operation takes the same [`Options`] and reports every problem in the one
//! [`Problem`] shape.

use crate::codes::Code;
use crate::facts::Facts;
use crate::limits::Limits;
use crate::live::Live;
use crate::options::{Assignment, Detail, Options, Threads};
use crate::problem::{Location, Problem, Problems};
use duibiao_compiler::graph::{Graph, InputOrigin, ParamValue};
use duibiao_compiler::Value;
use duibiao_engine::{Context, Outcome, UnitOutcome, UnitTree};
use std::borrow::Cow;
use std::sync::Arc;

/// A compiled standard: immutable, cheap to clone, safe to share between threads. It keeps the
/// [`Limits`] it was compiled within, and loads facts within them.
#[derive(Debug, Clone)]
pub struct Standard {
    inner: Arc<Inner>,
    limits: Limits,
}

#[derive(Debug)]
struct Inner {
    graph: Arc<Graph>,
    fingerprint: Arc<str>,
    file: String,
    source: String,
    warnings: Vec<Problem>,
}

/// One unit explained: its full outcome and the explanation as text.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Explanation {
    /// The unit's outcome, with every condition and the ids of the sub-units counted.
    pub unit: UnitOutcome,
    /// The explanation as a person reads it, in the options' language.
    pub text: String,
    /// Dated parameters without a value on the evaluation date: rules reading them are unknown.
    pub unresolved_params: Vec<duibiao_engine::MissingParam>,
}

/// What an operation works on once its options are applied: the facts' forest (changed by the
/// what-if assignments, if any) and the evaluation context.
pub(crate) struct Prepared<'f> {
    pub(crate) tree: Cow<'f, UnitTree>,
    pub(crate) ctx: Context,
}

impl Standard {
    /// Compiles the text of a `.std` file named `file` within the default [`Limits`]. On
    /// failure, every diagnostic (errors and warnings) in source order.
    pub fn compile(file: &str, source: &str) -> Result<Standard, Problems> {
        Standard::compile_with(file, source, &Limits::default())
    }

    /// As [`Standard::compile`], within `limits` (which the standard keeps for its facts).
    pub fn compile_with(file: &str, source: &str, limits: &Limits) -> Result<Standard, Problems> {
        let compiled = duibiao_compiler::compile_with(source, &limits.source());
        let failed = compiled.has_errors();
        let problems = Problem::of_diagnostics(&compiled.diagnostics, file, source);
        match (compiled.graph, compiled.fingerprint) {
            (Some(graph), Some(fingerprint)) if !failed => Ok(Standard {
                inner: Arc::new(Inner {
                    graph: Arc::new(graph),
                    fingerprint: Arc::from(fingerprint),
                    file: file.to_string(),
                    source: source.to_string(),
                    warnings: problems,
                }),
                limits: *limits,
            }),
            _ => Err(Problems(problems)),
        }
    }

    /// Reads and compiles the `.std` file at `path` within the default [`Limits`].
    pub fn open(path: impl AsRef<std::path::Path>) -> Result<Standard, Problems> {
        Standard::open_with(path, &Limits::default())
    }

    /// As [`Standard::open`], within `limits`: a file larger than `source_bytes` is `E0007`
    /// without being read.
    pub fn open_with(
        path: impl AsRef<std::path::Path>,
        limits: &Limits,
    ) -> Result<Standard, Problems> {
        let path = path.as_ref();
        let source = limits.read_source(path)?;
        Standard::compile_with(&path.display().to_string(), &source, limits)
    }

    /// The limits it was compiled within, which its facts are loaded within.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The same standard, loading facts within `limits` (its source limits no longer matter).
    pub fn with_limits(&self, limits: &Limits) -> Standard {
        Standard {
            inner: Arc::clone(&self.inner),
            limits: *limits,
        }
    }

    /// The standard's identifier (`haiyan-2021`), which facts files name.
    pub fn slug(&self) -> &str {
        &self.inner.graph.info.slug
    }

    /// Its title, when the file gives one.
    pub fn title(&self) -> Option<&str> {
        self.inner.graph.info.title.as_deref()
    }

    /// The fingerprint of its rules (`sha256:…`): the same for the same rules whatever the
    /// layout and comments of the file, and whatever the version of duibiao.
    pub fn fingerprint(&self) -> &str {
        &self.inner.fingerprint
    }

    /// The file name it was compiled from.
    pub fn file(&self) -> &str {
        &self.inner.file
    }

    /// The source text it was compiled from.
    pub fn source(&self) -> &str {
        &self.inner.source
    }

    /// Warnings found while compiling.
    pub fn warnings(&self) -> &[Problem] {
        &self.inner.warnings
    }

    /// The kinds of unit it assesses, in declaration order.
    pub fn kinds(&self) -> Vec<&str> {
        self.inner
            .graph
            .kinds
            .iter()
            .map(|k| k.name.as_str())
            .collect()
    }

    pub(crate) fn graph(&self) -> &Graph {
        &self.inner.graph
    }

    pub(crate) fn graph_arc(&self) -> Arc<Graph> {
        Arc::clone(&self.inner.graph)
    }

    /// Loads a facts file (JSON text) within the standard's [`Limits`]. Returns what could be
    /// loaded and every problem found; a value with a problem is treated as not reported, and
    /// the rest is loaded as usual.
    pub fn load_facts(&self, json: &str) -> (Facts, Vec<Problem>) {
        self.load_facts_named(None, json)
    }

    /// As [`Standard::load_facts`], naming the input (a file name) in the problems' locations.
    ///
    /// Called from a thread of a rayon pool (`ThreadPool::install`, `rayon::scope`), a large
    /// file is read in parallel on that pool; from any other thread, on the calling thread alone.
    pub fn load_facts_named(&self, input: Option<&str>, json: &str) -> (Facts, Vec<Problem>) {
        let loaded = duibiao_engine::facts::load(self.graph(), json, &self.limits.facts());
        self.loaded(input, loaded)
    }

    /// Loads a facts file (JSON) from `reader`, `size` bytes long (as the file's metadata says),
    /// a chunk at a time, so that the file's text is never held whole: the forest, the problems
    /// and the speed of [`Standard::load_facts_named`], in a fraction of its memory for a large
    /// file. `None` when it gives way, having read part of the file: a file under 1 MiB or over
    /// [`Limits::facts_bytes`], one with any problem but those of linking parents (missing
    /// parents, loops, parents of the wrong kind), one that is not UTF-8 or cannot be read, and
    /// for standards with records or text facts; the caller then reads the file whole and calls
    /// [`Standard::load_facts_named`], which reports every problem.
    ///
    /// Called from a thread of a rayon pool, each chunk is read in parallel on that pool.
    pub fn load_facts_reader(
        &self,
        input: Option<&str>,
        reader: &mut dyn std::io::Read,
        size: usize,
    ) -> Option<(Facts, Vec<Problem>)> {
        let limits = self.limits.facts();
        let loaded = duibiao_engine::facts::load_reader(self.graph(), reader, size, &limits)?;
        Some(self.loaded(input, loaded))
    }

    /// Loaded facts of this standard, with their problems, `input` named in their locations.
    fn loaded(
        &self,
        input: Option<&str>,
        (inner, errors): (duibiao_engine::Facts, Vec<duibiao_engine::FactsError>),
    ) -> (Facts, Vec<Problem>) {
        let problems = errors
            .iter()
            .map(|e| Problem::of_facts_error(e, input))
            .collect();
        let facts = Facts::new(inner, Arc::clone(&self.inner.fingerprint), self.graph_arc());
        (facts, problems)
    }

    /// Applies what-if assignments to loaded facts, in order, as a facts file's values would be
    /// checked; returns the problems of those that could not be applied (the others are applied
    /// all the same). [`Options::set`] applies assignments for one call and fails on any problem.
    pub fn apply(&self, facts: &mut Facts, assignments: &[Assignment]) -> Vec<Problem> {
        let graph = self.graph();
        let tree = &mut facts.inner.tree;
        assignments
            .iter()
            .filter_map(|a| {
                let done = match a {
                    Assignment::Value { unit, key, value } => {
                        duibiao_engine::change::set(graph, tree, unit, key, value)
                    }
                    Assignment::Text(text) => duibiao_engine::change::assign(graph, tree, text),
                };
                done.err().map(|e| Problem::of_facts_error(&e, Some("set")))
            })
            .collect()
    }

    /// Evaluates every unit of `facts`. Fails, with every problem, when the options do not fit
    /// the standard, a parameter it leaves open has no value, or the facts were loaded by a
    /// standard of other rules.
    pub fn evaluate(&self, facts: &Facts, options: &Options) -> Result<Outcome, Problems> {
        let p = self.prepare(facts, options)?;
        let graph = self.graph();
        Ok(options.run(|| {
            let eval = duibiao_engine::evaluate(graph, &p.tree, &p.ctx);
            duibiao_engine::outcome(
                graph,
                self.fingerprint(),
                &p.tree,
                &eval,
                &p.ctx,
                options.detail == Detail::Members,
            )
        }))
    }

    /// Explains one unit: every condition with its value, threshold and clause.
    pub fn explain(
        &self,
        facts: &Facts,
        unit: &str,
        options: &Options,
    ) -> Result<Explanation, Problems> {
        let p = self.prepare(facts, options)?;
        let u = find(&p.tree, unit)?;
        let graph = self.graph();
        let outcome = options.run(|| unit_outcome(graph, &p.tree, &p.ctx, u, true));
        Ok(Explanation {
            text: duibiao_engine::explain::explain_text(&outcome, options.lang.into()),
            unit: outcome,
            unresolved_params: p.ctx.unresolved.clone(),
        })
    }

    /// Progress against the standard's dated targets on the evaluation date (the options', else
    /// the facts file's): every target due by then, met or missed, per unit and overall.
    pub fn progress(
        &self,
        facts: &Facts,
        options: &Options,
    ) -> Result<duibiao_engine::progress::Progress, Problems> {
        let p = self.prepare(facts, options)?;
        let date = p.ctx.date.ok_or_else(|| {
            Problems::one(
                Problem::error(
                    Code::A0010,
                    "需要评价日期才能报告目标进度：请在选项 `as_of`（命令行 `--as-of`）或数据文件的 `as_of` 中给出",
                    "progress needs an evaluation date: give it as the option `as_of` (`--as-of` on the command line) or as the facts file's `as_of`",
                ),
            )
        })?;
        let supplied = self.supplied(facts, options)?;
        options
            .run(|| {
                duibiao_engine::progress::progress_with(
                    self.graph(),
                    self.fingerprint(),
                    &p.tree,
                    &supplied,
                    date,
                    p.ctx.parallel,
                )
            })
            .map_err(|missing| Problems(missing.iter().map(Problem::of_missing_param).collect()))
    }

    /// What changed between two evaluations of this standard, units matched by id; the targets
    /// are compared when both have an evaluation date.
    pub fn diff(
        &self,
        before: &Facts,
        after: &Facts,
        options: &Options,
    ) -> Result<duibiao_engine::diff::Diff, Problems> {
        let (a, b) = both(self.prepare(before, options), self.prepare(after, options))?;
        let graph = self.graph();
        // Unit by unit from the two evaluations (dropped before the progress reports are made):
        // no outcome of the whole forest is made.
        let mut diff = options.run(|| {
            let ea = duibiao_engine::evaluate(graph, &a.tree, &a.ctx);
            let eb = duibiao_engine::evaluate(graph, &b.tree, &b.ctx);
            duibiao_engine::diff::diff_evaluations(graph, (&a.tree, &ea), (&b.tree, &eb))
        });
        let dated = |f: &Facts| options.as_of.or(f.as_of()).is_some();
        if dated(before) && dated(after) {
            let (pa, pb) = both(
                self.progress(before, options),
                self.progress(after, options),
            )?;
            diff.targets = duibiao_engine::diff::target_diffs(&pa, &pb);
        }
        Ok(diff)
    }

    /// An evaluation kept up to date change by change (see [`Live`]).
    pub fn live(&self, facts: Facts, options: &Options) -> Result<Live, Problems> {
        let p = self.prepare(&facts, options)?;
        let ctx = p.ctx;
        // The facts are ours: their forest is moved, not copied, unless assignments changed it.
        let tree = match p.tree {
            Cow::Owned(changed) => changed,
            Cow::Borrowed(_) => facts.inner.tree,
        };
        let graph = self.graph_arc();
        let live = options.run(move || duibiao_engine::incremental::Live::new(graph, tree, ctx));
        Ok(Live::new(self.clone(), live, options.clone()))
    }

    /// An empty facts skeleton for one unit of `kind`, for an assessor to fill in. Its `id` is
    /// empty: loading reports it (`F0017`, and drops the unit) until it is filled in.
    pub fn template(&self, kind: &str) -> Result<serde_json::Value, Problems> {
        let graph = self.graph();
        let Some((k, kg)) = (0u32..).zip(&graph.kinds).find(|(_, k)| k.name == kind) else {
            let kinds = self.kinds();
            return Err(Problems::one(
                Problem::error(
                    Code::A0007,
                    format!("未知单位类型 `{kind}`，标准中的类型为 {}", kinds.join("、")),
                    format!(
                        "unknown kind `{kind}`; the standard's kinds are {}",
                        kinds.join(", ")
                    ),
                )
                .at(Location::data(None, None, Some(kind)).with_pointer("/kind")),
            ));
        };
        if let Some(owners) = &kg.record {
            let owners: Vec<&str> = owners
                .owners
                .iter()
                .filter_map(|&o| graph.kinds.get(o as usize))
                .map(|o| o.name.as_str())
                .collect();
            return Err(Problems::one(
                Problem::error(
                    Code::A0007,
                    format!(
                        "`{kind}` 是记录，写在所有者（{}）的 `{kind}` 列表中，没有单独的模板",
                        owners.join("、")
                    ),
                    format!(
                        "`{kind}` is a kind of record, given as the list `{kind}` on its owner ({}), with no template of its own",
                        owners.join(", ")
                    ),
                )
                .at(Location::data(None, None, Some(kind)).with_pointer("/kind")),
            ));
        }
        let mut facts = serde_json::Map::new();
        let mut scores = serde_json::Map::new();
        for i in &kg.inputs {
            match i.origin {
                InputOrigin::Fact => facts.insert(i.key.clone(), serde_json::Value::Null),
                InputOrigin::Points { .. } => scores.insert(i.key.clone(), serde_json::Value::Null),
            };
        }
        for t in &kg.texts {
            facts.insert(t.key.clone(), serde_json::Value::Null);
        }
        let mut unit = serde_json::Map::new();
        unit.insert("id".into(), "".into());
        unit.insert("name".into(), "".into());
        unit.insert("kind".into(), kind.into());
        unit.insert("parent".into(), serde_json::Value::Null);
        unit.insert("scores".into(), scores.into());
        unit.insert("facts".into(), facts.into());
        // Each kind of record the unit keeps, as an empty list.
        for (_, r) in graph.records_of(k) {
            unit.insert(r.name.clone(), serde_json::Value::Array(Vec::new()));
        }
        // Parameters the standard leaves open must be supplied.
        let params: serde_json::Map<String, serde_json::Value> = graph
            .params
            .iter()
            .filter(|p| matches!(p.value, ParamValue::Required))
            .map(|p| (p.name.clone(), serde_json::Value::Null))
            .collect();
        Ok(serde_json::json!({
            "standard": graph.info.slug,
            "as_of": null,
            "params": params,
            "units": [unit]
        }))
    }

    /// The facts' forest with the options' what-if assignments applied, and the evaluation
    /// context; every problem with the options at once.
    pub(crate) fn prepare<'f>(
        &self,
        facts: &'f Facts,
        options: &Options,
    ) -> Result<Prepared<'f>, Problems> {
        let mut problems = Vec::new();
        if *facts.owner != *self.inner.fingerprint {
            problems.push(
                Problem::error(
                    Code::A0006,
                    format!(
                        "这些数据由另一个标准（指纹 {}）载入，不能用 `{}` 评价",
                        facts.owner,
                        self.slug()
                    ),
                    format!(
                        "the facts were loaded by another standard (fingerprint {}), not by `{}`",
                        facts.owner,
                        self.slug()
                    ),
                )
                .with_help(
                    "用同一个标准重新载入数据",
                    "load the facts again with this standard",
                ),
            );
            return Err(Problems(problems));
        }
        let mut tree = Cow::Borrowed(&facts.inner.tree);
        for a in &options.set {
            let graph = self.graph();
            let done = match a {
                Assignment::Value { unit, key, value } => {
                    duibiao_engine::change::set(graph, tree.to_mut(), unit, key, value)
                }
                Assignment::Text(text) => {
                    duibiao_engine::change::assign(graph, tree.to_mut(), text)
                }
            };
            if let Err(e) = done {
                problems.push(Problem::of_facts_error(&e, Some("set")));
            }
        }
        let supplied = match self.supplied(facts, options) {
            Ok(s) => s,
            Err(more) => {
                problems.extend(more);
                Vec::new()
            }
        };
        if !problems.is_empty() {
            return Err(Problems(problems));
        }
        let date = options.as_of.or(facts.inner.as_of);
        let mut ctx = Context::new(self.graph(), &supplied, date)
            .map_err(|missing| Problems(missing.iter().map(Problem::of_missing_param).collect()))?;
        ctx.parallel = !matches!(options.threads, Threads::Single);
        Ok(Prepared { tree, ctx })
    }

    /// Parameter values: the facts file's, overridden by the options'.
    fn supplied(&self, facts: &Facts, options: &Options) -> Result<Vec<(usize, Value)>, Problems> {
        let graph = self.graph();
        let mut supplied = facts.inner.params.clone();
        let mut problems = Vec::new();
        for (name, json) in &options.params {
            let at = Location::data(None, None, Some(name))
                .with_pointer(format!("/options/params/{name}"));
            let Some(i) = graph.params.iter().position(|p| p.name == *name) else {
                let known: Vec<&str> = graph.params.iter().map(|p| p.name.as_str()).collect();
                problems.push(
                    Problem::error(
                        Code::P0001,
                        format!("未知参数 `{name}`"),
                        format!("unknown parameter `{name}`"),
                    )
                    .with_help(
                        format!("标准中的参数有 {}", known.join("、")),
                        format!("the standard's parameters are {}", known.join(", ")),
                    )
                    .at(at),
                );
                continue;
            };
            match duibiao_engine::facts::parse_value(graph, graph.params[i].ty, json) {
                Ok(Some(v)) => supplied.push((i, v)),
                Ok(None) => problems.push(
                    Problem::error(
                        Code::P0002,
                        format!("参数 `{name}`：需要一个值"),
                        format!("parameter `{name}`: a value is required"),
                    )
                    .at(at),
                ),
                Err(e) => problems.push(
                    Problem::error(
                        Code::P0002,
                        format!("参数 `{name}`：{}", e.message_zh()),
                        format!("parameter `{name}`: {e}"),
                    )
                    .at(at),
                ),
            }
        }
        if problems.is_empty() {
            Ok(supplied)
        } else {
            Err(Problems(problems))
        }
    }
}

/// The index of the unit `id` in `tree`, or the problem `F0015`.
pub(crate) fn find(tree: &UnitTree, id: &str) -> Result<usize, Problems> {
    tree.find(id).ok_or_else(|| {
        let e = duibiao_engine::FactsErrorKind::UnknownUnit(id.to_string());
        Problems::one(
            Problem::new(e.code(), e.message_zh(), e.to_string()).at(Location::data(
                None,
                Some(id),
                None,
            )),
        )
    })
}

/// The outcome of unit `u` of `tree` (with `detail`, the ids of the sub-units its aggregates
/// counted), evaluating only its subtree when nothing outside it can change its values (see
/// [`duibiao_engine::incremental::subtree`]), else the whole forest.
pub(crate) fn unit_outcome(
    graph: &Graph,
    tree: &UnitTree,
    ctx: &Context,
    u: usize,
    detail: bool,
) -> UnitOutcome {
    match duibiao_engine::incremental::subtree(graph, tree, u) {
        Some((sub, su)) => {
            let eval = duibiao_engine::evaluate(graph, &sub, ctx);
            let mut outcome = duibiao_engine::unit_outcome(graph, &sub, &eval, su, detail);
            // The unit has no parent in its subtree: its parent is the forest's.
            outcome.parent = tree
                .units
                .get(u)
                .and_then(|x| x.parent())
                .and_then(|p| tree.units.get(p))
                .map(|x| x.id.to_string());
            outcome
        }
        None => {
            let eval = duibiao_engine::evaluate(graph, tree, ctx);
            duibiao_engine::unit_outcome(graph, tree, &eval, u, detail)
        }
    }
}

/// Both results, or the problems of both.
fn both<A, B>(a: Result<A, Problems>, b: Result<B, Problems>) -> Result<(A, B), Problems> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (Err(x), Ok(_)) | (Ok(_), Err(x)) => Err(x),
        (Err(mut x), Err(y)) => {
            x.0.extend(y);
            Err(x)
        }
    }
}
