//! Assessment rounds: submitted facts evaluated and stored, never changed (a correction is a new
//! round naming the one it corrects); listed, read, compared and followed over time.

use super::{Call, Segment};
use crate::answer::{answer, blocking, Answer, Stop};
use crate::problems::{corrected_already, not_stored, other_standard, store_failed, unknown_round};
use crate::query::Query;
use crate::routes::engine::evaluation;
use crate::store::{NewRound, Round, RoundInfo, StoreError};
use crate::App;
use axum::extract::{RawQuery, State};
use duibiao::codes::Code;
use duibiao::protocol::{ProgressBody, Response, Style};
use duibiao::{Detail, Diff, Location, Outcome, Problem, Problems, Progress, TargetProgress};
use schemars::JsonSchema;
use serde::Serialize;
use std::sync::Arc;

/// The response to submitting a round: the round as stored and its evaluation.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Submitted {
    /// The round as stored.
    pub(crate) round: RoundInfo,
    /// The protocol's response to `evaluate`, with every condition.
    pub(crate) outcome: serde_json::Value,
}

/// A round with what was submitted and what came of it.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct RoundRecord {
    /// The round.
    pub(crate) round: RoundInfo,
    /// The facts as submitted.
    pub(crate) facts: serde_json::Value,
    /// The protocol's response to `evaluate`, with every condition.
    pub(crate) outcome: serde_json::Value,
    /// The protocol's response to `progress` on the round's date.
    pub(crate) progress: serde_json::Value,
}

/// A list of rounds.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct RoundList {
    /// The rounds, by evaluation date and then number.
    pub(crate) rounds: Vec<RoundInfo>,
}

/// How many units of a kind reached a tier.
#[derive(Debug, Serialize, JsonSchema, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct TierCount {
    /// The kind of unit.
    pub(crate) kind: String,
    /// The tier reached (none: no tier).
    pub(crate) tier: Option<String>,
    /// How many units.
    pub(crate) units: usize,
}

/// One round in a standard's history.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct HistoryRound {
    /// The round.
    pub(crate) round: RoundInfo,
    /// How many units of each kind reached each tier.
    pub(crate) tiers: Vec<TierCount>,
    /// Every target due by the round's date, with its rows per unit and overall.
    pub(crate) targets: Vec<TargetProgress>,
    /// Whether every hard target due was met.
    pub(crate) all_hard_met: bool,
}

/// A standard's rounds over time: the rounds in force (a corrected round gives way to its
/// correction), by evaluation date.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct History {
    /// The rounds.
    pub(crate) rounds: Vec<HistoryRound>,
}

fn stored(e: StoreError) -> Stop {
    Stop::from(store_failed(&e))
}

/// The round numbered `id` (the text of a path or query parameter).
async fn round(app: &App, id: &str) -> Result<Round, Stop> {
    let n: i64 = id.parse().map_err(|_| Stop::from(unknown_round(id)))?;
    app.store
        .get(n)
        .await
        .map_err(stored)?
        .ok_or_else(|| Stop::from(unknown_round(id)))
}

/// Stored JSON text as a value (it was written by the protocol's writer, so it reads back).
fn value(text: &str) -> Result<serde_json::Value, Stop> {
    serde_json::from_str(text).map_err(|e| Stop::from(crate::answer::internal(&e.to_string())))
}

/// Stored JSON text as `T`.
fn read<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Stop> {
    serde_json::from_str(text).map_err(|e| Stop::from(crate::answer::internal(&e.to_string())))
}

/// `A0010`: a round needs an evaluation date.
fn undated() -> Problem {
    Problem::error(
        Code::A0010,
        "这一轮没有评价日期",
        "the round has no evaluation date",
    )
    .with_help(
        "在数据文件中写 `as_of`，或给查询参数 `as_of`",
        "write `as_of` in the facts, or give the query parameter `as_of`",
    )
    .at(Location::data(Some("facts"), None, Some("as_of")))
}

/// `POST /v1/standards/{standard}/rounds?submitted_by=WHO`: evaluates the body's facts and
/// stores them with their outcome; 201 with the round, or the problems and nothing stored.
pub(crate) async fn submit(call: Call) -> Answer {
    answer("submit_round", async move {
        let s = call.standard()?;
        let app = call.app.clone();
        let query =
            call.query(&[&["submitted_by", "corrects", "as_of", "param", "lang", "file"]])?;
        let options = query.options(Detail::Conditions)?;
        let who = query.required("submitted_by")?.to_string();
        let corrects = query.number("corrects")?;
        if let Some(c) = corrects {
            let old = round(&app, &c.to_string()).await?;
            if old.info.standard != s.slug() {
                return Err(other_standard(c, &old.info.standard, s.slug()).into());
            }
            if let Some(by) = old.info.corrected_by {
                return Err(corrected_already(c, by).into());
            }
        }
        let body = call.facts(&query)?;
        let (workbook, file) = (body.is_workbook(), body.named.then(|| body.name.clone()));
        let s2 = s.clone();
        let (e, progress, text) = blocking(&app.work, move || {
            let loaded = body.load(&s2);
            let text = loaded.json;
            let e = evaluation(&s2, loaded.facts, loaded.problems, &options)?;
            let mut problems = e.problems.clone();
            if problems.iter().any(Problem::is_error) {
                problems.push(not_stored());
                return Err(Stop::on(&s2, problems, Problems(Vec::new())));
            }
            if e.as_of.is_none() {
                return Err(Stop::on(&s2, problems, Problems::one(undated())));
            }
            let (facts, _) = s2.load_facts_named(Some("facts"), &text);
            let p = s2
                .progress(&facts, &options)
                .map_err(|p| Stop::on(&s2, Vec::new(), p))?;
            let r = Response::new(
                Some("progress"),
                Some(&s2),
                Vec::new(),
                Some(ProgressBody::from(p)),
            );
            let mut json = Vec::new();
            duibiao::protocol::write_response(&mut json, &r, Style::Compact)
                .map_err(|x| Stop::from(crate::answer::internal(&x.to_string())))?;
            Ok((e, json, text))
        })
        .await?;
        let text_of = |b: Vec<u8>| String::from_utf8_lossy(&b).trim_end().to_string();
        let outcome = text_of(e.json);
        let new = NewRound {
            standard: s.slug().to_string(),
            fingerprint: s.fingerprint().to_string(),
            as_of: e
                .as_of
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            submitted_by: who,
            submitted_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            corrects,
            workbook,
            file,
            facts: text,
            outcome: outcome.clone(),
            progress: text_of(progress),
        };
        let info = match app.store.insert(&new).await {
            Ok(info) => info,
            Err(StoreError::CorrectedAlready(by)) => {
                return Err(corrected_already(corrects.unwrap_or_default(), by).into())
            }
            Err(e) => return Err(stored(e)),
        };
        let body = Submitted {
            round: info,
            outcome: value(&outcome)?,
        };
        Ok(Answer::body("submit_round", Some(&s), Vec::new(), body).created())
    })
    .await
}

/// `GET /v1/rounds?standard=SLUG`: every round, or a standard's.
pub(crate) async fn list(State(app): State<Arc<App>>, RawQuery(q): RawQuery) -> Answer {
    answer("rounds", async move {
        let query = Query::parse(q.as_deref(), &[&["standard"]])?;
        let rounds = app
            .store
            .list(query.get("standard"))
            .await
            .map_err(stored)?;
        Ok(Answer::body(
            "rounds",
            None,
            Vec::new(),
            RoundList { rounds },
        ))
    })
    .await
}

/// `GET /v1/rounds/{round}`: a round with its facts, outcome and progress.
pub(crate) async fn get(
    State(app): State<Arc<App>>,
    Segment(id): Segment,
    RawQuery(q): RawQuery,
) -> Answer {
    answer("round", async move {
        Query::parse(q.as_deref(), &[])?;
        let r = round(&app, &id).await?;
        let record = RoundRecord {
            facts: value(&r.facts)?,
            outcome: value(&r.outcome)?,
            progress: value(&r.progress)?,
            round: r.info,
        };
        Ok(Answer::body("round", None, Vec::new(), record))
    })
    .await
}

/// `GET /v1/rounds/{round}/results.xlsx[?lang=en]`: a round's results as a workbook (a sheet of
/// units with every condition, a sheet per target due), from its stored outcome and progress.
pub(crate) async fn results(
    State(app): State<Arc<App>>,
    Segment(id): Segment,
    RawQuery(q): RawQuery,
) -> Result<crate::download::File, Answer> {
    let made = async move {
        let query = Query::parse(q.as_deref(), &[&["lang"]])?;
        let lang = query.options(Detail::Summary)?.lang;
        let r = round(&app, &id).await?;
        blocking(&app.work, move || {
            let (outcome, progress): (Outcome, Progress) = (read(&r.outcome)?, read(&r.progress)?);
            let bytes = duibiao_xlsx::results_workbook(&outcome, Some(&progress), lang)?;
            let name = format!("{}-第{}轮-结果.xlsx", r.info.standard, r.info.id);
            Ok(crate::download::File::workbook(bytes, &name))
        })
        .await
    };
    made.await.map_err(|stop| Answer::stopped("round", &stop))
}

/// `GET /v1/rounds/diff?before=N&after=M`: who moved up or down between two stored rounds,
/// and which targets changed, from their stored outcomes.
pub(crate) async fn diff(State(app): State<Arc<App>>, RawQuery(q): RawQuery) -> Answer {
    answer("diff", async move {
        let query = Query::parse(q.as_deref(), &[&["before", "after"]])?;
        let (a, b) = (query.required("before")?, query.required("after")?);
        let (a, b) = (round(&app, a).await?, round(&app, b).await?);
        let d: Diff = blocking(&app.work, move || {
            let (oa, ob): (Outcome, Outcome) = (read(&a.outcome)?, read(&b.outcome)?);
            let (pa, pb): (Progress, Progress) = (read(&a.progress)?, read(&b.progress)?);
            Ok(duibiao::diff_outcomes(&oa, &ob, Some((&pa, &pb))))
        })
        .await?;
        Ok(Answer::body("diff", None, Vec::new(), d))
    })
    .await
}

/// `GET /v1/standards/{standard}/history`: the rounds in force over time of a standard served,
/// each with its tiers counted and its targets (the rounds of a standard no longer served are
/// listed by `GET /v1/rounds?standard=…`).
pub(crate) async fn history(
    State(app): State<Arc<App>>,
    slug: Segment,
    RawQuery(q): RawQuery,
) -> Answer {
    answer("history", async move {
        Query::parse(q.as_deref(), &[])?;
        let s = app.standard(&slug.0)?;
        let infos = app.store.list(Some(s.slug())).await.map_err(stored)?;
        let mut rounds = Vec::new();
        for info in infos.into_iter().filter(|i| i.corrected_by.is_none()) {
            let r = round(&app, &info.id.to_string()).await?;
            let outcome: Outcome = read(&r.outcome)?;
            let progress: Progress = read(&r.progress)?;
            rounds.push(HistoryRound {
                round: r.info,
                tiers: tier_counts(&outcome),
                targets: progress.targets,
                all_hard_met: progress.all_hard_met,
            });
        }
        Ok(Answer::body(
            "history",
            Some(&s),
            Vec::new(),
            History { rounds },
        ))
    })
    .await
}

/// How many units of each kind reached each tier, by kind and tier.
fn tier_counts(outcome: &Outcome) -> Vec<TierCount> {
    let mut counts = std::collections::BTreeMap::<(String, Option<String>), usize>::new();
    for u in &outcome.units {
        *counts.entry((u.kind.clone(), u.tier.clone())).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|((kind, tier), units)| TierCount { kind, tier, units })
        .collect()
}
