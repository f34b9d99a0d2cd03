//! `duibiao lsp` is a language server on standard input and output: the built binary, spoken to
//! in framed JSON-RPC as an editor speaks to it, answers the handshake, diagnoses a standard as
//! it is opened and changed, and exits cleanly when shut down. (What it answers is tested in
//! depth by `crates/duibiao-lsp/tests`.)

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use lsp_server::{Message, Notification, Request, RequestId};
use serde_json::{json, Value};
use std::io::BufReader;
use std::process::{Command, Stdio};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

#[test]
fn the_server_speaks_json_rpc_on_standard_io() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_duibiao"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("duibiao lsp starts");
    let mut to = child.stdin.take().unwrap();
    let mut from = BufReader::new(child.stdout.take().unwrap());
    let mut send = |m: Message| m.write(&mut to).expect("written");
    let mut next = || Message::read(&mut from).expect("read").expect("a message");

    send(Message::Request(Request::new(
        RequestId::from(1),
        "initialize".into(),
        json!({"capabilities": {}, "initializationOptions": {"lang": "en"}}),
    )));
    let Message::Response(r) = next() else {
        panic!("a response")
    };
    let caps = &r.result.unwrap()["capabilities"];
    assert_eq!(caps["textDocumentSync"], json!(2));
    assert_eq!(
        caps["documentFormattingProvider"],
        json!(true),
        "duibiao fmt is wired in"
    );
    send(Message::Notification(Notification::new(
        "initialized".into(),
        json!({}),
    )));

    // `一定量标准型社会组织` misspelt in a tier condition of haiyan-2021.
    let text = std::fs::read_to_string(format!("{ROOT}/standards/haiyan-2021.std")).unwrap();
    let text = text.replacen(">= 一定量标准型社会组织", ">= 一定量标准社会组织", 1);
    let uri = "file:///tmp/haiyan-2021.std";
    send(Message::Notification(Notification::new(
        "textDocument/didOpen".into(),
        json!({"textDocument": {"uri": uri, "languageId": "duibiao", "version": 1, "text": text}}),
    )));
    let Message::Notification(n) = next() else {
        panic!("diagnostics")
    };
    assert_eq!(n.method, "textDocument/publishDiagnostics");
    let d: &Value = &n.params["diagnostics"][0];
    assert_eq!(d["code"], "E0104");
    let line = text
        .lines()
        .position(|l| l.contains(">= 一定量标准社会组织"))
        .expect("the misspelt use");
    assert_eq!(
        d["range"],
        json!({"start": {"line": line, "character": 35}, "end": {"line": line, "character": 44}})
    );
    assert!(d["message"]
        .as_str()
        .unwrap()
        .starts_with("unknown name `一定量标准社会组织`"));

    // Formatting is `duibiao fmt`'s: the standard with a line indented by four spaces instead
    // of two becomes the bundled text again, by one edit over the two spaces too many.
    let clean = std::fs::read_to_string(format!("{ROOT}/standards/haiyan-2021.std")).unwrap();
    let messy = clean.replacen("  title \"", "    title \"", 1);
    assert_ne!(messy, clean);
    let uri2 = "file:///tmp/messy.std";
    send(Message::Notification(Notification::new(
        "textDocument/didOpen".into(),
        json!({"textDocument": {"uri": uri2, "languageId": "duibiao", "version": 1, "text": messy}}),
    )));
    let Message::Notification(_) = next() else {
        panic!("diagnostics")
    };
    send(Message::Request(Request::new(
        RequestId::from(3),
        "textDocument/formatting".into(),
        json!({"textDocument": {"uri": uri2}, "options": {"tabSize": 2, "insertSpaces": true}}),
    )));
    let Message::Response(r) = next() else {
        panic!("a response")
    };
    let edits = r.result.unwrap();
    let title = clean
        .lines()
        .position(|l| l.starts_with("  title \""))
        .expect("the title");
    assert_eq!(
        edits,
        json!([{"range": {"start": {"line": title, "character": 2}, "end": {"line": title, "character": 4}}, "newText": ""}])
    );

    send(Message::Request(Request::new(
        RequestId::from(2),
        "shutdown".into(),
        Value::Null,
    )));
    let Message::Response(r) = next() else {
        panic!("a response")
    };
    assert_eq!(r.id, RequestId::from(2));
    send(Message::Notification(Notification::new(
        "exit".into(),
        Value::Null,
    )));
    drop(to);
    let status = child.wait().expect("the server exits");
    assert!(status.success(), "{status}");
}
