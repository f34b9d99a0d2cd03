//! `duibiao serve`: the assessment service. An HTTP API (axum on tokio) over the embedding
//! protocol for the standards of one folder — check, evaluate, explain, progress, gap, diff and
//! impact — and a store of assessment rounds (submitted facts with their outcomes, kept
//! unchanged) in an embedded SQLite file or a PostgreSQL database. Every answer is the
//! protocol's response, written by its one JSON writer; whatever goes wrong is a problem, with
//! the HTTP status it calls for. The paths are described at `/openapi.json` (docs/service.md).
//!
//! ```no_run
//! # async fn run() -> Result<(), duibiao_serve::ServeError> {
//! let config = duibiao_serve::Config::default();
//! let app = duibiao_serve::App::open(config).await?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await.map_err(duibiao_serve::ServeError::Io)?;
//! duibiao_serve::serve(listener, app, duibiao_serve::shutdown_signal()).await
//! # }
//! ```

mod answer;
mod catalog;
mod console;
mod download;
mod input;
mod openapi;
mod problems;
mod query;
mod routes;
pub mod store;

pub use catalog::{Catalog, StandardInfo};
pub use store::{Store, StoreError};

use answer::Stop;
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// How a service runs.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Config {
    /// The folder of standards (`.std` files).
    pub standards: PathBuf,
    /// The database: a SQLite file name, `sqlite:FILE` or `postgres://…`.
    pub db: String,
    /// The largest request body, in bytes.
    pub max_body: usize,
    /// The longest a request may take.
    pub timeout: Duration,
    /// How often the folder is looked at for changed standards.
    pub reload: Duration,
    /// The limits standards are compiled and facts loaded within.
    pub limits: duibiao::Limits,
    /// How many calls may evaluate at once; more wait their turn (within `timeout`). An
    /// evaluation that outlives its request's time still runs to its end, so this also bounds
    /// the work of requests given up on.
    pub workers: usize,
}

impl Default for Config {
    /// `standards/`, `duibiao.sqlite3`, 16 MiB bodies, 30 seconds, a look every second, as
    /// many workers as the machine has cores.
    fn default() -> Self {
        Config {
            standards: PathBuf::from("standards"),
            db: "duibiao.sqlite3".to_string(),
            max_body: 16 << 20,
            timeout: Duration::from_secs(30),
            reload: Duration::from_secs(1),
            limits: duibiao::Limits::default(),
            workers: std::thread::available_parallelism().map_or(1, usize::from),
        }
    }
}

impl Config {
    /// With the folder of standards.
    pub fn standards(mut self, dir: impl Into<PathBuf>) -> Self {
        self.standards = dir.into();
        self
    }

    /// With the database.
    pub fn db(mut self, db: impl Into<String>) -> Self {
        self.db = db.into();
        self
    }

    /// With the largest request body.
    pub fn max_body(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }

    /// With the longest a request may take.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// With the limits standards are compiled and facts loaded within.
    pub fn limits(mut self, limits: duibiao::Limits) -> Self {
        self.limits = limits;
        self
    }

    /// With how many calls may evaluate at once (at least one).
    pub fn workers(mut self, workers: usize) -> Self {
        self.workers = workers.max(1);
        self
    }

    /// With how often the folder is looked at for changed standards.
    pub fn reload(mut self, every: Duration) -> Self {
        self.reload = every;
        self
    }
}

/// Why a service cannot start or stopped.
#[derive(Debug)]
#[non_exhaustive]
pub enum ServeError {
    /// The folder of standards cannot be read.
    Standards(PathBuf, std::io::Error),
    /// The store cannot be opened.
    Store(StoreError),
    /// The socket failed.
    Io(std::io::Error),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::Standards(dir, e) => {
                write!(
                    f,
                    "the folder of standards `{}` cannot be read: {e}",
                    dir.display()
                )
            }
            ServeError::Store(e) => write!(f, "the store cannot be opened: {e}"),
            ServeError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl ServeError {
    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            ServeError::Standards(dir, e) => format!("无法读取标准文件夹 `{}`：{e}", dir.display()),
            ServeError::Store(e) => format!("无法打开存储：{e}"),
            ServeError::Io(e) => format!("网络出错：{e}"),
        }
    }
}

impl std::error::Error for ServeError {}

/// A service: its standards, its store and how it runs.
#[derive(Debug)]
pub struct App {
    catalog: Arc<Catalog>,
    store: Store,
    config: Config,
    /// A permit for each of `config.workers`: what an evaluation holds while it runs.
    work: Arc<tokio::sync::Semaphore>,
}

impl App {
    /// Compiles the standards of `config.standards` and opens the store (making its tables
    /// when they are missing).
    pub async fn open(config: Config) -> Result<Arc<App>, ServeError> {
        let dir = config.standards.clone();
        let limits = config.limits;
        let catalog = tokio::task::spawn_blocking(move || Catalog::open(dir, limits))
            .await
            .map_err(|e| ServeError::Io(std::io::Error::other(e)))?
            .map_err(|e| ServeError::Standards(config.standards.clone(), e))?;
        let store = Store::open(&config.db).await.map_err(ServeError::Store)?;
        let work = Arc::new(tokio::sync::Semaphore::new(config.workers.max(1)));
        Ok(Arc::new(App {
            catalog: Arc::new(catalog),
            store,
            config,
            work,
        }))
    }

    /// The standards served.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The standard served as `slug` (`S0001` when there is none).
    fn standard(&self, slug: &str) -> Result<duibiao::Standard, Stop> {
        self.catalog
            .get(slug)
            .ok_or_else(|| Stop::from(problems::unknown_standard(slug, &self.catalog.slugs())))
    }
}

/// Serves `app` on `listener` until `shutdown` completes, then lets the requests in progress
/// finish and closes the store. The folder of standards is looked at every `config.reload`
/// meanwhile, and changed standards compiled again.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Arc<App>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let watcher = tokio::spawn(watch(app.catalog.clone(), app.config.reload));
    let router = routes::router(app.clone());
    let served = axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await;
    watcher.abort();
    app.store.close().await;
    served.map_err(ServeError::Io)
}

/// Looks at the folder of standards every `every`, compiling the standards that changed.
async fn watch(catalog: Arc<Catalog>, every: Duration) {
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let c = catalog.clone();
        // A folder that cannot be read for a moment keeps the standards compiled before.
        let _ = tokio::task::spawn_blocking(move || c.refresh()).await;
    }
}

/// Completes on SIGINT (Ctrl-C) or, on Unix, SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        // Without a handler there is nothing to wait for: the other signal still stops it.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}
