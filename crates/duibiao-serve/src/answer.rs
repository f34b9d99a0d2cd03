//! Answers: every response is the protocol's (`duibiao::protocol::Response`), written by its one
//! JSON writer, with the HTTP status its problems call for ([`crate::problems::status`]).

use crate::problems::status;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response as HttpResponse};
use duibiao::protocol::{self, Response, Style};
use duibiao::{Problem, Problems, Standard};
use serde::Serialize;
use std::sync::Arc;
use tokio::sync::Semaphore;

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

/// Runs `f`, which evaluates (and so takes a while), on a thread for blocking work once one of
/// `work`'s permits is free; a panic in it is the problem `A0008`. The permit is held until `f`
/// ends, even when the request has been given up on (its time ran out): what runs at once stays
/// within the permits. A request given up on while it waits for a permit runs nothing.
pub(crate) async fn blocking<T: Send + 'static>(
    work: &Arc<Semaphore>,
    f: impl FnOnce() -> Result<T, Stop> + Send + 'static,
) -> Result<T, Stop> {
    let permit = work
        .clone()
        .acquire_owned()
        .await
        .map_err(|e| Stop::from(internal(&e.to_string())))?;
    tokio::task::spawn_blocking(move || {
        let made = f();
        drop(permit);
        made
    })
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]

    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::mpsc;
    use std::time::Duration;

    /// Runs `blocking` on `work` as a task of its own; the evaluation waits for `release` and
    /// marks `started` when it begins.
    fn evaluation(
        work: &Arc<Semaphore>,
        started: &Arc<AtomicBool>,
    ) -> (tokio::task::JoinHandle<Result<u8, Stop>>, mpsc::Sender<()>) {
        let (release, wait) = mpsc::channel::<()>();
        let (work, started) = (work.clone(), started.clone());
        let task = tokio::spawn(async move {
            blocking(&work, move || {
                started.store(true, Ordering::SeqCst);
                wait.recv().ok();
                Ok(7)
            })
            .await
        });
        (task, release)
    }

    /// Waits (a few seconds at most) until `work` has `n` permits free.
    async fn free(work: &Semaphore, n: usize) {
        for _ in 0..500 {
            if work.available_permits() == n {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("{} permits free, not {n}", work.available_permits());
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn an_evaluation_waits_for_a_free_worker() {
        let work = Arc::new(Semaphore::new(1));
        let (one, two) = (Arc::default(), Arc::<AtomicBool>::default());
        let (first, release_first) = evaluation(&work, &one);
        free(&work, 0).await;
        let (second, release_second) = evaluation(&work, &two);
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(one.load(Ordering::SeqCst));
        assert!(
            !two.load(Ordering::SeqCst),
            "the second ran beside the first"
        );
        release_first.send(()).unwrap();
        assert!(matches!(first.await.unwrap(), Ok(7)));
        release_second.send(()).unwrap();
        assert!(matches!(second.await.unwrap(), Ok(7)));
        assert!(two.load(Ordering::SeqCst));
        assert_eq!(work.available_permits(), 1);
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_request_given_up_while_it_waits_runs_nothing() {
        let work = Arc::new(Semaphore::new(1));
        let (one, two) = (Arc::default(), Arc::<AtomicBool>::default());
        let (first, release_first) = evaluation(&work, &one);
        free(&work, 0).await;
        let (second, _release_second) = evaluation(&work, &two);
        second.abort();
        assert!(second.await.unwrap_err().is_cancelled());
        release_first.send(()).unwrap();
        assert!(matches!(first.await.unwrap(), Ok(7)));
        free(&work, 1).await;
        assert!(!two.load(Ordering::SeqCst));
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn an_evaluation_given_up_on_holds_its_worker_until_it_ends() {
        let work = Arc::new(Semaphore::new(1));
        let one = Arc::default();
        let (first, release_first) = evaluation(&work, &one);
        free(&work, 0).await;
        // The request is gone (its time ran out); its evaluation still runs, and holds the worker.
        first.abort();
        let _ = first.await;
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(work.available_permits(), 0);
        release_first.send(()).unwrap();
        free(&work, 1).await;
    }
}
