//! The native half of duibiao's Python binding (`duibiao._duibiao`). Thin on purpose: every
//! function passes JSON text to the one [`Runtime`] of the process and hands back its JSON
//! response, the embedding protocol's own shape (see `docs/embedding.md`), as a [`Reply`] that
//! Python reads through views converting only what is read (`view.rs`); the Python package
//! `duibiao` builds its objects on these responses. No rule logic lives here.
//!
//! - The GIL is released while the runtime works ([`Python::detach`]), so other Python threads
//!   run meanwhile, and one standard serves many threads at once.
//! - No panic reaches the interpreter: every entry point catches it at the boundary and answers
//!   with the problem `A0008`, as the C ABI does.

use duibiao::protocol::boundary::answer;
use duibiao::protocol::{Runtime, ENGINE, PROTOCOL};
use pyo3::prelude::*;
use std::sync::LazyLock;
use view::{Array, Object, Reply};

mod view;

/// The runtime every call of the process shares: standards and live sessions by handle.
static RUNTIME: LazyLock<Runtime> = LazyLock::new(Runtime::new);

/// Runs `f` without the GIL, catching a panic as the response `A0008` to `call`.
fn guarded(py: Python<'_>, call: Option<&str>, f: impl FnOnce(&Runtime) -> String + Send) -> Reply {
    Reply::new(py.detach(|| answer(call, || Ok(f(&RUNTIME)))))
}

/// Answers one protocol request (JSON text) with its response (a [`Reply`]: its JSON text, one
/// line, and views of it), the GIL released meanwhile.
///
/// 回答一个协议请求（JSON 文本），返回响应（:class:`Reply`：单行 JSON 文本及其视图）；期间释放 GIL。
#[pyfunction]
fn call(py: Python<'_>, request: &str) -> Reply {
    guarded(py, None, |rt| rt.call(request))
}

/// Answers `evaluate` on the standard `standard` for facts given as JSON text, without
/// embedding them in a request; `options` is the options' JSON text, if any.
///
/// 以 JSON 文本形式的数据回答 `evaluate`，无需把数据嵌入请求；`options` 是选项的 JSON 文本。
#[pyfunction]
#[pyo3(signature = (standard, facts, options=None))]
fn evaluate_text(py: Python<'_>, standard: u64, facts: &str, options: Option<&str>) -> Reply {
    guarded(py, Some("evaluate"), |rt| {
        rt.evaluate_text(standard, facts, options)
    })
}

/// As `evaluate_text`, for `live_open`: opens a live session on facts given as JSON text.
///
/// 与 `evaluate_text` 相同，用于 `live_open`：以 JSON 文本形式的数据打开实时会话。
#[pyfunction]
#[pyo3(signature = (standard, facts, options=None))]
fn live_open_text(py: Python<'_>, standard: u64, facts: &str, options: Option<&str>) -> Reply {
    guarded(py, Some("live_open"), |rt| {
        rt.live_open_text(standard, facts, options)
    })
}

/// Panics inside the boundary on purpose and answers as any call would (the problem `A0008`):
/// for the tests that show a panic never reaches the interpreter. Not part of the API.
///
/// 仅供测试：在边界内故意 panic，返回问题 `A0008` 的响应，证明 panic 不会传到解释器。
#[pyfunction]
fn _panic_inside(py: Python<'_>) -> Reply {
    guarded(py, None, |_| -> String {
        std::panic::resume_unwind(Box::new("a panic on purpose, for the tests"))
    })
}

/// A runtime of its own: standards and live sessions whose handles only it knows, numbered from 1
/// (the module's functions share one runtime for the whole process). For running the conformance
/// suite, whose expected responses count handles from a fresh runtime, and for hosts that want
/// their handles apart.
///
/// 独立的运行时：它自己的标准和实时会话句柄，从 1 编号（模块函数共用进程内的一个运行时）。用于一致性测试等。
#[pyclass(frozen, module = "duibiao._duibiao")]
struct LocalRuntime {
    inner: Runtime,
}

#[pymethods]
impl LocalRuntime {
    /// An empty runtime. · 空的运行时。
    #[new]
    fn new() -> Self {
        LocalRuntime {
            inner: Runtime::new(),
        }
    }

    /// Answers one protocol request (JSON text) with its response, the GIL released meanwhile.
    ///
    /// 回答一个协议请求（JSON 文本），返回响应；期间释放 GIL。
    fn call(&self, py: Python<'_>, request: &str) -> String {
        let rt = &self.inner;
        py.detach(|| answer(None, || Ok(rt.call(request))))
    }
}

/// The native module `duibiao._duibiao`: `call`, `evaluate_text`, `live_open_text`,
/// `LocalRuntime`, the response and its views (`Reply`, `Object`, `Array`), and the versions
/// `ENGINE` and `PROTOCOL`.
#[pymodule]
fn _duibiao(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(call, m)?)?;
    m.add_function(wrap_pyfunction!(evaluate_text, m)?)?;
    m.add_function(wrap_pyfunction!(live_open_text, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_inside, m)?)?;
    m.add_class::<LocalRuntime>()?;
    m.add_class::<Reply>()?;
    m.add_class::<Object>()?;
    m.add_class::<Array>()?;
    m.add("ENGINE", ENGINE)?;
    m.add("PROTOCOL", PROTOCOL)?;
    Ok(())
}
