//! The standards served: the list, with each file's problems, and one standard's check.

use super::Segment;
use crate::answer::{answer, blocking, Answer, Stop};
use crate::catalog::StandardInfo;
use crate::query::Query;
use crate::App;
use axum::extract::{RawQuery, State};
use schemars::JsonSchema;
use serde::Serialize;
use std::sync::Arc;

/// The standards of the folder.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct StandardList {
    /// Every `.std` file, in the files' order.
    pub(crate) standards: Vec<StandardInfo>,
}

/// `GET /v1/standards`: every file of the folder and what became of it.
pub(crate) async fn list(State(app): State<Arc<App>>, RawQuery(q): RawQuery) -> Answer {
    answer("standards", async move {
        Query::parse(q.as_deref(), &[])?;
        let standards = app.catalog.list();
        Ok(Answer::body(
            "standards",
            None,
            Vec::new(),
            StandardList { standards },
        ))
    })
    .await
}

/// One standard of the folder.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct StandardEntry {
    /// The file serving the slug and what became of it: whether the version served is its
    /// current text, and the current text's problems.
    pub(crate) entry: StandardInfo,
}

/// `GET /v1/standards/{standard}`: the file served as this slug, its version served and the
/// problems of its current text (when it was changed and no longer compiles, the last version
/// that compiled is served: `current` is false and `problems` are the new text's errors).
pub(crate) async fn one(
    State(app): State<Arc<App>>,
    slug: Segment,
    RawQuery(q): RawQuery,
) -> Answer {
    answer("standard", async move {
        Query::parse(q.as_deref(), &[])?;
        let s = app.standard(&slug.0)?;
        let entry = app
            .catalog
            .list()
            .into_iter()
            .find(|i| i.standard.as_deref() == Some(s.slug()))
            .ok_or_else(|| crate::problems::unknown_standard(&slug.0, &app.catalog.slugs()))?;
        Ok(Answer::body(
            "standard",
            Some(&s),
            Vec::new(),
            StandardEntry { entry },
        ))
    })
    .await
}

/// `GET /v1/standards/{standard}/template.xlsx[?kind=KIND]`: the workbook an assessor fills in,
/// with the sheets of every kind of unit or of `kind` only (`A0007` for a kind the standard
/// does not have, or a kind of record).
pub(crate) async fn template(
    State(app): State<Arc<App>>,
    slug: Segment,
    RawQuery(q): RawQuery,
) -> Result<crate::download::File, Answer> {
    let made = async move {
        let query = Query::parse(q.as_deref(), &[&["kind"]])?;
        let kind = query.get("kind").map(str::to_string);
        let s = app.standard(&slug.0)?;
        blocking(&app.work, move || {
            let bytes = duibiao_xlsx::template(&s, kind.as_deref())
                .map_err(|p| Stop::on(&s, Vec::new(), p))?;
            let name = match &kind {
                Some(k) => format!("{}-{k}-评分表.xlsx", s.slug()),
                None => format!("{}-评分表.xlsx", s.slug()),
            };
            Ok(crate::download::File::workbook(bytes, &name))
        })
        .await
    };
    made.await
        .map_err(|stop| Answer::stopped("template", &stop))
}
