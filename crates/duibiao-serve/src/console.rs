//! The service's front page, `GET /`: where the web review console's embedded assets are to be
//! served (docs/service.md). Until the console is built into the binary, the front page is the
//! service's index: what it serves and where its description is.

use crate::answer::Answer;
use crate::App;
use axum::extract::State;
use schemars::JsonSchema;
use serde::Serialize;
use std::sync::Arc;

/// What the service serves.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Index {
    /// The service's name.
    pub(crate) service: String,
    /// The OpenAPI document describing every path.
    pub(crate) openapi: String,
    /// The slugs of the standards served.
    pub(crate) standards: Vec<String>,
}

/// `GET /`: the index.
pub(crate) async fn index(State(app): State<Arc<App>>) -> Answer {
    let body = Index {
        service: "duibiao serve".to_string(),
        openapi: "/openapi.json".to_string(),
        standards: app.catalog.slugs(),
    };
    Answer::body("index", None, Vec::new(), body)
}
