//! Answers: every response is the protocol's (`duibiao::protocol::Response`), written by its one
//! JSON writer, with the HTTP status its problems call for ([`crate::problems::status`]).

use crate::problems::status;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response as HttpResponse};
use duibiao::protocol::{self, Response, Style};
use duibiao::{Problem, Problems, Standard};
use serde::Serialize;

/// A response's JSON text and its HTTP status.
#[derive(Debug)]
pub(crate) struct Answer {
    status: StatusCode,
    json: Vec<u8>,
}

impl IntoResponse for Answer {
    fn into_response(self) -> HttpResponse {
        (
            self.status,
            [(header::CONTENT_TYPE, "application/json")],
            self.json,
        )
            .into_response()
    }
}

impl Answer {
    /// The response to `call` on `standard` with `problems` and `body`.
    pub(crate) fn new<B: Serialize>(
        call: &str,
        standard: Option<&Standard>,
        problems: Vec<Problem>,
        body: Option<B>,
    ) -> Answer {
        let r = Response::new(Some(call), standard, problems, body);
        let mut json = Vec::new();
        match protocol::write_response(&mut json, &r, Style::Compact) {
            Ok(()) => Answer {
                status: status(r.ok, &r.problems),
                json,
            },
            Err(e) => Answer::stopped(call, &Stop::from(internal(&e.to_string()))),
        }
    }

    /// The response to `call` with its body.
    pub(crate) fn body<B: Serialize>(
        call: &str,
        standard: Option<&Standard>,
        problems: Vec<Problem>,
        body: B,
    ) -> Answer {
        Answer::new(call, standard, problems, Some(body))
    }

    /// Text the protocol's writer already wrote (an evaluation streamed unit by unit) with the
    /// status of its problems.
    pub(crate) fn written(json: Vec<u8>, ok: bool, problems: &[Problem]) -> Answer {
        Answer {
            status: status(ok, problems),
            json,
        }
    }

    /// The response to `call` that `stop` stopped: its problems, no body.
    pub(crate) fn stopped(call: &str, stop: &Stop) -> Answer {
        let text = protocol::boundary::problem_response(
            Some(call),
            stop.standard.as_ref(),
            stop.problems.clone(),
        );
        Answer {
            status: status(false, &stop.problems.0),
            json: text.into_bytes(),
        }
    }

    /// As 201 Created when it is a success (a round stored).
    pub(crate) fn created(mut self) -> Answer {
        if self.status == StatusCode::OK {
            self.status = StatusCode::CREATED;
        }
        self
    }
}

/// What stopped a request: its problems, and the standard it was on, if any.
#[derive(Debug)]
pub(crate) struct Stop {
    pub(crate) standard: Option<Standard>,
    pub(crate) problems: Problems,
}

impl From<Problems> for Stop {
    fn from(problems: Problems) -> Self {
        Stop {
            standard: None,
            problems,
        }
    }
}

impl From<Problem> for Stop {
    fn from(problem: Problem) -> Self {
        Stop::from(Problems::one(problem))
    }
}

impl Stop {
    /// Stopped on `standard` with `problems` (those found first, such as loading problems,
    /// then those that stopped it).
    pub(crate) fn on(standard: &Standard, first: Vec<Problem>, then: Problems) -> Stop {
        let mut all = first;
        all.extend(then);
        Stop {
            standard: Some(standard.clone()),
            problems: Problems(all),
        }
    }
}

/// Answers `call` with what `f` makes, or with what stopped it.
pub(crate) async fn answer(
    call: &str,
    f: impl std::future::Future<Output = Result<Answer, Stop>>,
) -> Answer {
    f.await.unwrap_or_else(|stop| Answer::stopped(call, &stop))
}

/// Runs `f`, which evaluates (and so takes a while), on a thread for blocking work; a panic in
/// it is the problem `A0008`.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, Stop> + Send + 'static,
) -> Result<T, Stop> {
    tokio::task::spawn_blocking(f)
        .await
        .unwrap_or_else(|_| Err(Stop::from(duibiao::protocol::boundary::panicked())))
}

/// `A0008`: something inside went wrong that should not have.
pub(crate) fn internal(what: &str) -> Problem {
    Problem::error(
        duibiao::codes::Code::A0008,
        format!("内部错误：{what}"),
        format!("internal error: {what}"),
    )
}
