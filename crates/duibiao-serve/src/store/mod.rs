//! The store of assessment rounds: one table, written once per round and never updated or
//! deleted, in an embedded SQLite file (the default: one file, no setup) or a PostgreSQL
//! database (`--db postgres://…`; KingbaseES and openGauss descend from it).
//!
//! Both are reached through sqlx's `Any` driver: one pool type, and the same SQL text for both
//! (positional `$1` parameters, which SQLite takes too), so every query is written once; only the
//! table's definition differs where the two differ (how an id counts up), in [`migrations`].
//! Queries are checked at run time, not at build time, so no database is needed to build.

mod migrations;

use serde::{Deserialize, Serialize};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Row};

/// A round as it is stored, without its facts and outcome (as lists give it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct RoundInfo {
    /// The round's number, given by the store.
    pub id: i64,
    /// The standard's slug.
    pub standard: String,
    /// The fingerprint of the compiled standard that evaluated it.
    pub fingerprint: String,
    /// The evaluation date.
    pub as_of: String,
    /// Who submitted it.
    pub submitted_by: String,
    /// When it was stored (RFC 3339, UTC).
    pub submitted_at: String,
    /// The round it corrects, if it is a correction.
    pub corrects: Option<i64>,
    /// The round that corrects it, if any (a corrected round is kept, and superseded).
    pub corrected_by: Option<i64>,
    /// The form its facts were submitted in: `json`, or `xlsx` for a workbook (its facts are
    /// stored as the workbook's facts document, in JSON).
    pub source: String,
    /// The name of the file submitted, when it was given.
    pub file: Option<String>,
}

/// A stored round with what was submitted and what came of it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Round {
    /// The round.
    pub info: RoundInfo,
    /// The facts as submitted (JSON text).
    pub facts: String,
    /// The outcome: the protocol's response to `evaluate`, with every condition (JSON text).
    pub outcome: String,
    /// The protocol's response to `progress` on the round's date (JSON text).
    pub progress: String,
}

/// A round to store.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct NewRound {
    /// The standard's slug.
    pub standard: String,
    /// The compiled standard's fingerprint.
    pub fingerprint: String,
    /// The evaluation date.
    pub as_of: String,
    /// Who submitted it.
    pub submitted_by: String,
    /// When (RFC 3339, UTC).
    pub submitted_at: String,
    /// The round it corrects.
    pub corrects: Option<i64>,
    /// Whether the facts came as a workbook (`source` is `xlsx`, else `json`).
    pub workbook: bool,
    /// The name of the file submitted, if given.
    pub file: Option<String>,
    /// The facts as submitted (JSON text).
    pub facts: String,
    /// The evaluation's response (JSON text).
    pub outcome: String,
    /// The protocol's response to `progress` on the round's date (JSON text).
    pub progress: String,
}

/// What went wrong in the store.
#[derive(Debug)]
#[non_exhaustive]
pub enum StoreError {
    /// The database failed (or could not be reached).
    Database(sqlx::Error),
    /// The round named as corrected is corrected already, by this round.
    CorrectedAlready(i64),
    /// The URL names no database this store can use.
    Url(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Database(e) => write!(f, "the database failed: {e}"),
            StoreError::CorrectedAlready(by) => write!(f, "corrected already by round {by}"),
            StoreError::Url(url) => write!(
                f,
                "`{url}` is not a database URL: expected `sqlite:FILE`, `postgres://…` or a file name"
            ),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        StoreError::Database(e)
    }
}

/// Which database a store is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Backend {
    /// An embedded SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// The store: a pool of connections to one database.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

/// The columns of a round's info, as every query selects them.
const INFO: &str = "r.id, r.standard, r.fingerprint, r.as_of, r.submitted_by, r.submitted_at, \
     r.corrects, r.source, r.file, (SELECT c.id FROM rounds c WHERE c.corrects = r.id) AS corrected_by";

/// The database a `--db` value names, as a URL for sqlx: `postgres://…` and `sqlite:…` as
/// they are (a SQLite file made when missing), anything else the name of a SQLite file.
pub fn database_url(db: &str) -> Result<(Backend, String), StoreError> {
    if db.starts_with("postgres://") || db.starts_with("postgresql://") {
        return Ok((Backend::Postgres, db.to_string()));
    }
    if db.contains("://") && !db.starts_with("sqlite://") {
        return Err(StoreError::Url(db.to_string()));
    }
    let url = if db.starts_with("sqlite:") {
        db.to_string()
    } else {
        format!("sqlite://{db}")
    };
    let url = if url.contains("mode=") {
        url
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    };
    Ok((Backend::Sqlite, url))
}

impl Store {
    /// Opens the database `db` names (see [`database_url`]) and brings its tables up to date.
    pub async fn open(db: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let (backend, url) = database_url(db)?;
        // SQLite takes one writer at a time: more connections would only wait on its lock.
        let connections = match backend {
            Backend::Sqlite => 1,
            Backend::Postgres => 8,
        };
        let pool = AnyPoolOptions::new()
            .max_connections(connections)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    // SQLite's write-ahead log: one fsync a round (still on every commit), and
                    // readers never wait for the writer.
                    if backend == Backend::Sqlite {
                        sqlx::query("PRAGMA journal_mode = WAL")
                            .execute(&mut *conn)
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        let store = Store { pool, backend };
        migrations::run(&store.pool, backend).await?;
        Ok(store)
    }

    /// Which database it is on.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Stores a round; its info as stored. A round already corrected cannot be corrected again
    /// ([`StoreError::CorrectedAlready`]): correct the correction.
    pub async fn insert(&self, round: &NewRound) -> Result<RoundInfo, StoreError> {
        if let Some(c) = round.corrects {
            if let Some(by) = self.corrected_by(c).await? {
                return Err(StoreError::CorrectedAlready(by));
            }
        }
        let inserted = sqlx::query(
            "INSERT INTO rounds (standard, fingerprint, as_of, submitted_by, submitted_at, \
             corrects, facts, outcome, progress, source, file) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(&round.standard)
        .bind(&round.fingerprint)
        .bind(&round.as_of)
        .bind(&round.submitted_by)
        .bind(&round.submitted_at)
        .bind(round.corrects)
        .bind(&round.facts)
        .bind(&round.outcome)
        .bind(&round.progress)
        .bind(source(round.workbook))
        .bind(&round.file)
        .fetch_one(&self.pool)
        .await;
        let id: i64 = match inserted {
            Ok(row) => row.try_get("id")?,
            // Two corrections of one round at once: the unique index lets one through.
            Err(e) if is_unique_violation(&e) => {
                let by = match round.corrects {
                    Some(c) => self.corrected_by(c).await?,
                    None => None,
                };
                return Err(by.map_or(StoreError::Database(e), StoreError::CorrectedAlready));
            }
            Err(e) => return Err(e.into()),
        };
        Ok(RoundInfo {
            id,
            standard: round.standard.clone(),
            fingerprint: round.fingerprint.clone(),
            as_of: round.as_of.clone(),
            submitted_by: round.submitted_by.clone(),
            submitted_at: round.submitted_at.clone(),
            corrects: round.corrects,
            corrected_by: None,
            source: source(round.workbook).to_string(),
            file: round.file.clone(),
        })
    }

    /// Every round, or those of one standard, by evaluation date and then number.
    pub async fn list(&self, standard: Option<&str>) -> Result<Vec<RoundInfo>, StoreError> {
        let rows = match standard {
            Some(s) => {
                sqlx::query(&format!(
                    "SELECT {INFO} FROM rounds r WHERE r.standard = $1 ORDER BY r.as_of, r.id"
                ))
                .bind(s)
                .fetch_all(&self.pool)
                .await?
            }
            None => {
                sqlx::query(&format!(
                    "SELECT {INFO} FROM rounds r ORDER BY r.as_of, r.id"
                ))
                .fetch_all(&self.pool)
                .await?
            }
        };
        rows.iter().map(info).collect()
    }

    /// The round numbered `id`, with its facts and outcome.
    pub async fn get(&self, id: i64) -> Result<Option<Round>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {INFO}, r.facts, r.outcome, r.progress FROM rounds r WHERE r.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(Round {
                info: info(&r)?,
                facts: r.try_get("facts")?,
                outcome: r.try_get("outcome")?,
                progress: r.try_get("progress")?,
            })
        })
        .transpose()
    }

    /// The round that corrects round `id`, if any.
    async fn corrected_by(&self, id: i64) -> Result<Option<i64>, StoreError> {
        let row = sqlx::query("SELECT id FROM rounds WHERE corrects = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get("id")).transpose()?)
    }

    /// Closes the pool, waiting for the connections in use.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

fn info(r: &AnyRow) -> Result<RoundInfo, StoreError> {
    Ok(RoundInfo {
        id: r.try_get("id")?,
        standard: r.try_get("standard")?,
        fingerprint: r.try_get("fingerprint")?,
        as_of: r.try_get("as_of")?,
        submitted_by: r.try_get("submitted_by")?,
        submitted_at: r.try_get("submitted_at")?,
        corrects: r.try_get("corrects")?,
        corrected_by: r.try_get("corrected_by")?,
        source: r.try_get("source")?,
        file: r.try_get("file")?,
    })
}

/// The `source` of a round: `xlsx` when it came as a workbook, else `json`.
fn source(workbook: bool) -> &'static str {
    if workbook {
        "xlsx"
    } else {
        "json"
    }
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}
