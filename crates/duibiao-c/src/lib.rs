//! The C ABI of duibiao. Thin on purpose: every function passes JSON text to the protocol's
//! [`Runtime`] and hands back its JSON response; handles name standards and live sessions. This
//! is the only crate where `unsafe` is allowed, and only to cross the C boundary: reading C
//! strings and handing out and taking back the strings returned.
//!
//! - Strings returned are allocated here and freed with [`duibiao_free`], which reports a pointer
//!   it did not hand out, or one freed already, instead of freeing it (so a double free is an
//!   error code, not a crash).
//! - No panic unwinds into the host: every entry point catches it and answers with `A0008`.
//! - Thread-safety: the runtime is shared by every thread of the process; calls on different
//!   standards, and evaluations of one standard, run in parallel.

use duibiao::codes::Code;
use duibiao::protocol::boundary::answer;
use duibiao::protocol::Runtime;
use duibiao::{Problem, Problems};
use std::collections::HashSet;
use std::ffi::{c_char, CStr, CString};
use std::panic::catch_unwind;
use std::sync::{LazyLock, Mutex, PoisonError};

/// The runtime every call of the process shares.
static RUNTIME: LazyLock<Runtime> = LazyLock::new(Runtime::new);

/// The strings handed out and not yet freed, by address.
static OWNED: LazyLock<Mutex<HashSet<usize>>> = LazyLock::new(|| Mutex::new(HashSet::new()));

/// The version of duibiao and of the protocol, NUL-terminated (static: never freed).
const VERSION: &str = concat!("duibiao ", env!("CARGO_PKG_VERSION"), " protocol 1\0");

/// Hands `text` to the caller as a C string (a NUL inside becomes U+FFFD, which JSON never holds
/// unescaped anyway).
fn give(text: String) -> *mut c_char {
    let c = CString::new(text).unwrap_or_else(|e| {
        let text = String::from_utf8_lossy(&e.into_vec()).replace('\0', "\u{fffd}");
        CString::new(text).unwrap_or_default()
    });
    let ptr = c.into_raw();
    OWNED
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(ptr as usize);
    ptr
}

/// Reads the C string `arg` (named `name` in problems), which must not be null and must be UTF-8.
///
/// # Safety
/// `arg` is null or points to a NUL-terminated string that stays valid during the call.
unsafe fn text<'a>(arg: *const c_char, name: &str) -> Result<&'a str, Problems> {
    if arg.is_null() {
        return Err(Problems::one(Problem::error(
            Code::A0009,
            format!("参数 `{name}` 是空指针"),
            format!("the argument `{name}` is a null pointer"),
        )));
    }
    // SAFETY: not null, and NUL-terminated by the caller's contract.
    let c = unsafe { CStr::from_ptr(arg) };
    c.to_str().map_err(|e| {
        let at = e.valid_up_to();
        Problems::one(Problem::error(
            Code::A0009,
            format!("参数 `{name}` 不是 UTF-8 文本（第 {at} 字节无效）"),
            format!("the argument `{name}` is not UTF-8 text (invalid byte at offset {at})"),
        ))
    })
}

/// Runs `f` (which answers `call`; none for a raw request), catching a panic, and hands out its
/// response.
fn guarded(call: Option<&str>, f: impl FnOnce() -> Result<String, Problems>) -> *mut c_char {
    give(answer(call, f))
}

/// The number in the field `field` of a response that is `ok`.
fn handle_in(response: &str, field: &str) -> Option<u64> {
    let v: serde_json::Value = serde_json::from_str(response).ok()?;
    v.get("ok")?
        .as_bool()?
        .then(|| v.get(field)?.as_u64())
        .flatten()
}

/// Makes a call with no body to say (`release`, `live_close`): 0 when it is `ok`, -1 when the
/// handle is unknown, -3 on an internal error.
fn status(request: String) -> i32 {
    catch_unwind(|| {
        let r: serde_json::Value =
            serde_json::from_str(&RUNTIME.call(&request)).unwrap_or_default();
        if r.get("ok").and_then(serde_json::Value::as_bool) == Some(true) {
            0
        } else {
            -1
        }
    })
    .unwrap_or(-3)
}

/// Reads the optional C string `arg`: null gives none.
///
/// # Safety
/// As [`text`].
unsafe fn optional<'a>(arg: *const c_char, name: &str) -> Result<Option<&'a str>, Problems> {
    if arg.is_null() {
        Ok(None)
    } else {
        // SAFETY: the caller's contract.
        unsafe { text(arg, name) }.map(Some)
    }
}

/// Writes the number in the field `field` of `response` (0 when the call failed) to `*out`, when
/// `out` is not null.
///
/// # Safety
/// `response` was handed out by [`give`]; `out` is null or points to writable memory for one
/// `uint64_t`.
unsafe fn write_handle(response: *mut c_char, field: &str, out: *mut u64) {
    if out.is_null() {
        return;
    }
    // SAFETY: handed out by `give`: a valid NUL-terminated string.
    let text = unsafe { CStr::from_ptr(response) }.to_str().unwrap_or("");
    // SAFETY: the caller's contract.
    unsafe { *out = handle_in(text, field).unwrap_or(0) };
}

/// Answers one protocol request (JSON text) with one response (JSON text, never null). Free the
/// response with `duibiao_free`.
///
/// # Safety
/// `request` is null or a NUL-terminated string valid during the call.
#[no_mangle]
pub unsafe extern "C" fn duibiao_call(request: *const c_char) -> *mut c_char {
    guarded(None, || {
        // SAFETY: the caller's contract.
        let request = unsafe { text(request, "request") }?;
        Ok(RUNTIME.call(request))
    })
}

/// Compiles a standard from its text; `file` names it in problems (may be null). The response
/// is that of the `compile` call; on success the standard's handle is also written to `*handle`
/// (when `handle` is not null), else 0.
///
/// # Safety
/// `file` and `source` are null or NUL-terminated strings valid during the call; `handle` is
/// null or points to writable memory for one `uint64_t`.
#[no_mangle]
pub unsafe extern "C" fn duibiao_compile(
    file: *const c_char,
    source: *const c_char,
    handle: *mut u64,
) -> *mut c_char {
    let response = guarded(Some("compile"), || {
        // SAFETY: the caller's contract.
        let source = unsafe { text(source, "source") }?;
        // SAFETY: the caller's contract.
        let file = unsafe { optional(file, "file") }?;
        Ok(RUNTIME.compile_text(file, source))
    });
    // SAFETY: `response` was just handed out; `handle` by the caller's contract.
    unsafe { write_handle(response, "handle", handle) };
    response
}

/// Evaluates facts (the JSON text of a facts file) with the standard `standard`; `options` is
/// the options' JSON text, or null for the defaults. The response is that of `evaluate`.
///
/// # Safety
/// `facts` and `options` are null or NUL-terminated strings valid during the call.
#[no_mangle]
pub unsafe extern "C" fn duibiao_evaluate(
    standard: u64,
    facts: *const c_char,
    options: *const c_char,
) -> *mut c_char {
    guarded(Some("evaluate"), || {
        // SAFETY: the caller's contract.
        let facts = unsafe { text(facts, "facts") }?;
        // SAFETY: the caller's contract.
        let options = unsafe { optional(options, "options") }?;
        Ok(RUNTIME.evaluate_text(standard, facts, options))
    })
}

/// Opens a live session over facts (JSON text) with the standard `standard`; `options` is the
/// options' JSON text, or null. The response is that of `live_open`; the session's handle is
/// also written to `*live` (when not null), else 0. Apply changes with the `live_assign` call
/// through `duibiao_call`, and close it with `duibiao_live_close`.
///
/// # Safety
/// `facts` and `options` are null or NUL-terminated strings valid during the call; `live` is
/// null or points to writable memory for one `uint64_t`.
#[no_mangle]
pub unsafe extern "C" fn duibiao_live_open(
    standard: u64,
    facts: *const c_char,
    options: *const c_char,
    live: *mut u64,
) -> *mut c_char {
    let response = guarded(Some("live_open"), || {
        // SAFETY: the caller's contract.
        let facts = unsafe { text(facts, "facts") }?;
        // SAFETY: the caller's contract.
        let options = unsafe { optional(options, "options") }?;
        Ok(RUNTIME.live_open_text(standard, facts, options))
    });
    // SAFETY: `response` was just handed out; `live` by the caller's contract.
    unsafe { write_handle(response, "live", live) };
    response
}

/// Closes the live session `live`. Returns 0, or -1 when no session has this handle.
#[no_mangle]
pub extern "C" fn duibiao_live_close(live: u64) -> i32 {
    status(format!("{{\"call\":\"live_close\",\"live\":{live}}}"))
}

/// Forgets the standard `standard`. Returns 0, or -1 when no standard has this handle (never
/// compiled, or released already).
#[no_mangle]
pub extern "C" fn duibiao_release(standard: u64) -> i32 {
    status(format!("{{\"call\":\"release\",\"standard\":{standard}}}"))
}

/// Frees a string returned by duibiao. Returns 0; -1 for a null pointer; -2 for a pointer
/// duibiao did not hand out or has freed already (nothing is freed then).
///
/// # Safety
/// `text` is null or any pointer: only pointers duibiao handed out and has not taken back are
/// freed.
#[no_mangle]
pub unsafe extern "C" fn duibiao_free(text: *mut c_char) -> i32 {
    if text.is_null() {
        return -1;
    }
    let known = OWNED
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .remove(&(text as usize));
    if !known {
        return -2;
    }
    // SAFETY: handed out by `give` through `CString::into_raw`, and not taken back since (it was
    // still in OWNED, from which it has just been removed).
    drop(unsafe { CString::from_raw(text) });
    0
}

/// The version of duibiao and of its protocol, as static text (not to be freed).
#[no_mangle]
pub extern "C" fn duibiao_version() -> *const c_char {
    VERSION.as_ptr().cast()
}
