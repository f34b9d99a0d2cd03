//! The runtime behind the protocol: a table of compiled standards and live sessions, each named
//! by a handle, and the dispatch of requests to the facade. Handles are never reused, so a stale
//! one is always reported (`A0004`, `A0005`), never mistaken for another. Safe to share between
//! threads: calls on different standards, or evaluations of one standard, run in parallel; calls
//! on one live session take turns.

use super::request::{serde_problem, Parsed, CALLS};
use super::*;
use crate::codes::Code;
use crate::problem::{internal, Location, Problems};
use crate::{Facts, Live, Options, Standard};
use serde_json::value::RawValue;
use std::cell::Cell;
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

/// A response written as JSON text, or what stopped the call.
type Answer = Result<Vec<u8>, Failed>;

/// A standard, a live evaluation of facts it loaded, and the loading problems.
type Opened = (Standard, Live, Vec<Problem>);

/// The problems that stopped a call, and the standard it was on, if any (for the stamp).
struct Failed {
    standard: Option<Standard>,
    problems: Problems,
}

impl Failed {
    /// Stopped before any standard was involved.
    fn of(problems: Problems) -> Self {
        Failed {
            standard: None,
            problems,
        }
    }

    /// Stopped on `standard`: the problems found before (`first`, such as loading problems)
    /// and those that stopped it.
    fn with(standard: &Standard, first: &[Problem], then: Problems) -> Self {
        let mut all = first.to_vec();
        all.extend(then);
        Failed {
            standard: Some(standard.clone()),
            problems: Problems(all),
        }
    }
}

/// The stack a call needs left on the calling thread to run there. A request is read by recursion
/// (serde_json descends up to 128 levels into a nested one, several KiB a level in a debug
/// build), more than a host's small thread stack holds: an application server's `-Xss256k`, a
/// 128 KiB pthread.
const RED_ZONE: usize = 512 * 1024;

/// The stack segment a call runs on when the calling thread has less than [`RED_ZONE`] left.
const STACK_SEGMENT: usize = 8 * 1024 * 1024;

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
        text(out)
    }

    /// As [`Runtime::call`], writing the response into `out` (cleared first).
    pub fn call_into(&self, request: &str, out: &mut Vec<u8>) {
        let name = Cell::new(None);
        *out = self.answer_with(&name, |rt| match Parsed::parse(request) {
            Ok(r) => {
                name.set(Some(r.call.call()));
                rt.dispatch(r.call)
            }
            Err((call, problems)) => {
                name.set(call);
                Err(Failed::of(problems))
            }
        });
    }

    /// Adds a compiled standard; returns its handle.
    pub fn insert(&self, standard: Standard) -> u64 {
        let h = self.handle();
        write(&self.standards).insert(h, standard);
        h
    }

    /// The standard with this handle.
    pub fn standard(&self, handle: u64) -> Result<Standard, Problems> {
        let found = read(&self.standards).get(&handle).cloned();
        found.ok_or_else(|| unknown_standard(handle))
    }

    fn live(&self, handle: u64) -> Result<Arc<Mutex<Live>>, Problems> {
        let found = read(&self.lives).get(&handle).cloned();
        found.ok_or_else(|| unknown_live(handle))
    }

    fn handle(&self) -> u64 {
        self.next.fetch_add(1, Ordering::Relaxed) + 1
    }

    fn dispatch(&self, call: Request<&RawValue>) -> Answer {
        let name = call.call();
        match call {
            Request::Version {} => respond(
                name,
                None,
                Vec::new(),
                VersionBody {
                    calls: CALLS.iter().map(|(c, _, _)| c.to_string()).collect(),
                },
            ),
            Request::Compile {
                file,
                source,
                limits,
            } => {
                let file = file.as_deref().unwrap_or("standard.std");
                let limits = limits.unwrap_or_default();
                let s = Standard::compile_with(file, &source, &limits).map_err(Failed::of)?;
                let body = CompileBody::of(&s, Some(self.insert(s.clone())));
                respond(name, Some(&s), s.warnings().to_vec(), body)
            }
            Request::Release { standard } => {
                let removed = write(&self.standards).remove(&standard);
                let s = removed.ok_or_else(|| Failed::of(unknown_standard(standard)))?;
                respond(name, Some(&s), Vec::new(), EmptyBody {})
            }
            Request::Evaluate {
                standard,
                facts,
                options,
            } => self.evaluate(standard, facts.get(), &options),
            Request::Explain {
                standard,
                facts,
                unit,
                options,
            } => self.with_facts(name, standard, facts, |s, f| s.explain(f, &unit, &options)),
            Request::Progress {
                standard,
                facts,
                options,
            } => self.with_facts(name, standard, facts, |s, f| {
                s.progress(f, &options).map(ProgressBody::from)
            }),
            Request::Gap {
                standard,
                facts,
                unit,
                tier,
                options,
            } => self.with_facts(name, standard, facts, |s, f| {
                s.gap(f, &unit, &tier, &options)
            }),
            Request::Diff {
                standard,
                before,
                after,
                options,
            } => {
                let s = self.standard(standard).map_err(Failed::of)?;
                let (a, mut problems) = s.load_facts_named(Some("before"), before.get());
                let (b, more) = s.load_facts_named(Some("after"), after.get());
                problems.extend(more);
                let d = s
                    .diff(&a, &b, &options)
                    .map_err(|p| Failed::with(&s, &problems, p))?;
                respond(name, Some(&s), problems, d)
            }
            Request::Template { standard, kind } => {
                let s = self.standard(standard).map_err(Failed::of)?;
                let facts = s.template(&kind).map_err(|p| Failed::with(&s, &[], p))?;
                respond(name, Some(&s), Vec::new(), TemplateBody { facts })
            }
            Request::Schema { name: which } => {
                let schema = schema::named(&which).map_err(Failed::of)?;
                respond(name, None, Vec::new(), SchemaBody { schema })
            }
            Request::LiveOpen {
                standard,
                facts,
                options,
            } => self.live_open(standard, facts.get(), &options),
            Request::LiveAssign { live, set } => {
                let session = self.live(live).map_err(Failed::of)?;
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
            Request::LiveUnit { live, unit } => {
                let session = self.live(live).map_err(Failed::of)?;
                let l = session.lock().unwrap_or_else(PoisonError::into_inner);
                let s = l.standard().clone();
                let Some(u) = l.unit(&unit) else {
                    let e = duibiao_engine::FactsErrorKind::UnknownUnit(unit.clone());
                    let p = Problem::new(e.code(), e.message_zh(), e.to_string())
                        .at(Location::data(Some("request"), Some(&unit), None));
                    return Err(Failed::with(&s, &[], Problems::one(p)));
                };
                respond(name, Some(&s), Vec::new(), LiveUnitBody { unit: u })
            }
            Request::LiveClose { live } => {
                let removed = write(&self.lives).remove(&live);
                let session = removed.ok_or_else(|| Failed::of(unknown_live(live)))?;
                let s = session
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .standard()
                    .clone();
                respond(name, Some(&s), Vec::new(), EmptyBody {})
            }
        }
    }

    /// Answers `compile` for a standard's text, as a request would (the text of a
    /// `Response<CompileBody>`), with the default limits: for hosts that hold the text and would
    /// rather not write it into a request. `file` names it in problems (`standard.std` if none).
    pub fn compile_text(&self, file: Option<&str>, source: &str) -> String {
        let answer = self.answer_with(&Cell::new(Some("compile")), |rt| {
            rt.dispatch(Request::Compile {
                file: file.map(str::to_string),
                source: source.to_string(),
                limits: None,
            })
        });
        text(answer)
    }

    /// Answers `evaluate` for facts given as JSON text, as a request would (the text of a
    /// `Response<EvaluateBody>`): for hosts that hold facts as text and would rather not embed
    /// them in a request. `options` is the options' JSON text, if any.
    pub fn evaluate_text(&self, standard: u64, facts: &str, options: Option<&str>) -> String {
        let answer = self.answer_with(&Cell::new(Some("evaluate")), |rt| {
            rt.evaluate(standard, facts, &parse_options(options)?)
        });
        text(answer)
    }

    /// As [`Runtime::evaluate_text`], for `live_open`.
    pub fn live_open_text(&self, standard: u64, facts: &str, options: Option<&str>) -> String {
        let answer = self.answer_with(&Cell::new(Some("live_open")), |rt| {
            rt.live_open(standard, facts, &parse_options(options)?)
        });
        text(answer)
    }

    /// The response `f` makes, or the problems that stopped it (a panic caught as `A0008`)
    /// as the response to the call named in `call`.
    fn answer_with(
        &self,
        call: &Cell<Option<&'static str>>,
        f: impl FnOnce(&Self) -> Answer,
    ) -> Vec<u8> {
        let caught = stacker::maybe_grow(RED_ZONE, STACK_SEGMENT, || {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(self)))
        });
        let answer =
            caught.unwrap_or_else(|_| Err(Failed::of(Problems::one(super::boundary::panicked()))));
        answer.unwrap_or_else(|failed| {
            let r: Response<EmptyBody> = Response::new(
                call.get(),
                failed.standard.as_ref(),
                failed.problems.0,
                None,
            );
            let mut out = Vec::new();
            // Writing to a vector fails only if serialization does, which it cannot here.
            let _ = write_response(&mut out, &r, Style::Compact);
            out
        })
    }

    /// Loads `facts` with the standard `handle` and opens a live evaluation of them; the
    /// standard, the evaluation and the loading problems.
    fn open(&self, handle: u64, facts: &str, options: &Options) -> Result<Opened, Failed> {
        let s = self.standard(handle).map_err(Failed::of)?;
        let (facts, problems) = s.load_facts_named(Some("facts"), facts);
        match s.live(facts, options) {
            Ok(live) => Ok((s, live, problems)),
            Err(p) => Err(Failed::with(&s, &problems, p)),
        }
    }

    fn evaluate(&self, standard: u64, facts: &str, options: &Options) -> Answer {
        let (s, live, problems) = self.open(standard, facts, options)?;
        let mut out = Vec::new();
        write_evaluation(&mut out, &live, problems, options.detail, Style::Compact)
            .map_err(|e| Failed::with(&s, &[], Problems::one(internal(&e.to_string()))))?;
        Ok(out)
    }

    fn live_open(&self, standard: u64, facts: &str, options: &Options) -> Answer {
        let (s, live, problems) = self.open(standard, facts, options)?;
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
        facts: &RawValue,
        f: impl FnOnce(&Standard, &Facts) -> Result<B, Problems>,
    ) -> Answer {
        let s = self.standard(handle).map_err(Failed::of)?;
        let (facts, problems) = s.load_facts_named(Some("facts"), facts.get());
        let body = f(&s, &facts).map_err(|p| Failed::with(&s, &problems, p))?;
        respond(name, Some(&s), problems, body)
    }
}

/// Options from their JSON text (none: the defaults).
fn parse_options(text: Option<&str>) -> Result<Options, Failed> {
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return Ok(Options::default());
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let options = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        Failed::of(Problems::one(serde_problem(
            text,
            e.inner(),
            Some(e.path()),
            "options",
        )))
    })?;
    de.end()
        .map_err(|e| Failed::of(Problems::one(serde_problem(text, &e, None, "options"))))?;
    Ok(options)
}

fn unknown_standard(handle: u64) -> Problems {
    Problems::one(
        Problem::error(
            Code::A0004,
            format!("没有句柄为 {handle} 的标准（从未编译或已释放）"),
            format!("no standard has the handle {handle} (never compiled, or released)"),
        )
        .at(Location::data(Some("request"), None, Some("standard"))),
    )
}

fn unknown_live(handle: u64) -> Problems {
    Problems::one(
        Problem::error(
            Code::A0005,
            format!("没有句柄为 {handle} 的实时会话（从未打开或已关闭）"),
            format!("no live session has the handle {handle} (never opened, or closed)"),
        )
        .at(Location::data(Some("request"), None, Some("live"))),
    )
}

/// A response's bytes as text (they are always UTF-8: serde_json writes nothing else).
fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into())
}

fn respond<B: serde::Serialize>(
    call: &str,
    standard: Option<&Standard>,
    problems: Vec<Problem>,
    body: B,
) -> Answer {
    let r = Response::new(Some(call), standard, problems, Some(body));
    let mut out = Vec::new();
    write_response(&mut out, &r, Style::Compact).map_err(|e| Failed {
        standard: standard.cloned(),
        problems: Problems::one(internal(&e.to_string())),
    })?;
    Ok(out)
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
        let call = std::cell::Cell::new(Some("evaluate"));
        let bytes = rt.answer_with(&call, |_| panic!("on purpose"));
        let r: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
        assert_eq!(r["ok"], false, "{r}");
        assert_eq!(r["problems"][0]["code"], "A0008", "{r}");
        assert_eq!(r["call"], "evaluate", "{r}");
    }
}
