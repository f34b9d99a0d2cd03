//! The runtime behind the protocol: a table of compiled standards and live sessions, each named
//! by a handle, and the dispatch of requests to the facade. Handles are never reused, so a stale
//! one is always reported (`A0004`, `A0005`), never mistaken for another. Safe to share between
//! threads: calls on different standards, or evaluations of one standard, run in parallel; calls
//! on one live session take turns.

use super::request::{Call, Parsed, CALLS};
use super::*;
use crate::codes::Code;
use crate::problem::{internal, Location, Problems};
use crate::{Facts, Live, Options, Standard};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

/// Compiled standards and live sessions by handle.
#[derive(Debug, Default)]
pub struct Runtime {
    standards: RwLock<HashMap<u64, Standard>>,
    lives: RwLock<HashMap<u64, Arc<Mutex<Live>>>>,
    next: AtomicU64,
}

/// A response written as JSON text, or the problems that stopped the call.
type Answer = Result<Vec<u8>, (Option<Standard>, Problems)>;

impl Runtime {
    /// An empty runtime.
    pub fn new() -> Self {
        Runtime::default()
    }

    /// Answers one request (JSON text) with one response (JSON text, one line). Never panics:
    /// a panic inside is caught and answered as the problem `A0008`.
    pub fn call(&self, request: &str) -> String {
        let mut out = Vec::new();
        self.call_into(request, &mut out);
        String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into())
    }

    /// As [`Runtime::call`], writing the response into `out` (cleared first).
    pub fn call_into(&self, request: &str, out: &mut Vec<u8>) {
        out.clear();
        let caught =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.answer(request)));
        let (call, answer) = match caught {
            Ok(x) => x,
            Err(_) => (
                None,
                Err((
                    None,
                    Problems::one(internal("a call panicked and was stopped")),
                )),
            ),
        };
        match answer {
            Ok(bytes) => *out = bytes,
            Err((standard, problems)) => {
                let r: Response<EmptyBody> =
                    Response::new(call, standard.as_ref(), problems.0, None);
                // Writing to a vector fails only if serialization does, which it cannot here.
                let _ = write_response(out, &r, Style::Compact);
            }
        }
    }

    /// Adds a compiled standard; returns its handle.
    pub fn insert(&self, standard: Standard) -> u64 {
        let h = self.handle();
        write(&self.standards).insert(h, standard);
        h
    }

    /// The standard with this handle.
    pub fn standard(&self, handle: u64) -> Result<Standard, Problems> {
        read(&self.standards).get(&handle).cloned().ok_or_else(|| {
            Problems::one(
                Problem::error(
                    Code::A0004,
                    format!("没有句柄为 {handle} 的标准（从未编译或已释放）"),
                    format!("no standard has the handle {handle} (never compiled, or released)"),
                )
                .at(Location::data(Some("request"), None, Some("standard"))),
            )
        })
    }

    fn live(&self, handle: u64) -> Result<Arc<Mutex<Live>>, Problems> {
        read(&self.lives).get(&handle).cloned().ok_or_else(|| {
            Problems::one(
                Problem::error(
                    Code::A0005,
                    format!("没有句柄为 {handle} 的实时会话（从未打开或已关闭）"),
                    format!("no live session has the handle {handle} (never opened, or closed)"),
                )
                .at(Location::data(Some("request"), None, Some("live"))),
            )
        })
    }

    fn handle(&self) -> u64 {
        self.next.fetch_add(1, Ordering::Relaxed) + 1
    }

    fn answer(&self, text: &str) -> (Option<&'static str>, Answer) {
        match Parsed::parse(text) {
            Ok(r) => {
                let name = CALLS
                    .iter()
                    .map(|(c, _, _)| *c)
                    .find(|c| *c == call_name(&r.call));
                (name, self.dispatch(r.call))
            }
            Err((call, problems)) => (call, Err((None, problems))),
        }
    }

    fn dispatch(&self, call: Call<'_>) -> Answer {
        let name = call_name(&call);
        let plain = |p| (None, p);
        match call {
            Call::Version => respond(
                name,
                None,
                Vec::new(),
                VersionBody {
                    calls: CALLS.iter().map(|(c, _, _)| c.to_string()).collect(),
                },
            ),
            Call::Compile { file, source } => {
                let s = Standard::compile(&file, &source).map_err(plain)?;
                let body = CompileBody::of(&s, Some(self.insert(s.clone())));
                respond(name, Some(&s), s.warnings().to_vec(), body)
            }
            Call::Release { standard } => {
                let s = write(&self.standards).remove(&standard);
                let s = s
                    .ok_or_else(|| self.standard(standard).err())
                    .map_err(|p| (None, p.unwrap_or_else(|| Problems(Vec::new()))))?;
                respond(name, Some(&s), Vec::new(), EmptyBody {})
            }
            Call::Evaluate {
                standard,
                facts,
                options,
            } => self.evaluate(standard, facts.get(), &options),
            Call::Explain {
                standard,
                facts,
                unit,
                options,
            } => self.with_facts(name, standard, facts, |s, f| s.explain(f, &unit, &options)),
            Call::Progress {
                standard,
                facts,
                options,
            } => self.with_facts(name, standard, facts, |s, f| {
                s.progress(f, &options).map(ProgressBody::from)
            }),
            Call::Gap {
                standard,
                facts,
                unit,
                tier,
                options,
            } => self.with_facts(name, standard, facts, |s, f| {
                s.gap(f, &unit, &tier, &options)
            }),
            Call::Diff {
                standard,
                before,
                after,
                options,
            } => {
                let s = self.standard(standard).map_err(plain)?;
                let (a, mut problems) = s.load_facts_named(Some("before"), before.get());
                let (b, more) = s.load_facts_named(Some("after"), after.get());
                problems.extend(more);
                let d = s
                    .diff(&a, &b, &options)
                    .map_err(|p| (Some(s.clone()), with(&problems, p)))?;
                respond(name, Some(&s), problems, d)
            }
            Call::Template { standard, kind } => {
                let s = self.standard(standard).map_err(plain)?;
                let facts = s.template(&kind).map_err(|p| (Some(s.clone()), p))?;
                respond(name, Some(&s), Vec::new(), TemplateBody { facts })
            }
            Call::Schema { name: which } => {
                let schema = schema::named(&which).map_err(plain)?;
                respond(name, None, Vec::new(), SchemaBody { schema })
            }
            Call::LiveOpen {
                standard,
                facts,
                options,
            } => self.live_open(standard, facts.get(), &options),
            Call::LiveAssign { live, set } => {
                let session = self.live(live).map_err(plain)?;
                let mut l = session.lock().unwrap_or_else(PoisonError::into_inner);
                let mut problems = Vec::new();
                let mut assigned = Vec::new();
                for a in &set {
                    match l.assign(a) {
                        Ok(x) => assigned.push(x),
                        Err(p) => problems.extend(p),
                    }
                }
                let s = l.standard().clone();
                respond(name, Some(&s), problems, LiveAssignBody { assigned })
            }
            Call::LiveUnit { live, unit } => {
                let session = self.live(live).map_err(plain)?;
                let l = session.lock().unwrap_or_else(PoisonError::into_inner);
                let s = l.standard().clone();
                let Some(u) = l.unit(&unit) else {
                    let e = duibiao_engine::FactsErrorKind::UnknownUnit(unit.clone());
                    let p = Problem::new(e.code(), e.message_zh(), e.to_string())
                        .at(Location::data(Some("request"), Some(&unit), None));
                    return Err((Some(s), Problems::one(p)));
                };
                respond(name, Some(&s), Vec::new(), LiveUnitBody { unit: u })
            }
            Call::LiveClose { live } => {
                let session = write(&self.lives).remove(&live);
                let session = session
                    .ok_or_else(|| self.live(live).err())
                    .map_err(|p| (None, p.unwrap_or_else(|| Problems(Vec::new()))))?;
                let s = session
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .standard()
                    .clone();
                respond(name, Some(&s), Vec::new(), EmptyBody {})
            }
        }
    }

    /// Answers `evaluate` for facts given as JSON text, as a request would (the text of a
    /// `Response<EvaluateBody>`): for hosts that hold facts as text and would rather not embed
    /// them in a request. `options` is the options' JSON text, if any.
    pub fn evaluate_text(&self, standard: u64, facts: &str, options: Option<&str>) -> String {
        self.answer_with("evaluate", |rt| {
            let options = parse_options(options).map_err(|p| (None, p))?;
            rt.evaluate(standard, facts, &options)
        })
    }

    /// As [`Runtime::evaluate_text`], for `live_open`.
    pub fn live_open_text(&self, standard: u64, facts: &str, options: Option<&str>) -> String {
        self.answer_with("live_open", |rt| {
            let options = parse_options(options).map_err(|p| (None, p))?;
            rt.live_open(standard, facts, &options)
        })
    }

    /// Answers `call` with `f`, a panic caught as `A0008`.
    fn answer_with(&self, call: &'static str, f: impl FnOnce(&Self) -> Answer) -> String {
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(self)));
        let answer = caught.unwrap_or_else(|_| {
            Err((
                None,
                Problems::one(internal("a call panicked and was stopped")),
            ))
        });
        let bytes = answer.unwrap_or_else(|(standard, problems)| {
            let r: Response<EmptyBody> =
                Response::new(Some(call), standard.as_ref(), problems.0, None);
            let mut out = Vec::new();
            // Writing to a vector fails only if serialization does, which it cannot here.
            let _ = write_response(&mut out, &r, Style::Compact);
            out
        });
        String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into())
    }

    fn evaluate(&self, standard: u64, facts: &str, options: &Options) -> Answer {
        let s = self.standard(standard).map_err(|p| (None, p))?;
        let (facts, problems) = s.load_facts_named(Some("facts"), facts);
        let live = s
            .live(facts, options)
            .map_err(|p| (Some(s.clone()), with(&problems, p)))?;
        let mut out = Vec::new();
        write_evaluation(&mut out, &live, problems, options.detail, Style::Compact)
            .map_err(|e| (Some(s.clone()), Problems::one(internal(&e.to_string()))))?;
        Ok(out)
    }

    fn live_open(&self, standard: u64, facts: &str, options: &Options) -> Answer {
        let s = self.standard(standard).map_err(|p| (None, p))?;
        let (facts, problems) = s.load_facts_named(Some("facts"), facts);
        let live = s
            .live(facts, options)
            .map_err(|p| (Some(s.clone()), with(&problems, p)))?;
        let h = self.handle();
        let body = LiveOpenBody {
            live: h,
            units: live.len(),
            as_of: live.as_of().map(|d| d.format("%Y-%m-%d").to_string()),
            unresolved_params: live.unresolved_params().to_vec(),
        };
        write(&self.lives).insert(h, Arc::new(Mutex::new(live)));
        respond("live_open", Some(&s), problems, body)
    }

    /// Loads `facts` with the standard `handle` and answers with what `f` makes of them; the
    /// loading problems come first in the response.
    fn with_facts<B: serde::Serialize>(
        &self,
        name: &str,
        handle: u64,
        facts: &serde_json::value::RawValue,
        f: impl FnOnce(&Standard, &Facts) -> Result<B, Problems>,
    ) -> Answer {
        let s = self.standard(handle).map_err(|p| (None, p))?;
        let (facts, problems) = s.load_facts_named(Some("facts"), facts.get());
        let body = f(&s, &facts).map_err(|p| (Some(s.clone()), with(&problems, p)))?;
        respond(name, Some(&s), problems, body)
    }
}

/// Options from their JSON text (none: the defaults).
fn parse_options(text: Option<&str>) -> Result<Options, Problems> {
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return Ok(Options::default());
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let options: Options = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let (line, column) = (e.inner().line(), e.inner().column());
        let path = e.path().to_string();
        Problems::one(
            Problem::error(
                Code::A0002,
                format!(
                    "选项 `{path}` 形式不对（第 {line} 行第 {column} 列）：{}",
                    e.inner()
                ),
                format!(
                    "the options' `{path}` has the wrong shape at line {line}, column {column}: {}",
                    e.inner()
                ),
            )
            .at(Location::data(Some("options"), None, None)),
        )
    })?;
    Ok(options)
}

/// The loading problems followed by the ones that stopped the call.
fn with(first: &[Problem], then: Problems) -> Problems {
    let mut all = first.to_vec();
    all.extend(then);
    Problems(all)
}

fn respond<B: serde::Serialize>(
    call: &str,
    standard: Option<&Standard>,
    problems: Vec<Problem>,
    body: B,
) -> Answer {
    let r = Response::new(Some(call), standard, problems, Some(body));
    let mut out = Vec::new();
    write_response(&mut out, &r, Style::Compact)
        .map_err(|e| (standard.cloned(), Problems::one(internal(&e.to_string()))))?;
    Ok(out)
}

fn call_name(call: &Call<'_>) -> &'static str {
    match call {
        Call::Version => "version",
        Call::Compile { .. } => "compile",
        Call::Release { .. } => "release",
        Call::Evaluate { .. } => "evaluate",
        Call::Explain { .. } => "explain",
        Call::Progress { .. } => "progress",
        Call::Gap { .. } => "gap",
        Call::Diff { .. } => "diff",
        Call::Template { .. } => "template",
        Call::Schema { .. } => "schema",
        Call::LiveOpen { .. } => "live_open",
        Call::LiveAssign { .. } => "live_assign",
        Call::LiveUnit { .. } => "live_unit",
        Call::LiveClose { .. } => "live_close",
    }
}

fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(PoisonError::into_inner)
}

fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    /// A panic inside a call is answered as the problem `A0008`, never passed on.
    #[test]
    fn a_panic_is_a_problem() {
        let rt = super::Runtime::new();
        #[allow(clippy::panic)]
        let text = rt.answer_with("evaluate", |_| panic!("on purpose"));
        let r: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        assert_eq!(r["ok"], false, "{r}");
        assert_eq!(r["problems"][0]["code"], "A0008", "{r}");
        assert_eq!(r["call"], "evaluate", "{r}");
    }
}
