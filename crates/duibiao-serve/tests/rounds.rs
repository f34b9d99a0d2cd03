//! Assessment rounds over HTTP, on SQLite and (when `DUIBIAO_TEST_POSTGRES` names a server) on
//! PostgreSQL: submitted, refused when the facts have errors, corrected, listed, read, compared
//! and followed over time.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{demo, improved_on, postgres, root, scratch, Server};
use duibiao_serve::Config;
use serde_json::{json, Value};

/// A round's number in a response to its submission.
fn id(got: &common::Got) -> i64 {
    got.json["round"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{}", got))
}

/// A scratch folder of standards: haiyan-2021, and a copy of it named `slug` (a slug no other
/// run uses, as the PostgreSQL database is shared by runs).
fn standards_named(slug: &str) -> tempfile::TempDir {
    let dir = scratch("standards");
    let source = std::fs::read_to_string(root().join("standards/haiyan-2021.std")).unwrap();
    let renamed = source.replacen("standard haiyan-2021", &format!("standard {slug}"), 1);
    assert_ne!(renamed, source);
    std::fs::write(dir.path().join(format!("{slug}.std")), renamed).unwrap();
    std::fs::write(dir.path().join("haiyan-2021.std"), source).unwrap();
    dir
}

fn for_slug(facts: &str, slug: &str) -> String {
    let mut v: Value = serde_json::from_str(facts).unwrap();
    v["standard"] = json!(slug);
    v.to_string()
}

async fn rounds_on(db: String) {
    let slug = format!("rounds-{}", std::process::id());
    let standards = standards_named(&slug);
    let s = Server::start(Config::default().standards(standards.path()).db(db)).await;
    let at = |path: &str| format!("/v1/standards/{slug}/{path}");
    let (y2021, y2022) = (
        for_slug(&demo(), &slug),
        for_slug(&improved_on("2022-12-31"), &slug),
    );

    let first = s
        .post(&at("rounds?submitted_by=%E5%BC%A0%E4%B8%89"), &y2021)
        .await;
    assert_eq!(first.status, 201, "{}", first);
    assert_eq!(first.json["round"]["submitted_by"], "张三");
    assert_eq!(first.json["round"]["as_of"], "2021-12-31");
    assert_eq!(first.json["outcome"]["call"], "evaluate");
    let r1 = id(&first);

    // Facts with errors are refused and nothing is stored.
    let mut broken: Value = serde_json::from_str(&y2021).unwrap();
    broken["units"][1]["scores"]["6.1"] = json!(99);
    let refused = s
        .post(&at("rounds?submitted_by=li"), &broken.to_string())
        .await;
    assert_eq!(refused.status, 422, "{}", refused);
    assert!(
        refused.codes().contains(&"S0007".to_string()),
        "{}",
        refused
    );
    let anonymous = s.post(&at("rounds"), &y2021).await;
    assert_eq!(
        (anonymous.status, anonymous.codes()),
        (400, vec!["S0006".to_string()])
    );

    // A correction of the first round, then a second year.
    let fixed = s
        .post(
            &at(&format!("rounds?submitted_by=li&corrects={r1}")),
            &y2021,
        )
        .await;
    assert_eq!(fixed.status, 201, "{}", fixed);
    let r2 = id(&fixed);
    assert_eq!(fixed.json["round"]["corrects"], r1);
    let again = s
        .post(
            &at(&format!("rounds?submitted_by=li&corrects={r1}")),
            &y2021,
        )
        .await;
    assert_eq!(
        (again.status, again.codes()),
        (409, vec!["S0013".to_string()]),
        "{}",
        again
    );
    let next = s.post(&at("rounds?submitted_by=wang"), &y2022).await;
    assert_eq!(next.status, 201, "{}", next);
    let r3 = id(&next);

    let listed = s.get(&format!("/v1/rounds?standard={slug}")).await;
    let ids: Vec<i64> = listed.json["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![r1, r2, r3], "{}", listed);
    assert_eq!(listed.json["rounds"][0]["corrected_by"], r2);

    let got = s.get(&format!("/v1/rounds/{r3}")).await;
    assert_eq!(got.status, 200, "{}", got);
    assert_eq!(
        got.json["facts"],
        serde_json::from_str::<Value>(&y2022).unwrap()
    );
    assert_eq!(
        got.json["outcome"]["fingerprint"],
        first.json["fingerprint"]
    );

    // Year over year: SQ2 moved up.
    let d = s
        .get(&format!("/v1/rounds/diff?before={r2}&after={r3}"))
        .await;
    assert_eq!(d.status, 200, "{}", d);
    let sq2 = d.json["changed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "SQ2")
        .cloned();
    let sq2 = sq2.unwrap_or_else(|| panic!("{}", d));
    assert_eq!(sq2["tier"], json!(["标准型", "示范型"]), "{sq2}");

    // Over time: the rounds in force, the corrected one left out.
    let h = s.get(&at("history")).await;
    let shown: Vec<i64> = h.json["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["round"]["id"].as_i64().unwrap())
        .collect();
    assert_eq!(shown, vec![r2, r3], "{}", h);
    let demo_tiers = |r: &Value, tier: &str| -> u64 {
        r["tiers"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["kind"] == "社区" && t["tier"] == tier)
            .map(|t| t["units"].as_u64().unwrap())
            .sum()
    };
    assert_eq!(
        demo_tiers(&h.json["rounds"][1], "示范型"),
        demo_tiers(&h.json["rounds"][0], "示范型") + 1,
        "{}",
        h
    );
    assert!(
        !h.json["rounds"][1]["targets"]
            .as_array()
            .unwrap()
            .is_empty(),
        "{}",
        h
    );

    // A round of another standard cannot be corrected by this one.
    let other = s
        .post(
            &format!("/v1/standards/haiyan-2021/rounds?submitted_by=li&corrects={r3}"),
            &demo(),
        )
        .await;
    assert_eq!(
        (other.status, other.codes()),
        (422, vec!["S0010".to_string()]),
        "{}",
        other
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn rounds_on_sqlite() {
    let dir = scratch("db");
    rounds_on(dir.path().join("rounds.sqlite3").display().to_string()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn rounds_on_postgres() {
    if let Some(url) = postgres("rounds_on_postgres") {
        rounds_on(url).await;
    }
}
