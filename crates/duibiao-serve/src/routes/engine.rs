//! The engine's calls over HTTP: check a standard's text, and evaluate, explain, progress, gap,
//! diff and impact on a standard served. Each answers with the protocol's response to the call
//! of the same name.

use super::{Body, Call};
use crate::answer::{answer, blocking, internal, Answer, Stop};
use crate::input::{self, JSON, TEXT};
use crate::query::{Query, OPTIONS};
use crate::App;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use duibiao::protocol::{self, CompileBody, ProgressBody, Style};
use duibiao::{Detail, Options, Problem, Problems, Standard};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::sync::Arc;

/// The response to `evaluate` as the protocol's writer streams it, with the loading problems
/// and the evaluation date.
pub(crate) struct Evaluation {
    /// The response's JSON text.
    pub(crate) json: Vec<u8>,
    /// The problems of loading the facts.
    pub(crate) problems: Vec<Problem>,
    /// The evaluation date, if there is one.
    pub(crate) as_of: Option<chrono::NaiveDate>,
}

/// Evaluates the facts loaded with `s` with `options`: the protocol's response.
pub(crate) fn evaluation(
    s: &Standard,
    facts: duibiao::Facts,
    problems: Vec<Problem>,
    options: &Options,
) -> Result<Evaluation, Stop> {
    let live = s
        .live(facts, options)
        .map_err(|p| Stop::on(s, problems.clone(), p))?;
    let mut json = Vec::new();
    protocol::write_evaluation(
        &mut json,
        &live,
        problems.clone(),
        options.detail,
        Style::Compact,
    )
    .map_err(|e| Stop::on(s, Vec::new(), Problems::one(internal(&e.to_string()))))?;
    Ok(Evaluation {
        json,
        problems,
        as_of: live.as_of(),
    })
}

/// The `detail` query parameter (default: summary).
fn detail(query: &Query) -> Result<Detail, Problems> {
    match query.get("detail") {
        None | Some("summary") => Ok(Detail::Summary),
        Some("conditions") => Ok(Detail::Conditions),
        Some("members") => Ok(Detail::Members),
        Some(d) => Err(Problems::one(crate::problems::bad_query(
            "detail",
            format!("`detail` 应为 summary、conditions 或 members，实际为 `{d}`"),
            format!("`detail` should be summary, conditions or members, not `{d}`"),
        ))),
    }
}

/// `POST /v1/check?file=NAME`: compiles a standard's text (the body) without serving it.
pub(crate) async fn check(
    State(app): State<Arc<App>>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Answer {
    answer("compile", async move {
        let query = Query::parse(q.as_deref(), &[&["file"]])?;
        let file = query.get("file").unwrap_or("standard.std").to_string();
        let source = input::text(&headers, body.bytes()?, &[TEXT])?;
        let limits = app.config.limits;
        blocking(&app.work, move || {
            let s = Standard::compile_with(&file, &source, &limits).map_err(Stop::from)?;
            Ok(Answer::body(
                "compile",
                Some(&s),
                s.warnings().to_vec(),
                CompileBody::of(&s, None),
            ))
        })
        .await
    })
    .await
}

/// `POST /v1/standards/{standard}/evaluate`: every unit's score, tier and vetoes; as a results
/// workbook when the request says `Accept: application/vnd.openxmlformats-…sheet`.
pub(crate) async fn evaluate(call: Call) -> Response {
    if crate::download::wants_workbook(&call.headers) {
        return results_workbook(call).await.into_response();
    }
    answer("evaluate", async move {
        let s = call.standard()?;
        let query = call.query(&[OPTIONS, &["detail", "file"]])?;
        let options = query.options(detail(&query)?)?;
        let work = call.app.work.clone();
        let facts = call.facts(&query)?;
        let e = blocking(&work, move || {
            let l = facts.load(&s);
            evaluation(&s, l.facts, l.problems, &options)
        })
        .await?;
        let ok = !e.problems.iter().any(Problem::is_error);
        Ok(Answer::written(e.json, ok, &e.problems))
    })
    .await
    .into_response()
}

/// The results of `evaluate` as a workbook (every condition; the targets' progress when the
/// facts are dated), or the problems that stopped it as JSON.
async fn results_workbook(call: Call) -> Result<crate::download::File, Answer> {
    let made = async move {
        let s = call.standard()?;
        let query = call.query(&[OPTIONS, &["detail", "file"]])?;
        let options = query.options(Detail::Conditions)?;
        let work = call.app.work.clone();
        let facts = call.facts(&query)?;
        blocking(&work, move || {
            let l = facts.load(&s);
            if l.problems.iter().any(Problem::is_error) {
                return Err(Stop::on(&s, l.problems, Problems(Vec::new())));
            }
            let on = |p| Stop::on(&s, l.problems.clone(), p);
            let outcome = s.evaluate(&l.facts, &options).map_err(on)?;
            let progress = match options.as_of.or(l.facts.as_of()) {
                Some(_) => Some(s.progress(&l.facts, &options).map_err(on)?),
                None => None,
            };
            let bytes = duibiao_xlsx::results_workbook(&outcome, progress.as_ref(), options.lang)
                .map_err(on)?;
            Ok(crate::download::File::workbook(
                bytes,
                &format!("{}-结果.xlsx", s.slug()),
            ))
        })
        .await
    };
    made.await
        .map_err(|stop| Answer::stopped("evaluate", &stop))
}

/// Loads the body's facts with the standard and answers `call` with what `f` makes of them.
async fn with_facts<B: serde::Serialize + Send + 'static>(
    name: &'static str,
    call: Call,
    takes: &'static [&'static str],
    detail: Detail,
    f: impl FnOnce(&Standard, &duibiao::Facts, &Query, &Options) -> Result<B, Problems> + Send + 'static,
) -> Answer {
    answer(name, async move {
        let s = call.standard()?;
        let query = call.query(&[OPTIONS, takes, &["file"]])?;
        let options = query.options(detail)?;
        for key in takes {
            query.required(key)?;
        }
        let work = call.app.work.clone();
        let body = call.facts(&query)?;
        blocking(&work, move || {
            let input::Loaded {
                facts, problems, ..
            } = body.load(&s);
            let made =
                f(&s, &facts, &query, &options).map_err(|p| Stop::on(&s, problems.clone(), p))?;
            Ok(Answer::body(name, Some(&s), problems, made))
        })
        .await
    })
    .await
}

/// `POST /v1/standards/{standard}/explain?unit=ID`: why a unit has its tier.
pub(crate) async fn explain(call: Call) -> Answer {
    with_facts("explain", call, &["unit"], Detail::Members, |s, f, q, o| {
        s.explain(f, q.get("unit").unwrap_or_default(), o)
    })
    .await
}

/// `POST /v1/standards/{standard}/progress`: the targets due by the evaluation date.
pub(crate) async fn progress(call: Call) -> Answer {
    with_facts("progress", call, &[], Detail::Summary, |s, f, _, o| {
        s.progress(f, o).map(ProgressBody::from)
    })
    .await
}

/// `POST /v1/standards/{standard}/gap?unit=ID&tier=TIER`: what a unit lacks for a tier.
pub(crate) async fn gap(call: Call) -> Answer {
    with_facts(
        "gap",
        call,
        &["unit", "tier"],
        Detail::Summary,
        |s, f, q, o| {
            s.gap(
                f,
                q.get("unit").unwrap_or_default(),
                q.get("tier").unwrap_or_default(),
                o,
            )
        },
    )
    .await
}

/// Reads a JSON body of shape `T` (`A0001` when it is not JSON, `A0002` when its shape is
/// wrong, naming the field).
fn json_body<'a, T: Deserialize<'a>>(text: &'a str) -> Result<T, Problems> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = T::deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v))
        .map_err(|e| Problems::one(protocol::serde_problem(text, &e, None, "request")))?;
    Ok(value)
}

/// The body of `diff`: two facts files.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DiffInput<'a> {
    #[serde(borrow)]
    before: &'a RawValue,
    #[serde(borrow)]
    after: &'a RawValue,
}

/// `POST /v1/standards/{standard}/diff`: what changed between two facts files.
pub(crate) async fn diff(call: Call) -> Answer {
    answer("diff", async move {
        let s = call.standard()?;
        let query = call.query(&[OPTIONS])?;
        let options = query.options(Detail::Summary)?;
        let text = input::text(&call.headers, call.body.bytes()?, &[JSON])?;
        blocking(&call.app.work, move || {
            let both: DiffInput = json_body(&text)?;
            let (a, mut problems) = s.load_facts_named(Some("before"), both.before.get());
            let (b, more) = s.load_facts_named(Some("after"), both.after.get());
            problems.extend(more);
            let d = s
                .diff(&a, &b, &options)
                .map_err(|p| Stop::on(&s, problems.clone(), p))?;
            Ok(Answer::body("diff", Some(&s), problems, d))
        })
        .await
    })
    .await
}

/// The revision an impact compares with: a standard served, or a `.std` text.
#[derive(Deserialize)]
#[serde(untagged)]
enum Revision {
    /// The slug of a standard served.
    Served(String),
    /// A standard's text, and the file name problems give it.
    Text {
        source: String,
        #[serde(default)]
        file: Option<String>,
    },
}

/// The body of `impact`: the revision and the facts.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ImpactInput<'a> {
    revision: Revision,
    #[serde(borrow)]
    facts: &'a RawValue,
}

/// `POST /v1/standards/{standard}/impact`: the rules a revision changes and the units whose
/// outcome it changes.
pub(crate) async fn impact(call: Call) -> Answer {
    answer("impact", async move {
        let before = call.standard()?;
        let query = call.query(&[&["as_of", "param", "lang"]])?;
        let options = query.options(Detail::Summary)?;
        let text = input::text(&call.headers, call.body.bytes()?, &[JSON])?;
        let catalog = call.app.catalog.clone();
        blocking(&call.app.work, move || {
            let input: ImpactInput = json_body(&text)?;
            let after = match input.revision {
                Revision::Served(slug) => catalog
                    .get(&slug)
                    .ok_or_else(|| crate::problems::unknown_standard(&slug, &catalog.slugs()))?,
                Revision::Text { source, file } => {
                    let file = file.unwrap_or_else(|| "revision.std".to_string());
                    Standard::compile_with(&file, &source, before.limits())?
                }
            };
            let (impact, problems) = duibiao::impact::impact(
                &before,
                &after,
                (Some("facts"), input.facts.get()),
                &options,
            )
            .map_err(|p| Stop::on(&after, Vec::new(), p))?;
            Ok(Answer::body("impact", Some(&after), problems, impact))
        })
        .await
    })
    .await
}
