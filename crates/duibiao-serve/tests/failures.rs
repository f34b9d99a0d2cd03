//! What the service says when its folder or its store fails it: two files naming the same
//! standard (`S0009`, the second not served) and a store that cannot keep a round (`S0008`,
//! answered 500 with the database's reason).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{demo, root, scratch, Server};
use duibiao_serve::Config;

#[tokio::test(flavor = "multi_thread")]
async fn a_second_file_with_a_taken_slug_is_not_served() {
    let dir = scratch("standards");
    let source = std::fs::read_to_string(root().join("standards/haiyan-2021.std")).unwrap();
    std::fs::write(dir.path().join("a.std"), &source).unwrap();
    std::fs::write(dir.path().join("b.std"), &source).unwrap();
    let scratch_db = scratch("db");
    let db = scratch_db.path().join("rounds.sqlite3");
    let s = Server::start(
        Config::default()
            .standards(dir.path())
            .db(db.display().to_string()),
    )
    .await;
    let got = s.get("/v1/standards").await;
    let text = got.json.to_string();
    assert!(text.contains(r#""S0009""#), "{got}");
    assert!(text.contains("b.std"), "{got}");
    // The first file is still served.
    let evaluated = s.post("/v1/standards/haiyan-2021/evaluate", &demo()).await;
    assert!(evaluated.codes().is_empty(), "{evaluated}");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_store_that_fails_is_a_problem_with_its_reason() {
    let scratch_db = scratch("db");
    let db = scratch_db.path().join("rounds.sqlite3");
    let url = db.display().to_string();
    let s = Server::start(
        Config::default()
            .standards(root().join("standards"))
            .db(url.clone()),
    )
    .await;
    // The table of rounds taken away behind the service's back.
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&format!("sqlite://{url}"))
        .await
        .unwrap();
    sqlx::query("DROP TABLE rounds")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let got = s
        .post("/v1/standards/haiyan-2021/rounds?submitted_by=li", &demo())
        .await;
    assert_eq!(got.codes(), vec!["S0008".to_string()], "{got}");
    assert_eq!(got.status, 500, "{got}");
    assert!(got.json.to_string().contains("rounds"), "{got}");
    s.stop().await;
}
