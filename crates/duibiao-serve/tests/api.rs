//! The HTTP API end to end: a real server on a loopback port, a real HTTP client.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{demo, improved, root, scratch, Got, Server};
use duibiao_serve::Config;
use serde_json::{json, Value};
use std::time::Duration;

fn unit<'a>(response: &'a Value, id: &str) -> &'a Value {
    response["units"]
        .as_array()
        .and_then(|u| u.iter().find(|u| u["id"] == id))
        .unwrap_or_else(|| panic!("no {id} in {response}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_engine_calls_answer_as_the_protocol_does() {
    let s = Server::standards().await;
    let listed = s.get("/v1/standards").await;
    assert_eq!(listed.status, 200, "{}", listed);
    let haiyan = listed.json["standards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["standard"] == "haiyan-2021")
        .unwrap()
        .clone();
    assert_eq!(haiyan["current"], true);

    let e = s.post("/v1/standards/haiyan-2021/evaluate", &demo()).await;
    assert_eq!((e.status, &e.json["ok"]), (200, &json!(true)), "{}", e);
    assert_eq!(e.json["call"], "evaluate");
    assert_eq!(e.json["fingerprint"], haiyan["fingerprint"]);
    assert_eq!(unit(&e.json, "SQ1")["tier"], "示范型");
    assert_eq!(unit(&e.json, "SQ2")["tier"], "标准型");

    let detailed = s
        .post(
            "/v1/standards/haiyan-2021/evaluate?detail=conditions&as_of=2021-12-31",
            &demo(),
        )
        .await;
    assert!(
        unit(&detailed.json, "SQ2")["conditions"].is_object(),
        "{}",
        detailed
    );

    let x = s
        .post("/v1/standards/haiyan-2021/explain?unit=SQ2", &demo())
        .await;
    assert_eq!(x.status, 200, "{}", x);
    assert!(x.json["text"].as_str().unwrap().contains("SQ2"), "{}", x);
    let en = s
        .post(
            "/v1/standards/haiyan-2021/explain?unit=SQ2&lang=en",
            &demo(),
        )
        .await;
    assert_ne!(en.json["text"], x.json["text"]);

    let g = s
        .post(
            "/v1/standards/haiyan-2021/gap?unit=SQ2&tier=%E7%A4%BA%E8%8C%83%E5%9E%8B",
            &demo(),
        )
        .await;
    assert_eq!(
        (g.status, &g.json["reachable"]),
        (200, &json!(true)),
        "{}",
        g
    );
    assert_eq!(g.json["changes"].as_array().unwrap().len(), 2, "{}", g);

    let p = s
        .post(
            "/v1/standards/haiyan-2021/progress?as_of=2022-12-31",
            &demo(),
        )
        .await;
    assert_eq!(p.status, 200, "{}", p);
    assert!(!p.json["targets"].as_array().unwrap().is_empty(), "{}", p);

    let both = format!(r#"{{"before": {}, "after": {}}}"#, demo(), improved());
    let d = s.post("/v1/standards/haiyan-2021/diff", &both).await;
    assert_eq!(d.status, 200, "{}", d);
    let moved: Vec<&Value> = d.json["changed"].as_array().unwrap().iter().collect();
    assert!(moved.iter().any(|c| c["id"] == "SQ2"), "{}", d);

    // Impact: the same standard changes nothing; a revision raising a threshold changes rules.
    let same = format!(r#"{{"revision": "haiyan-2021", "facts": {}}}"#, demo());
    let i = s.post("/v1/standards/haiyan-2021/impact", &same).await;
    assert_eq!(i.status, 200, "{}", i);
    assert_eq!(i.json["rules"], json!([]));
    let source = std::fs::read_to_string(root().join("standards/haiyan-2021.std")).unwrap();
    let revised = source.replacen("score >= 90", "score >= 93", 1);
    assert_ne!(revised, source, "the revision should change the standard");
    let body = json!({"revision": {"source": revised, "file": "haiyan-2022.std"}, "facts": serde_json::from_str::<Value>(&demo()).unwrap()});
    let i = s
        .post("/v1/standards/haiyan-2021/impact", &body.to_string())
        .await;
    assert_eq!(i.status, 200, "{}", i);
    assert!(!i.json["rules"].as_array().unwrap().is_empty(), "{}", i);

    // Check a standard's text without serving it.
    let c = s
        .send(
            "POST",
            "/v1/check?file=haiyan.std",
            Some("text/plain; charset=utf-8"),
            source.into_bytes(),
        )
        .await;
    assert_eq!(
        (c.status, &c.json["standard"]),
        (200, &json!("haiyan-2021")),
        "{}",
        c
    );
    let c = s
        .send(
            "POST",
            "/v1/check?file=bad.std",
            Some("text/plain"),
            b"standard x {".to_vec(),
        )
        .await;
    assert_eq!(c.status, 422, "{}", c);
    assert_eq!(
        c.json["problems"][0]["location"]["file"], "bad.std",
        "{}",
        c
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn problems_come_with_their_status() {
    let s = Server::standards().await;
    let cases: Vec<(Got, u16, &str)> = vec![
        (
            s.post("/v1/standards/nope/evaluate", &demo()).await,
            404,
            "S0001",
        ),
        (
            s.send(
                "POST",
                "/v1/standards/haiyan-2021/evaluate",
                Some("text/csv"),
                demo().into_bytes(),
            )
            .await,
            415,
            "S0003",
        ),
        (
            s.send(
                "POST",
                "/v1/standards/haiyan-2021/evaluate",
                None,
                demo().into_bytes(),
            )
            .await,
            415,
            "S0003",
        ),
        (
            s.post(
                "/v1/standards/haiyan-2021/evaluate?as_of=yesterday",
                &demo(),
            )
            .await,
            400,
            "S0006",
        ),
        (
            s.post("/v1/standards/haiyan-2021/evaluate?colour=red", &demo())
                .await,
            400,
            "S0006",
        ),
        (
            s.post("/v1/standards/haiyan-2021/evaluate?detail=all", &demo())
                .await,
            400,
            "S0006",
        ),
        (
            s.post("/v1/standards/haiyan-2021/explain", &demo()).await,
            400,
            "S0006",
        ),
        (
            s.post("/v1/standards/haiyan-2021/explain?unit=SQ9", &demo())
                .await,
            422,
            "F0015",
        ),
        (
            s.post("/v1/standards/haiyan-2021/evaluate", "{\"units\": [")
                .await,
            422,
            "F0001",
        ),
        (
            s.post("/v1/standards/haiyan-2021/diff", "[1,").await,
            400,
            "A0001",
        ),
        (
            s.post("/v1/standards/haiyan-2021/diff", "{\"before\": {}}")
                .await,
            400,
            "A0002",
        ),
        (
            s.send(
                "POST",
                "/v1/standards/haiyan-2021/evaluate",
                Some("application/json"),
                vec![0xff, 0xfe],
            )
            .await,
            400,
            "A0009",
        ),
        (s.get("/v1/nothing").await, 404, "S0011"),
        (
            s.send("DELETE", "/v1/rounds/1", None, Vec::new()).await,
            405,
            "S0012",
        ),
        (s.get("/v1/rounds/1").await, 404, "S0002"),
        (s.get("/v1/rounds/one").await, 404, "S0002"),
        (s.get("/v1/rounds/%FF").await, 404, "S0011"),
        (s.get("/v1/standards/%FF%FE").await, 404, "S0011"),
    ];
    for (i, (got, status, code)) in cases.iter().enumerate() {
        assert_eq!(
            (got.status, got.codes().first().map(String::as_str)),
            (*status, Some(*code)),
            "case {i}: {}",
            got.json
        );
        assert_eq!(got.json["ok"], false, "case {i}");
        let p = &got.json["problems"][0];
        assert!(
            p["message"]["zh"].is_string() && p["message"]["en"].is_string(),
            "case {i}: {p}"
        );
    }
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_limits_answer_with_problems() {
    let standards = root().join("standards");
    let (db1, db2) = (scratch("db"), scratch("db"));
    let small = Server::start(
        Config::default()
            .standards(&standards)
            .db(db1.path().join("r.sqlite3").display().to_string())
            .max_body(1000),
    )
    .await;
    let big = small
        .post("/v1/standards/haiyan-2021/evaluate", &demo())
        .await;
    assert_eq!(
        (big.status, big.codes()),
        (413, vec!["S0004".to_string()]),
        "{}",
        big
    );
    small.stop().await;
    // An evaluation of 3,000 units takes far longer than 5 ms.
    let hasty = Server::start(
        Config::default()
            .standards(&standards)
            .db(db2.path().join("r.sqlite3").display().to_string())
            .timeout(Duration::from_millis(5)),
    )
    .await;
    let haiyan = duibiao::Standard::open(standards.join("haiyan-2021.std")).unwrap();
    let mut many = Vec::new();
    duibiao::generate::write_forest(&haiyan, 3_000, 1, &Default::default(), &mut many).unwrap();
    let late = hasty
        .post(
            "/v1/standards/haiyan-2021/evaluate",
            &String::from_utf8(many).unwrap(),
        )
        .await;
    assert_eq!(
        (late.status, late.codes()),
        (503, vec!["S0005".to_string()]),
        "{}",
        late
    );
    hasty.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_changed_standard_is_compiled_again_and_a_broken_one_keeps_its_last_version() {
    let dir = scratch("standards");
    let db = scratch("db");
    let file = dir.path().join("haiyan-2021.std");
    let source = std::fs::read_to_string(root().join("standards/haiyan-2021.std")).unwrap();
    std::fs::write(&file, &source).unwrap();
    let s = Server::start(
        Config::default()
            .standards(dir.path())
            .db(db.path().join("r.sqlite3").display().to_string())
            .reload(Duration::from_millis(50)),
    )
    .await;
    let first = s.get("/v1/standards/haiyan-2021").await;
    let fingerprint = first.json["fingerprint"].clone();
    assert_eq!(first.json["entry"]["current"], true, "{}", first);

    // Broken: the last version that compiled is served, the new text's errors reported.
    std::fs::write(&file, format!("{source}\nkind 小区\n")).unwrap();
    let entry = wait_for(&s, |e| e["entry"]["current"] == false).await;
    assert!(
        !entry["entry"]["problems"].as_array().unwrap().is_empty(),
        "{entry}"
    );
    assert_eq!(entry["entry"]["fingerprint"], fingerprint);
    let e = s.post("/v1/standards/haiyan-2021/evaluate", &demo()).await;
    assert_eq!((e.status, &e.json["fingerprint"]), (200, &fingerprint));

    // Mended and changed: the new version is served.
    std::fs::write(&file, source.replacen("score >= 90", "score >= 93", 1)).unwrap();
    let entry = wait_for(&s, |e| e["entry"]["current"] == true).await;
    assert_ne!(entry["entry"]["fingerprint"], fingerprint, "{entry}");
    s.stop().await;
}

/// The entry of haiyan-2021 once `ready` holds of it (within ten seconds).
async fn wait_for(s: &Server, ready: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..200 {
        let got = s.get("/v1/standards/haiyan-2021").await;
        if ready(&got.json) {
            return got.json;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the standard was not compiled again");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_operation_of_the_openapi_document_is_routed() {
    let s = Server::standards().await;
    let doc = s.get("/openapi.json").await;
    assert_eq!(doc.status, 200);
    assert_eq!(doc.json["openapi"], "3.1.0");
    let paths = doc.json["paths"].as_object().unwrap();
    assert!(paths.len() >= 14, "{}", paths.len());
    for (path, item) in paths {
        for method in item.as_object().unwrap().keys() {
            let concrete = path
                .replace("{standard}", "haiyan-2021")
                .replace("{round}", "1");
            let got = s
                .send(
                    &method.to_uppercase(),
                    &concrete,
                    Some("application/json"),
                    b"{}".to_vec(),
                )
                .await;
            assert!(
                !got.codes().iter().any(|c| c == "S0011" || c == "S0012"),
                "{method} {path} is documented but not routed: {}",
                got.json
            );
        }
    }
    let slugs = &paths["/v1/standards/{standard}/evaluate"]["post"]["parameters"];
    assert!(slugs.to_string().contains("haiyan-2021"), "{slugs}");
    s.stop().await;
}
