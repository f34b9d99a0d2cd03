//! What every foreign boundary needs around a call — the C ABI, the Python and the Java
//! bindings: a panic caught and answered as the problem `A0008`, and problems that stopped a
//! call answered as a response without a body, in the protocol's one shape.

use super::{write_response, EmptyBody, Response, Style};
use crate::problem::{Problem, Problems};
use crate::Standard;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The problem a panic caught at a boundary becomes (`A0008`).
pub fn panicked() -> Problem {
    crate::problem::internal_with("调用中止", "the call panicked and was stopped")
}

/// The text of a response to `call` (none when the request named no call that exists) carrying
/// `problems` and no body, stamped with `standard` when given: one line, no line break.
pub fn problem_response(
    call: Option<&str>,
    standard: Option<&Standard>,
    problems: Problems,
) -> String {
    let r: Response<EmptyBody> = Response::new(call, standard, problems.0, None);
    let mut out = Vec::new();
    // Writing to a vector fails only if serialization does, which it cannot here.
    let _ = write_response(&mut out, &r, Style::Compact);
    String::from_utf8_lossy(&out).trim_end().to_string()
}

/// Runs `f`, which answers `call` with a response's text or with the problems that stopped it:
/// the response's text (one line), a panic inside `f` answered as [`panicked`]. Never panics.
pub fn answer(call: Option<&str>, f: impl FnOnce() -> Result<String, Problems>) -> String {
    catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(Problems::one(panicked())))
        .map(|text| text.trim_end().to_string())
        .unwrap_or_else(|problems| problem_response(call, None, problems))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A panic is answered as `A0008`, stamped with the call; problems as a response without a
    /// body; a response's text is passed on as one line.
    #[test]
    #[allow(clippy::panic)]
    fn answers_are_one_line_and_panics_are_a0008() {
        let r: serde_json::Value =
            serde_json::from_str(&answer(Some("evaluate"), || panic!("on purpose")))
                .unwrap_or_default();
        assert_eq!(
            (&r["ok"], &r["call"], &r["problems"][0]["code"]),
            (&false.into(), &"evaluate".into(), &"A0008".into()),
            "{r}"
        );
        let bad = answer(None, || Err(Problems::one(panicked())));
        assert!(
            !bad.contains('\n') && bad.contains(r#""call":null"#),
            "{bad}"
        );
        assert_eq!(answer(None, || Ok("{}\n".into())), "{}");
    }
}
