//! What the service's tests share: a real server on an ephemeral loopback port, a client, the
//! repository's files, scratch folders, and the PostgreSQL server of `DUIBIAO_TEST_POSTGRES`.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use duibiao_serve::{App, Config};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tempfile::TempDir;

/// The repository's root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The haiyan demo's facts.
pub fn demo() -> String {
    std::fs::read_to_string(root().join("standards/haiyan-2021/demo.json")).unwrap()
}

/// The demo's facts with SQ2's gap plan applied (SQ2 reaches 示范型), on `as_of`.
pub fn improved_on(as_of: &str) -> String {
    let mut facts: Value = serde_json::from_str(&demo()).unwrap();
    facts["as_of"] = Value::from(as_of);
    for u in facts["units"].as_array_mut().unwrap() {
        match u["id"].as_str() {
            Some("SQ2") => u["facts"]["社会组织充分融入"] = Value::from(true),
            Some("XQ21") => u["facts"]["一票否决"] = Value::from(false),
            _ => {}
        }
    }
    facts.to_string()
}

/// The demo's facts with SQ2's gap plan applied, on the demo's date.
pub fn improved() -> String {
    improved_on("2021-12-31")
}

/// A new empty scratch folder, removed with everything in it when the guard is dropped: keep it
/// alive as long as a server uses it.
pub fn scratch(name: &str) -> TempDir {
    tempfile::Builder::new()
        .prefix(&format!("duibiao-serve-{name}-"))
        .tempdir()
        .unwrap()
}

/// The PostgreSQL URL of `DUIBIAO_TEST_POSTGRES`; when it is not set, a message saying the
/// test is skipped, or a failure when `DUIBIAO_REQUIRE_POSTGRES=1` (as in CI).
pub fn postgres(test: &str) -> Option<String> {
    match std::env::var("DUIBIAO_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("DUIBIAO_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "DUIBIAO_REQUIRE_POSTGRES=1 but DUIBIAO_TEST_POSTGRES is not set"
            );
            eprintln!("{test}: skipped on PostgreSQL: DUIBIAO_TEST_POSTGRES is not set (see crates/duibiao-serve/tests/pg.sh)");
            None
        }
    }
}

/// The workbook's media type.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A running server.
pub struct Server {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    pub app: Arc<App>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    done: Option<tokio::task::JoinHandle<Result<(), duibiao_serve::ServeError>>>,
    client: reqwest::Client,
    /// The scratch folder of the server's database, when it made one.
    scratch: Option<TempDir>,
}

/// A response's status and JSON.
pub struct Got {
    pub status: u16,
    pub json: Value,
}

/// The status and the response's first 600 characters, for failing assertions.
impl std::fmt::Display for Got {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = self.json.to_string();
        let short: String = text.chars().take(600).collect();
        write!(f, "{} {short}", self.status)
    }
}

impl Got {
    /// The codes of its problems.
    pub fn codes(&self) -> Vec<String> {
        self.json["problems"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|p| p["code"].as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl Server {
    /// A server for `config` on an ephemeral port (a SQLite file in a scratch folder unless
    /// the config names a database).
    pub async fn start(config: Config) -> Server {
        let app = App::open(config).await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let done = tokio::spawn(duibiao_serve::serve(listener, app.clone(), async move {
            let _ = stopped.await;
        }));
        Server {
            base,
            app,
            stop: Some(stop),
            done: Some(done),
            client: reqwest::Client::new(),
            scratch: None,
        }
    }

    /// A server on the repository's standards with a fresh SQLite file.
    pub async fn standards() -> Server {
        let dir = scratch("db");
        let db = dir.path().join("rounds.sqlite3");
        let mut server = Server::start(
            Config::default()
                .standards(root().join("standards"))
                .db(db.display().to_string()),
        )
        .await;
        server.scratch = Some(dir);
        server
    }

    /// Sends a request with `body` of type `kind` (a workbook answered gives `null` as its JSON).
    pub async fn send(&self, method: &str, path: &str, kind: Option<&str>, body: Vec<u8>) -> Got {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = self.client.request(method, format!("{}{path}", self.base));
        if let Some(k) = kind {
            req = req.header("Content-Type", k);
        }
        let r = req.body(body).send().await.unwrap();
        let status = r.status().as_u16();
        let workbook = r
            .headers()
            .get("content-type")
            .is_some_and(|t| t.as_bytes() == XLSX.as_bytes());
        let text = r.text().await.unwrap();
        if workbook {
            return Got {
                status,
                json: Value::Null,
            };
        }
        let json = serde_json::from_str(&text).unwrap_or_else(|e| {
            let short: String = text.chars().take(600).collect();
            panic!("not JSON ({e}): {short}")
        });
        Got { status, json }
    }

    /// GET.
    pub async fn get(&self, path: &str) -> Got {
        self.send("GET", path, None, Vec::new()).await
    }

    /// POST of JSON text.
    pub async fn post(&self, path: &str, json: &str) -> Got {
        self.send(
            "POST",
            path,
            Some("application/json"),
            json.as_bytes().to_vec(),
        )
        .await
    }

    /// Stops it as a signal would, and waits until it has stopped.
    pub async fn stop(mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(d) = self.done.take() {
            d.await.unwrap().unwrap();
        }
    }
}
