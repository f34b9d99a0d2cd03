//! What the JSON parser finds wrong with a text, in the words of duibiao's messages: `serde_json`
//! says "EOF while parsing a list"; a facts file's reader is told that a list is not closed and
//! which bracket is missing, in Chinese and in English (docs/error-style.md).

/// What `serde_json`'s `message` (its error's text without the position) means, in Chinese and
/// in English. A message this table does not know (a new version's wording) is said to be a
/// syntax error in Chinese and passed on as it is in English.
pub fn json_syntax(message: &str) -> (String, String) {
    let (zh, en) = match message {
        "EOF while parsing a list" => (
            "文件在列表闭合之前结束（缺少 `]`）",
            "the text ends before a list is closed (`]` missing)",
        ),
        "EOF while parsing an object" => (
            "文件在对象闭合之前结束（缺少 `}`）",
            "the text ends before an object is closed (`}` missing)",
        ),
        "EOF while parsing a string" => (
            "文件在字符串闭合之前结束（缺少 `\"`）",
            "the text ends before a string is closed (`\"` missing)",
        ),
        "EOF while parsing a value" => (
            "文件在应有值的地方结束",
            "the text ends where a value should be",
        ),
        "expected `:`" => ("键之后应为 `:`", "`:` expected after a key"),
        "expected `,` or `]`" => (
            "列表的一项之后应为 `,` 或 `]`",
            "`,` or `]` expected after an item of a list",
        ),
        "expected `,` or `}`" => (
            "对象的一项之后应为 `,` 或 `}`",
            "`,` or `}` expected after an entry of an object",
        ),
        "expected ident" => (
            "应为 `true`、`false` 或 `null`",
            "`true`, `false` or `null` expected",
        ),
        "expected value" => (
            "应为一个值：字符串、数、对象、列表、`true`、`false` 或 `null`",
            "a value expected: a string, number, object, list, `true`, `false` or `null`",
        ),
        "expected `\"`" | "key must be a string" => (
            "对象的键应为带引号 `\"` 的字符串",
            "an object's key must be a string in `\"`",
        ),
        "invalid escape" => (
            "字符串中的转义无效（`\\` 之后应为 `\"`、`\\`、`/`、`b`、`f`、`n`、`r`、`t` 或 `u`）",
            "an invalid escape in a string (`\\` must be followed by `\"`, `\\`, `/`, `b`, `f`, `n`, `r`, `t` or `u`)",
        ),
        "invalid number" => ("数的写法无效", "an invalid number"),
        "number out of range" => ("数超出范围", "a number out of range"),
        "invalid unicode code point"
        | "lone leading surrogate in hex escape"
        | "unexpected end of hex escape" => (
            "字符串中的 `\\u` 转义无效",
            "an invalid `\\u` escape in a string",
        ),
        "control character (\\u0000-\\u001F) found while parsing a string" => (
            "字符串中有控制字符（换行须写作 `\\n`，制表符须写作 `\\t`）",
            "a control character in a string (write a line break as `\\n`, a tab as `\\t`)",
        ),
        "trailing comma" => (
            "最后一项之后多了一个 `,`",
            "a `,` after the last item",
        ),
        "trailing characters" => (
            "JSON 已经结束，之后还有其他内容",
            "more text after the end of the JSON",
        ),
        "recursion limit exceeded" => (
            "嵌套超过 128 层",
            "nested more than 128 levels deep",
        ),
        other => return ("有语法错误".into(), other.to_string()),
    };
    (zh.into(), en.into())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::json_syntax;

    /// The message `serde_json` gives for `text`, without its position.
    fn said(text: &str) -> String {
        let e = serde_json::from_str::<serde_json::Value>(text).unwrap_err();
        let full = e.to_string();
        full[..full.rfind(" at line ").unwrap()].to_string()
    }

    #[test]
    fn every_mistake_a_hand_makes_is_told_in_both_languages() {
        let texts = [
            "[1, 2",
            "{\"a\": 1",
            "\"abc",
            "{\"a\": ",
            "{\"a\" 1}",
            "[1 2]",
            "{\"a\": 1 \"b\": 2}",
            "tru",
            "[1, }",
            "{1: 2}",
            "\"\\x\"",
            "-",
            "\"\\ud800\"",
            "\"a\tb\"",
            "[1, 2,]",
            "{} x",
            &"[".repeat(200),
        ];
        for text in texts {
            let message = said(text);
            let (zh, en) = json_syntax(&message);
            assert!(
                !zh.contains("语法错误"),
                "{text:?}: {message} has no words of its own"
            );
            assert_ne!(en, message, "{text:?}: passed on as it was");
        }
    }

    #[test]
    fn a_message_not_known_is_passed_on_in_english() {
        let (zh, en) = json_syntax("something new");
        assert_eq!(zh, "有语法错误");
        assert_eq!(en, "something new");
    }
}
