//! The Java binding of duibiao: the native methods of `cn.duibiao.Native` (`call0`, `compile0`,
//! `evaluateUtf8`, `liveOpen0`, `callWith0`). Thin on purpose, like the C ABI (`crates/duibiao-c`):
//! every method passes JSON text to the protocol's [`Runtime`] and hands back its JSON response as
//! a Java string; the Java classes read the responses. There is no rule logic here and no JSON
//! shape of its own.
//!
//! - No panic unwinds into the JVM: each method runs its work under `catch_unwind` and answers
//!   a panic with a response carrying the problem `A0008` (the JNI layer's own calls run under
//!   the `jni` crate's `with_env`, which catches panics too).
//! - A Java `null` or a string that is not valid text (a lone surrogate) is answered with the
//!   problem `A0009`, never a crash.
//! - Thread-safety: one runtime serves every thread of the JVM; evaluations of one standard run
//!   in parallel.
//! - Small thread stacks: application servers often run their threads with `-Xss256k`, too
//!   little for a recursive descent into a nested request (serde_json's, up to 128 levels). The
//!   runtime grows the stack of its own calls; the facts `callWith0` splices into a request are
//!   read here, on the calling thread's stack when at least [`RED_ZONE`] of it is left, else on a
//!   fresh segment of [`SEGMENT`] (`stacker::maybe_grow`); the JNI calls themselves always run on
//!   the JVM's stack.
//!
//! `unsafe` appears only as the `#[unsafe(no_mangle)]` attribute that exports each method under
//! the name the JVM looks up.

use duibiao::codes::Code;
use duibiao::protocol::boundary::{answer, problem_response};
use duibiao::protocol::Runtime;
use duibiao::{Problem, Problems};
use jni::errors::ThrowRuntimeExAndDefault;
use jni::objects::{JByteArray, JClass, JString};
use jni::sys::jlong;
use jni::{Env, EnvUnowned};
use serde_json::value::RawValue;
use std::sync::LazyLock;

/// The runtime every call of the JVM shares: standards and live sessions by handle.
static RUNTIME: LazyLock<Runtime> = LazyLock::new(Runtime::new);

/// The stack reading a request needs left on the calling thread to run there.
const RED_ZONE: usize = 512 * 1024;

/// The size of the stack segment a request is read on when the calling thread has less than
/// [`RED_ZONE`] left.
const SEGMENT: usize = 8 * 1024 * 1024;

/// Runs `f` (reading a request, no JNI inside) with at least [`RED_ZONE`] of stack.
fn grow<T>(f: impl FnOnce() -> T) -> T {
    stacker::maybe_grow(RED_ZONE, SEGMENT, f)
}

/// The problem `A0009` for the argument `name`: `null`, or not text.
fn bad_argument(name: &str, why_zh: &str, why_en: &str) -> Problems {
    Problems::one(Problem::error(
        Code::A0009,
        format!("参数 `{name}` {why_zh}"),
        format!("the argument `{name}` {why_en}"),
    ))
}

/// Reads the Java string `arg` (named `name` in problems), which must not be `null`.
fn text(env: &Env<'_>, arg: &JString<'_>, name: &str) -> Result<String, Problems> {
    if arg.is_null() {
        return Err(bad_argument(name, "是 null", "is null"));
    }
    arg.try_to_string(env).map_err(|e| {
        bad_argument(
            name,
            &format!("无法读取：{e}"),
            &format!("cannot be read: {e}"),
        )
    })
}

/// Reads the Java byte array `arg` (named `name` in problems) as UTF-8 text; `null` or bytes that
/// are not UTF-8 are the problem `A0009`.
fn utf8(env: &Env<'_>, arg: &JByteArray<'_>, name: &str) -> Result<String, Problems> {
    if arg.is_null() {
        return Err(bad_argument(name, "是 null", "is null"));
    }
    let bytes = env.convert_byte_array(arg).map_err(|e| {
        bad_argument(
            name,
            &format!("无法读取：{e}"),
            &format!("cannot be read: {e}"),
        )
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        bad_argument(
            name,
            &format!("不是 UTF-8 文本（第 {at} 字节无效）"),
            &format!("is not UTF-8 text (invalid byte at offset {at})"),
        )
    })
}

/// Reads the optional Java string `arg`: `null` gives none.
fn optional(env: &Env<'_>, arg: &JString<'_>, name: &str) -> Result<Option<String>, Problems> {
    if arg.is_null() {
        Ok(None)
    } else {
        text(env, arg, name).map(Some)
    }
}

/// Runs `f` (which makes the response to `call`; none for a raw request) as [`answer`] does, and
/// hands the response to Java. A failure of JNI itself (the JVM out of memory making the string) is thrown as a
/// `RuntimeException` by the `jni` crate's policy (which catches a panic of its own too).
fn guarded<'local>(
    unowned: &mut EnvUnowned<'local>,
    call: Option<&str>,
    f: impl FnOnce(&Env<'local>) -> Result<String, Problems>,
) -> JString<'local> {
    unowned
        .with_env(|env| -> jni::errors::Result<JString<'local>> {
            let response = answer(call, || f(env));
            JString::from_str(env, response)
        })
        .resolve::<ThrowRuntimeExAndDefault>()
}

/// Answers the request with `fields` spliced into it: each `(name, text)` is a field whose value
/// is the JSON text given (facts, as the host holds them). A text that is not one JSON value is
/// answered with the problems the standard's loader finds in it (with their line and column),
/// as `evaluate` answers such facts; nothing else is ever spliced, so a text cannot add fields.
fn call_with(request: &str, fields: &[(String, String)]) -> Result<String, Problems> {
    let mut bad = Vec::new();
    for (name, value) in fields {
        if serde_json::from_str::<&RawValue>(value).is_err() {
            bad.push((name, value));
        }
    }
    let head = request.trim_end();
    if bad.is_empty() {
        let Some(open) = head.strip_suffix('}') else {
            return Ok(RUNTIME.call(request));
        };
        let mut spliced = String::with_capacity(
            open.len()
                + fields
                    .iter()
                    .map(|(n, v)| n.len() + v.len() + 8)
                    .sum::<usize>(),
        );
        spliced.push_str(open);
        let mut empty = open.trim_end().ends_with('{');
        for (name, value) in fields {
            if !empty {
                spliced.push(',');
            }
            empty = false;
            // The name is one of the protocol's field names, chosen by the Java classes.
            spliced.push_str(&serde_json::Value::from(name.as_str()).to_string());
            spliced.push(':');
            spliced.push_str(value);
        }
        spliced.push('}');
        return Ok(RUNTIME.call(&spliced));
    }
    // Some text is not JSON: the loader's problems, on the standard the request names.
    let parsed: serde_json::Value = serde_json::from_str(request).unwrap_or_default();
    let call = parsed.get("call").and_then(|c| c.as_str()).unwrap_or("");
    let handle = parsed.get("standard").and_then(serde_json::Value::as_u64);
    let standard = match RUNTIME.standard(handle.unwrap_or(0)) {
        Ok(s) => s,
        Err(p) => return Ok(problem_response(Some(call), None, p)),
    };
    let mut problems = Vec::new();
    for (name, value) in bad {
        problems.extend(standard.load_facts_named(Some(name), value).1);
    }
    Ok(problem_response(
        Some(call),
        Some(&standard),
        Problems(problems),
    ))
}

/// `Native.call0(String request)`: answers one protocol request (JSON text) with its response.
#[allow(unsafe_code)]
// SAFETY: `no_mangle` exports the function under the JNI name the JVM looks up; no other item
// of the library has this name, and the signature matches the Java declaration
// `private static native String call0(String)`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_cn_duibiao_Native_call0<'local>(
    mut env: EnvUnowned<'local>,
    _class: JClass<'local>,
    request: JString<'local>,
) -> JString<'local> {
    guarded(&mut env, None, |env| {
        let request = text(env, &request, "request")?;
        Ok(RUNTIME.call(&request))
    })
}

/// `Native.compile0(String file, String source)`: the response of `compile` for this source text
/// (`file`, which may be `null`, names it in problems), without the host escaping the source
/// into a request.
#[allow(unsafe_code)]
// SAFETY: as `Java_cn_duibiao_Native_call0`; Java: `compile0(String, String)`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_cn_duibiao_Native_compile0<'local>(
    mut env: EnvUnowned<'local>,
    _class: JClass<'local>,
    file: JString<'local>,
    source: JString<'local>,
) -> JString<'local> {
    guarded(&mut env, Some("compile"), |env| {
        let source = text(env, &source, "source")?;
        let file = optional(env, &file, "file")?;
        Ok(RUNTIME.compile_text(file.as_deref(), &source))
    })
}

/// `Native.evaluateUtf8(long standard, byte[] facts, String options)`: the response of
/// `evaluate` for facts given as JSON text; `options` is the options' JSON text, or `null`. The
/// facts and the response cross as UTF-8 bytes, not as Java strings: no modified-UTF-8
/// conversion on either side (the call that carries the most text, made the most often).
#[allow(unsafe_code)]
// SAFETY: as `Java_cn_duibiao_Native_call0`; Java: `evaluateUtf8(long, byte[], String)`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_cn_duibiao_Native_evaluateUtf8<'local>(
    mut env: EnvUnowned<'local>,
    _class: JClass<'local>,
    standard: jlong,
    facts: JByteArray<'local>,
    options: JString<'local>,
) -> JByteArray<'local> {
    env.with_env(|env| -> jni::errors::Result<JByteArray<'local>> {
        let response = answer(Some("evaluate"), || {
            let facts = utf8(env, &facts, "facts")?;
            let options = optional(env, &options, "options")?;
            let standard = handle(standard, "standard")?;
            Ok(RUNTIME.evaluate_text(standard, &facts, options.as_deref()))
        });
        env.byte_array_from_slice(response.trim_end().as_bytes())
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}

/// `Native.liveOpen0(long standard, String facts, String options)`: the response of `live_open`
/// for facts given as JSON text; `options` is the options' JSON text, or `null`.
#[allow(unsafe_code)]
// SAFETY: as `Java_cn_duibiao_Native_call0`; Java:
// `liveOpen0(long, String, String)`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_cn_duibiao_Native_liveOpen0<'local>(
    mut env: EnvUnowned<'local>,
    _class: JClass<'local>,
    standard: jlong,
    facts: JString<'local>,
    options: JString<'local>,
) -> JString<'local> {
    guarded(&mut env, Some("live_open"), |env| {
        let facts = text(env, &facts, "facts")?;
        let options = optional(env, &options, "options")?;
        let standard = handle(standard, "standard")?;
        let response = RUNTIME.live_open_text(standard, &facts, options.as_deref());
        Ok(response)
    })
}

/// `Native.callWith0(String request, String name1, String text1, String name2, String text2)`:
/// answers `request` (a JSON object without its facts) with the field `name1` set to the JSON
/// text `text1` and, when `name2` is not `null`, `name2` to `text2` — facts passed as the text
/// the host holds, without being parsed on the Java side.
#[allow(unsafe_code)]
// SAFETY: as `Java_cn_duibiao_Native_call0`; Java:
// `callWith0(String, String, String, String, String)`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_cn_duibiao_Native_callWith0<'local>(
    mut env: EnvUnowned<'local>,
    _class: JClass<'local>,
    request: JString<'local>,
    name1: JString<'local>,
    text1: JString<'local>,
    name2: JString<'local>,
    text2: JString<'local>,
) -> JString<'local> {
    guarded(&mut env, None, |env| {
        let request = text(env, &request, "request")?;
        let mut fields = vec![(text(env, &name1, "name")?, text(env, &text1, "facts")?)];
        if let Some(name) = optional(env, &name2, "name")? {
            let value = text(env, &text2, &name)?;
            fields.push((name, value));
        }
        grow(|| call_with(&request, &fields))
    })
}

/// A handle from Java's `long` (a negative one names nothing: `A0004`, as any unknown handle).
fn handle(value: jlong, name: &str) -> Result<u64, Problems> {
    u64::try_from(value).map_err(|_| {
        bad_argument(
            name,
            &format!("不是句柄：{value}"),
            &format!("is not a handle: {value}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A panic is answered as the problem `A0008`, stamped with the call, never passed on.
    #[test]
    #[allow(clippy::panic)]
    fn a_panic_is_the_problem_a0008() {
        let r = answer(Some("evaluate"), || panic!("on purpose"));
        let r: serde_json::Value = serde_json::from_str(&r).unwrap_or_default();
        assert_eq!(r["ok"], false, "{r}");
        assert_eq!(r["call"], "evaluate", "{r}");
        assert_eq!(r["problems"][0]["code"], "A0008", "{r}");
        // So is a panic on a stack segment of its own.
        let r = answer(Some("call"), || stacker::grow(SEGMENT, || panic!("deeper")));
        assert!(r.contains("A0008"), "{r}");
    }

    /// Facts that are not JSON are answered with the loader's problems, stamped with the call.
    #[test]
    fn facts_that_are_not_json_get_the_loaders_problems() {
        let source = std::fs::read_to_string("../../standards/haiyan-2021.std").unwrap_or_default();
        let compiled = RUNTIME.call(
            &serde_json::json!({"call": "compile", "source": source, "file": "haiyan.std"})
                .to_string(),
        );
        let v: serde_json::Value = serde_json::from_str(&compiled).unwrap_or_default();
        let h = v["handle"].as_u64().unwrap_or(0);
        let req = format!(r#"{{"call":"explain","standard":{h},"unit":"SQ2"}}"#);
        let r = call_with(&req, &[("facts".into(), "{\"units\": [".into())]).unwrap_or_default();
        let r: serde_json::Value = serde_json::from_str(&r).unwrap_or_default();
        assert_eq!(r["ok"], false, "{r}");
        assert_eq!(r["call"], "explain", "{r}");
        assert!(
            r["problems"][0]["code"]
                .as_str()
                .unwrap_or("")
                .starts_with('F'),
            "{r}"
        );
        // A text that is JSON is spliced in as the field's value.
        let r = call_with(&req, &[("facts".into(), "{\"units\": []}".into())]).unwrap_or_default();
        assert!(r.contains("\"call\":\"explain\""), "{r}");
        // An unknown standard is `A0004`, whatever the facts.
        let r = call_with(
            r#"{"call":"progress","standard":999999}"#,
            &[("facts".into(), "[".into())],
        )
        .unwrap_or_default();
        assert!(
            r.contains("A0004") && r.contains("\"call\":\"progress\""),
            "{r}"
        );
    }
}
