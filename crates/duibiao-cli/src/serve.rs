//! `duibiao serve`: the assessment service (crates/duibiao-serve) on an address, until Ctrl-C or
//! SIGTERM.

use crate::io::Failed;
use duibiao_serve::{App, Config, ServeError};

/// Runs the service with `config` on `addr`; what stopped it, if not a signal, is reported.
pub(crate) fn run(config: Config, addr: &str) -> Result<bool, Failed> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| stopped(&ServeError::Io(e)))?;
    runtime.block_on(async {
        let app = App::open(config).await.map_err(|e| stopped(&e))?;
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
            eprintln!("错误：无法监听 `{addr}`：{e}");
            eprintln!("error: cannot listen on `{addr}`: {e}");
            Failed
        })?;
        let bound = listener.local_addr().map_or(addr.to_string(), |a| a.to_string());
        let standards = app.catalog().list();
        let served = standards.iter().filter(|s| s.standard.is_some()).count();
        eprintln!(
            "duibiao serve：http://{bound}/ （{served} 个标准，{} 个文件；OpenAPI：/openapi.json）",
            standards.len()
        );
        eprintln!(
            "duibiao serve: http://{bound}/ ({served} standard(s) of {} file(s); OpenAPI: /openapi.json)",
            standards.len()
        );
        duibiao_serve::serve(listener, app, duibiao_serve::shutdown_signal())
            .await
            .map_err(|e| stopped(&e))?;
        eprintln!("duibiao serve：已停止 · stopped");
        Ok(true)
    })
}

fn stopped(e: &ServeError) -> Failed {
    eprintln!("错误：{}", e.message_zh());
    eprintln!("error: {e}");
    Failed
}
