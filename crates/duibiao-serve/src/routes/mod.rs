//! The service's routes: the router, the extractors its handlers share, and the answers to
//! requests no handler takes (no such path, a method the path does not take) and to those the
//! limits stop (too large, too long), all as problems.

pub(crate) mod engine;
pub(crate) mod rounds;
pub(crate) mod standards;

use crate::answer::{answer, Answer, Stop};
use crate::input;
use crate::problems::{bad_method, no_route, timed_out, too_large};
use crate::query::Query;
use crate::App;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::{header, request::Parts, HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use duibiao::Problems;
use std::sync::Arc;

/// The one parameter of a path: a standard's slug (`/v1/standards/{standard}/…`) or a round's
/// number (`/v1/rounds/{round}`). A path whose parameter cannot be read (not UTF-8 once decoded)
/// is no path the service has (`S0011`).
pub(crate) struct Segment(pub(crate) String);

impl<S: Send + Sync> FromRequestParts<S> for Segment {
    type Rejection = Answer;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<String>::from_request_parts(parts, state).await {
            Ok(Path(s)) => Ok(Segment(s)),
            Err(_) => Err(Answer::stopped(
                "request",
                &Stop::from(no_route(parts.uri.path())),
            )),
        }
    }
}

/// A request's body, read within the body limit (or why it could not be).
pub(crate) struct Body {
    body: Result<Bytes, BytesRejection>,
    limit: usize,
}

impl Body {
    /// The bytes, or `S0004` when the body is larger than the limit.
    pub(crate) fn bytes(self) -> Result<Bytes, Problems> {
        input::bytes(self.body, self.limit)
    }
}

impl FromRequest<Arc<App>> for Body {
    type Rejection = std::convert::Infallible;

    async fn from_request(req: Request, state: &Arc<App>) -> Result<Self, Self::Rejection> {
        Ok(Body {
            body: Bytes::from_request(req, state).await,
            limit: state.config.max_body,
        })
    }
}

/// What a call on a standard served receives: the service, the standard's slug, the query
/// string, the headers and the body.
pub(crate) struct Call {
    /// The service.
    pub(crate) app: Arc<App>,
    /// The slug of `/v1/standards/{standard}/…`.
    pub(crate) slug: String,
    /// The query string, if any.
    pub(crate) raw_query: Option<String>,
    /// The request's headers.
    pub(crate) headers: HeaderMap,
    /// The body.
    pub(crate) body: Body,
}

impl FromRequest<Arc<App>> for Call {
    type Rejection = Answer;

    async fn from_request(req: Request, state: &Arc<App>) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let Segment(slug) = Segment::from_request_parts(&mut parts, state).await?;
        let raw_query = parts.uri.query().map(str::to_string);
        let headers = parts.headers.clone();
        let req = Request::from_parts(parts, body);
        let Ok(body) = Body::from_request(req, state).await;
        Ok(Call {
            app: state.clone(),
            slug,
            raw_query,
            headers,
            body,
        })
    }
}

impl Call {
    /// The standard served under the slug (`S0001` when there is none).
    pub(crate) fn standard(&self) -> Result<duibiao::Standard, Stop> {
        self.app.standard(&self.slug)
    }

    /// The query string read, taking the keys of `takes` (`S0003` for any other).
    pub(crate) fn query(&self, takes: &[&[&str]]) -> Result<Query, Problems> {
        Query::parse(self.raw_query.as_deref(), takes)
    }

    /// The facts of the body, as JSON or a workbook, named by the query's `file`.
    pub(crate) fn facts(self, query: &Query) -> Result<input::FactsBody, Problems> {
        input::facts(
            &self.headers,
            self.body.bytes()?,
            query.get("file"),
            self.app.config.max_body,
        )
    }
}

/// The router of the service `app`, with its limits: bodies up to `max_body` bytes, answers
/// within `timeout`.
pub(crate) fn router(app: Arc<App>) -> Router {
    let limits = (app.config.max_body, app.config.timeout);
    Router::new()
        .route("/", get(crate::console::index))
        .route("/console/{*path}", get(crate::console::asset))
        .route("/openapi.json", get(crate::openapi::serve))
        .route("/v1/check", post(engine::check))
        .route("/v1/standards", get(standards::list))
        .route("/v1/standards/{standard}", get(standards::one))
        .route(
            "/v1/standards/{standard}/template.xlsx",
            get(standards::template),
        )
        .route("/v1/standards/{standard}/evaluate", post(engine::evaluate))
        .route("/v1/standards/{standard}/explain", post(engine::explain))
        .route("/v1/standards/{standard}/progress", post(engine::progress))
        .route("/v1/standards/{standard}/gap", post(engine::gap))
        .route("/v1/standards/{standard}/diff", post(engine::diff))
        .route("/v1/standards/{standard}/impact", post(engine::impact))
        .route("/v1/standards/{standard}/rounds", post(rounds::submit))
        .route("/v1/standards/{standard}/history", get(rounds::history))
        .route("/v1/rounds", get(rounds::list))
        .route("/v1/rounds/diff", get(rounds::diff))
        .route("/v1/rounds/{round}", get(rounds::get))
        .route("/v1/rounds/{round}/results.xlsx", get(rounds::results))
        .fallback(no_such_path)
        .method_not_allowed_fallback(no_such_method)
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            limits.1,
        ))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(limits.0))
        // Outermost, to see what the limits answer.
        .layer(axum::middleware::map_response(
            move |r: Response| async move { as_problem(r, limits) },
        ))
        .with_state(app)
}

async fn no_such_path(uri: Uri) -> Answer {
    answer(
        "request",
        async move { Err(Stop::from(no_route(uri.path()))) },
    )
    .await
}

async fn no_such_method(method: Method, uri: Uri) -> Answer {
    answer("request", async move {
        Err(Stop::from(bad_method(method.as_str(), uri.path())))
    })
    .await
}

/// A response the limits or the router made without a body of problems, given one: 413 is
/// `S0004`, 503 (the time limit) `S0005`, another client error `A0002`, a server error `A0008`.
/// Successes and answers with problems pass as they are.
fn as_problem(r: Response, (max_body, timeout): (usize, std::time::Duration)) -> Response {
    let json = r
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"application/json"));
    if json {
        return r;
    }
    let problems = match r.status() {
        StatusCode::PAYLOAD_TOO_LARGE => too_large(max_body),
        StatusCode::SERVICE_UNAVAILABLE => timed_out(timeout.as_secs()),
        s if s.is_client_error() => unreadable(s),
        s if s.is_server_error() => Problems::one(crate::answer::internal(&s.to_string())),
        _ => return r,
    };
    let allow = r.headers().get(header::ALLOW).cloned();
    let mut out = Answer::stopped("request", &Stop::from(problems)).into_response();
    if let Some(a) = allow {
        out.headers_mut().insert(header::ALLOW, a);
    }
    out
}

/// `A0002`: a request the router or an extractor could not read (`status` says how).
fn unreadable(status: StatusCode) -> Problems {
    Problems::one(
        duibiao::Problem::error(
            duibiao::codes::Code::A0002,
            format!("无法读取请求（{status}）"),
            format!("the request cannot be read ({status})"),
        )
        .with_help(
            "请求的形式见 GET /openapi.json",
            "the shape of every request is in GET /openapi.json",
        ),
    )
}
