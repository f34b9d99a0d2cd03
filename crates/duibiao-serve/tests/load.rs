//! A bounded load test on loopback: concurrent evaluations of the haiyan demo against a real
//! server, and concurrent submissions of it as rounds (evaluated, stored in SQLite), with the
//! latency's p50 and p99 and the throughput printed (the figures of docs/performance.md). Ignored by default; run it on a release build:
//!
//! ```sh
//! cargo test --release -p duibiao-serve --test load -- --ignored --nocapture
//! ```
//!
//! `DUIBIAO_LOAD_REQUESTS` (default 4,000) and `DUIBIAO_LOAD_CLIENTS` (default 16) set its size.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{demo, Server};
use std::time::{Duration, Instant};

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The `q` quantile of sorted durations (nearest rank).
fn quantile(sorted: &[Duration], q: f64) -> Duration {
    let rank = ((sorted.len() as f64) * q).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Sends `requests` POSTs of the demo to `path` from `clients` clients at once, each expecting
/// `status`, and prints the latency's p50, p99 and maximum and the throughput.
async fn load(what: &str, path: &str, status: u16) {
    let (requests, clients) = (
        setting("DUIBIAO_LOAD_REQUESTS", 4000),
        setting("DUIBIAO_LOAD_CLIENTS", 16),
    );
    let server = Server::standards().await;
    let url = format!("{}{path}", server.base);
    let body = demo();
    let units = serde_json::from_str::<serde_json::Value>(&body).unwrap()["units"]
        .as_array()
        .map_or(0, Vec::len);
    // Warm up: connections made, the first evaluation's allocations done.
    let client = reqwest::Client::new();
    for _ in 0..clients {
        let r = client
            .post(&url)
            .header("Content-Type", "application/json")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), status);
    }
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..clients {
        let (client, url, body) = (client.clone(), url.clone(), body.clone());
        let share = requests / clients + usize::from(c < requests % clients);
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::with_capacity(share);
            for _ in 0..share {
                let t = Instant::now();
                let r = client
                    .post(&url)
                    .header("Content-Type", "application/json")
                    .body(body.clone())
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), status);
                let text = r.text().await.unwrap();
                assert!(text.contains(r#""id":"SQ2""#));
                times.push(t.elapsed());
            }
            times
        }));
    }
    let mut times = Vec::with_capacity(requests);
    for t in tasks {
        times.extend(t.await.unwrap());
    }
    let elapsed = started.elapsed();
    times.sort_unstable();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "load: {requests} {what} of the haiyan demo ({units} units), {clients} clients, {} cores: \
         p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms, {:.0} requests/s",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        ms(quantile(&times, 0.50)),
        ms(quantile(&times, 0.99)),
        ms(times[times.len() - 1]),
        requests as f64 / elapsed.as_secs_f64()
    );
    assert_eq!(times.len(), requests);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "a load test: run it on a release build (see the file's comment)"]
async fn concurrent_evaluations_of_the_demo() {
    load("evaluations", "/v1/standards/haiyan-2021/evaluate", 200).await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "a load test: run it on a release build (see the file's comment)"]
async fn concurrent_rounds_of_the_demo() {
    load(
        "rounds submitted (evaluated and stored in SQLite)",
        "/v1/standards/haiyan-2021/rounds?submitted_by=load",
        201,
    )
    .await;
}
