//! A client for the server's integration tests: the server loop runs on a thread at the other end
//! of an in-memory connection, and everything passes between them as JSON-RPC messages.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::thread::JoinHandle;
use std::time::Duration;

/// The repository root.
pub const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// The text of a bundled standard.
pub fn standard(slug: &str) -> String {
    repo_file(&format!("standards/{slug}.std"))
}

/// The text of a file of the repository (`docs/tutorial/guide-demo.std`).
pub fn repo_file(path: &str) -> String {
    std::fs::read_to_string(format!("{ROOT}/{path}")).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The protocol position (line, UTF-16 column) of byte `offset` of `text`, counted here without
/// the server's line index.
pub fn position(text: &str, offset: usize) -> (u32, u32) {
    let line = text[..offset].matches('\n').count();
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    (
        line as u32,
        text[start..offset].encode_utf16().count() as u32,
    )
}

/// The position of the start of the `n`th (0-based) occurrence of `needle` in `text`, moved
/// forward by `skip` bytes.
pub fn find(text: &str, needle: &str, n: usize, skip: usize) -> (u32, u32) {
    let at = text
        .match_indices(needle)
        .nth(n)
        .unwrap_or_else(|| panic!("`{needle}` occurs {} times", n + 1))
        .0;
    position(text, at + skip)
}

/// A protocol position as JSON.
pub fn pos((line, character): (u32, u32)) -> Value {
    json!({"line": line, "character": character})
}

/// A client connected to a running server.
pub struct Client {
    conn: Connection,
    server: Option<JoinHandle<Result<(), String>>>,
    next: i32,
    /// Notifications received while waiting for a response.
    pending: VecDeque<Notification>,
    /// What the server answered `initialize` with.
    pub initialized: Value,
}

pub const URI: &str = "file:///work/standards/haiyan-2021.std";

impl Client {
    /// Starts a server and initializes it with `options` as `initializationOptions` and
    /// `locale`.
    pub fn start(options: Value, locale: Option<&str>) -> Client {
        Client::start_with(options, locale, duibiao_lsp::Options::default())
    }

    /// As [`Client::start`], the server given `server_options`.
    pub fn start_with(
        options: Value,
        locale: Option<&str>,
        server_options: duibiao_lsp::Options,
    ) -> Client {
        let (server, conn) = Connection::memory();
        let handle = std::thread::spawn(move || {
            duibiao_lsp::run(&server, server_options).map_err(|e| e.to_string())
        });
        let mut c = Client {
            conn,
            server: Some(handle),
            next: 0,
            pending: VecDeque::new(),
            initialized: Value::Null,
        };
        let mut params = json!({"capabilities": {}, "initializationOptions": options});
        if let Some(l) = locale {
            params["locale"] = json!(l);
        }
        c.initialized = c.request("initialize", params);
        c.notify("initialized", json!({}));
        c
    }

    fn recv(&self) -> Message {
        self.conn
            .receiver
            .recv_timeout(Duration::from_secs(60))
            .expect("the server answers within a minute")
    }

    /// Sends a request and returns its result (panics on an error response).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let r = self.call(method, params);
        assert!(r.error.is_none(), "{method}: {:?}", r.error);
        r.result.unwrap_or(Value::Null)
    }

    /// Sends a request and returns the response, error or not.
    pub fn call(&mut self, method: &str, params: Value) -> lsp_server::Response {
        self.next += 1;
        let id = RequestId::from(self.next);
        let req = Request::new(id.clone(), method.to_string(), params);
        self.conn.sender.send(Message::Request(req)).expect("sent");
        loop {
            match self.recv() {
                Message::Response(r) if r.id == id => return r,
                Message::Notification(n) => self.pending.push_back(n),
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    /// Sends a notification.
    pub fn notify(&self, method: &str, params: Value) {
        let n = Notification::new(method.to_string(), params);
        self.conn
            .sender
            .send(Message::Notification(n))
            .expect("sent");
    }

    /// The next diagnostics the server publishes.
    pub fn diagnostics(&mut self) -> Value {
        loop {
            let n = match self.pending.pop_front() {
                Some(n) => n,
                None => match self.recv() {
                    Message::Notification(n) => n,
                    other => panic!("unexpected {other:?}"),
                },
            };
            if n.method == "textDocument/publishDiagnostics" {
                return n.params;
            }
        }
    }

    /// Opens `text` at [`URI`] and returns its diagnostics.
    pub fn open(&mut self, text: &str) -> Value {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": URI, "languageId": "duibiao", "version": 1, "text": text}}),
        );
        self.diagnostics()
    }

    /// Replaces the range from `start` to `end` with `text` (an incremental change), as version
    /// `version`, and returns the diagnostics.
    pub fn change(
        &mut self,
        version: i32,
        start: (u32, u32),
        end: (u32, u32),
        text: &str,
    ) -> Value {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": URI, "version": version},
                "contentChanges": [{"range": {"start": pos(start), "end": pos(end)}, "text": text}]
            }),
        );
        self.diagnostics()
    }

    /// Asks `method` about position `at` of the document.
    pub fn at(&mut self, method: &str, at: (u32, u32)) -> Value {
        let mut params = json!({"textDocument": {"uri": URI}, "position": pos(at)});
        if method == "textDocument/references" {
            params["context"] = json!({"includeDeclaration": true});
        }
        self.request(method, params)
    }

    /// Shuts the server down and waits for it to stop; returns how the loop ended.
    pub fn shutdown(mut self) -> Result<(), String> {
        let r = self.request("shutdown", Value::Null);
        assert_eq!(r, Value::Null);
        self.notify("exit", Value::Null);
        self.server
            .take()
            .expect("a running server")
            .join()
            .expect("the server thread does not panic")
    }
}

/// The open document's symbols (`textDocument/documentSymbol`).
pub fn symbols(c: &mut Client) -> Value {
    c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    )
}

/// The open document's outline as indented lines (see [`outline`]).
pub fn outline_of(c: &mut Client) -> String {
    let mut out = String::new();
    outline(&symbols(c), 0, &mut out);
    out
}

/// The outline as indented lines: `kind name [detail]`.
pub fn outline(symbols: &Value, depth: usize, out: &mut String) {
    for s in symbols.as_array().unwrap() {
        out.push_str(&format!(
            "{}{} {} [{}] {}:{}\n",
            "  ".repeat(depth),
            s["kind"],
            s["name"].as_str().unwrap(),
            s["detail"].as_str().unwrap_or(""),
            s["selectionRange"]["start"]["line"],
            s["selectionRange"]["start"]["character"],
        ));
        if let Some(kids) = s.get("children") {
            outline(kids, depth + 1, out);
        }
    }
}

/// Every reference the compiler resolved in `text` (at least `least` of them) is found by
/// go-to-definition, and hovering over it describes it.
pub fn names_lead_to_their_declarations(slug: &str, text: &str, least: usize) {
    let analysis = duibiao_compiler::analyze(text, &duibiao_compiler::SourceLimits::default());
    assert!(!analysis.compiled.has_errors(), "{slug}");
    let mut c = Client::start(json!({}), None);
    let published = c.open(text);
    let warnings = published["diagnostics"].as_array().unwrap();
    assert_eq!(
        warnings.len(),
        analysis.compiled.diagnostics.len(),
        "{slug}"
    );
    let refs = analysis.index.references();
    assert!(refs.len() > least, "{slug}: {} references", refs.len());
    for r in refs {
        let at = position(text, r.used.start);
        let end = position(text, r.used.end);
        let declared = json!({"start": pos(position(text, r.declared.start)), "end": pos(position(text, r.declared.end))});
        let defs = c.at("textDocument/definition", at);
        let ranges: Vec<&Value> = defs
            .as_array()
            .unwrap()
            .iter()
            .map(|d| &d["range"])
            .collect();
        let name = &text[r.used.start..r.used.end];
        assert!(
            ranges.contains(&&declared),
            "{slug}: `{name}` at {at:?}: {defs}"
        );
        let hover = c.at("textDocument/hover", end);
        assert_eq!(
            hover["range"]["start"],
            pos(at),
            "{slug}: `{name}` at {at:?}"
        );
        assert!(
            hover["contents"]["value"]
                .as_str()
                .unwrap()
                .starts_with("**"),
            "{slug}: `{name}` at {at:?}: {hover}"
        );
    }
    assert_eq!(c.shutdown(), Ok(()));
}
