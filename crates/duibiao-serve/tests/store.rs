//! The store of rounds on SQLite and (when `DUIBIAO_TEST_POSTGRES` names a server) on
//! PostgreSQL: tables made once, rounds stored and read back unchanged, listed by standard, a
//! round corrected at most once.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{postgres, scratch};
use duibiao_serve::store::{database_url, Backend, NewRound, Store, StoreError};

fn round(standard: &str, as_of: &str, corrects: Option<i64>) -> NewRound {
    let mut r = NewRound::default();
    r.standard = standard.to_string();
    r.fingerprint = "sha256:00".to_string();
    r.as_of = as_of.to_string();
    r.submitted_by = "张三".to_string();
    r.submitted_at = "2026-01-02T03:04:05Z".to_string();
    r.corrects = corrects;
    r.facts = r#"{"units": [{"id": "JD", "name": "示范街道 ✓"}]}"#.to_string();
    r.outcome = format!(r#"{{"call": "evaluate", "as_of": "{as_of}"}}"#);
    r.progress = r#"{"call": "progress", "targets": []}"#.to_string();
    r
}

async fn store_on(db: &str, backend: Backend) {
    let slug = format!("store-{}-{}", std::process::id(), chrono_free_nanos());
    let other = format!("{slug}-other");
    let store = Store::open(db).await.unwrap();
    assert_eq!(store.backend(), backend);
    // Opening again finds the tables made.
    let store = {
        drop(store);
        Store::open(db).await.unwrap()
    };

    let a = store
        .insert(&round(&slug, "2022-12-31", None))
        .await
        .unwrap();
    let b = store
        .insert(&round(&slug, "2021-12-31", None))
        .await
        .unwrap();
    store
        .insert(&round(&other, "2021-12-31", None))
        .await
        .unwrap();
    assert!(b.id > a.id);

    // Listed by evaluation date, then number; one standard's only.
    let listed = store.list(Some(&slug)).await.unwrap();
    assert_eq!(
        listed.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![b.id, a.id]
    );
    assert!(store.list(None).await.unwrap().len() >= 3);

    // Read back as stored.
    let got = store.get(a.id).await.unwrap().unwrap();
    assert_eq!(got.info, a);
    let sent = round(&slug, "2022-12-31", None);
    assert_eq!(
        (got.facts, got.outcome, got.progress),
        (sent.facts, sent.outcome, sent.progress)
    );
    assert!(store.get(a.id + 1_000_000).await.unwrap().is_none());

    // Corrected once; a second correction of the same round is refused.
    let c = store
        .insert(&round(&slug, "2022-12-31", Some(a.id)))
        .await
        .unwrap();
    assert_eq!(
        store.get(a.id).await.unwrap().unwrap().info.corrected_by,
        Some(c.id)
    );
    match store.insert(&round(&slug, "2022-12-31", Some(a.id))).await {
        Err(StoreError::CorrectedAlready(by)) => assert_eq!(by, c.id),
        other => panic!("expected CorrectedAlready, got {other:?}"),
    }
    // Two corrections at once: the unique index lets one through.
    let (first, second) = (
        round(&slug, "2022-12-31", Some(b.id)),
        round(&slug, "2022-12-31", Some(b.id)),
    );
    let (x, y) = tokio::join!(store.insert(&first), store.insert(&second));
    assert_eq!(
        [x.is_ok(), y.is_ok()].iter().filter(|o| **o).count(),
        1,
        "{x:?} {y:?}"
    );
    store.close().await;
}

/// Nanoseconds since the epoch, to tell runs apart.
fn chrono_free_nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_store_on_sqlite() {
    let dir = scratch("store");
    let file = dir.path().join("rounds.sqlite3");
    store_on(&file.display().to_string(), Backend::Sqlite).await;
    assert!(file.is_file());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_store_on_postgres() {
    if let Some(url) = postgres("the_store_on_postgres") {
        store_on(&url, Backend::Postgres).await;
    }
}

#[test]
fn database_urls() {
    let url = |db: &str| database_url(db).map_err(|e| e.to_string());
    assert_eq!(
        url("duibiao.sqlite3"),
        Ok((Backend::Sqlite, "sqlite://duibiao.sqlite3?mode=rwc".into()))
    );
    assert_eq!(
        url("sqlite:x.db?cache=shared"),
        Ok((Backend::Sqlite, "sqlite:x.db?cache=shared&mode=rwc".into()))
    );
    assert_eq!(
        url("sqlite::memory:?mode=memory"),
        Ok((Backend::Sqlite, "sqlite::memory:?mode=memory".into()))
    );
    assert_eq!(
        url("postgres://u@h/db"),
        Ok((Backend::Postgres, "postgres://u@h/db".into()))
    );
    assert!(url("mysql://u@h/db").is_err());
}

/// Services started at once on a new database each open it: its tables are made once.
async fn opened_at_once(db: &str) {
    let opened = open_together(db).await;
    for (i, o) in opened.iter().enumerate() {
        assert!(o.is_ok(), "opening {i} of {}: {:?}", opened.len(), o);
    }
    // The tables are whole: a round goes in and comes out.
    let store = Store::open(db).await.unwrap();
    let r = store
        .insert(&round("at-once", "2022-12-31", None))
        .await
        .unwrap();
    assert_eq!(store.list(Some("at-once")).await.unwrap(), vec![r]);
}

/// Four `Store::open` on `db`, started together.
async fn open_together(db: &str) -> Vec<Result<Store, StoreError>> {
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let db = db.to_string();
            tokio::spawn(async move { Store::open(&db).await })
        })
        .collect();
    let mut opened = Vec::new();
    for t in tasks {
        opened.push(t.await.unwrap());
    }
    opened
}

#[tokio::test(flavor = "multi_thread")]
async fn services_started_at_once_on_sqlite_make_the_tables_once() {
    let dir = scratch("at-once");
    opened_at_once(&dir.path().join("rounds.sqlite3").display().to_string()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn services_started_at_once_on_postgres_make_the_tables_once() {
    let Some(url) = postgres("services_started_at_once_on_postgres_make_the_tables_once") else {
        return;
    };
    // A database of its own, new: the shared one has its tables already.
    sqlx::any::install_default_drivers();
    let admin = sqlx::AnyPool::connect(&url).await.unwrap();
    let name = format!(
        "duibiao_at_once_{}_{}",
        std::process::id(),
        chrono_free_nanos()
    );
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&admin)
        .await
        .unwrap();
    let (server, _) = url.rsplit_once('/').unwrap();
    opened_at_once(&format!("{server}/{name}")).await;
    sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .execute(&admin)
        .await
        .unwrap();
}
