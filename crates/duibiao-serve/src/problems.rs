//! The service's own problems (`S0001`…, listed in `docs/error-codes.md`) and the HTTP status
//! that answers a response's problems.

use axum::http::StatusCode;
use duibiao::codes::Code;
use duibiao::{Location, Problem, Problems};

/// Where a problem with the request's path, query or body is.
fn request_at(key: &str) -> Location {
    Location::data(Some("request"), None, Some(key))
}

/// `S0001`: no standard loaded has this slug.
pub(crate) fn unknown_standard(slug: &str, known: &[String]) -> Problems {
    Problems::one(
        Problem::error(
            Code::S0001,
            format!("没有标识为 `{slug}` 的标准"),
            format!("no standard is named `{slug}`"),
        )
        .with_help(
            format!("已载入的标准有：{}；见 GET /v1/standards", known.join("、")),
            format!(
                "the standards loaded are: {}; see GET /v1/standards",
                known.join(", ")
            ),
        )
        .at(request_at("standard")),
    )
}

/// `S0002`: no round has this number.
pub(crate) fn unknown_round(id: &str) -> Problems {
    Problems::one(
        Problem::error(
            Code::S0002,
            format!("没有编号为 `{id}` 的一轮评价"),
            format!("no round is numbered `{id}`"),
        )
        .with_help(
            "轮次编号见 GET /v1/rounds",
            "the rounds' numbers are listed by GET /v1/rounds",
        )
        .at(request_at("round")),
    )
}

/// `S0003`: a body of a type the path does not take.
pub(crate) fn unsupported_media(found: Option<&str>, accepted: &[&str]) -> Problems {
    let found = found.unwrap_or("（无）");
    Problems::one(
        Problem::error(
            Code::S0003,
            format!("不接受类型为 `{found}` 的请求体"),
            format!("a request body of type `{found}` is not accepted here"),
        )
        .with_help(
            format!("请求头 Content-Type 应为 {}", accepted.join(" 或 ")),
            format!("send the header Content-Type: {}", accepted.join(" or ")),
        )
        .at(request_at("Content-Type")),
    )
}

/// `S0004`: a body larger than the limit.
pub(crate) fn too_large(limit: usize) -> Problems {
    Problems::one(
        Problem::error(
            Code::S0004,
            format!("请求体超过上限 {limit} 字节"),
            format!("the request body is larger than the limit of {limit} bytes"),
        )
        .with_help(
            "分批提交，或以更大的 `--max-body` 启动服务",
            "send it in parts, or start the service with a larger `--max-body`",
        )
        .at(request_at("body")),
    )
}

/// `S0005`: the request took longer than the limit.
pub(crate) fn timed_out(seconds: u64) -> Problems {
    Problems::one(
        Problem::error(
            Code::S0005,
            format!("请求超过时限 {seconds} 秒，已停止"),
            format!("the request took longer than the limit of {seconds} seconds and was stopped"),
        )
        .with_help(
            "分批提交，或以更长的 `--timeout` 启动服务",
            "send less at a time, or start the service with a longer `--timeout`",
        ),
    )
}

/// `S0006`: a query parameter that is unknown, repeated, missing or of the wrong form.
pub(crate) fn bad_query(key: &str, zh: String, en: String) -> Problem {
    Problem::error(Code::S0006, zh, en).at(Location::data(Some("query"), None, Some(key)))
}

/// `S0007`: a round whose facts have errors, not stored.
pub(crate) fn not_stored() -> Problem {
    Problem::error(
        Code::S0007,
        "数据有错误，这一轮没有保存",
        "the facts have errors, so the round was not stored",
    )
    .with_help(
        "改正上面列出的错误后重新提交",
        "correct the errors listed and submit it again",
    )
    .at(request_at("body"))
}

/// `S0008`: the store failed.
pub(crate) fn store_failed(e: &crate::store::StoreError) -> Problems {
    Problems::one(Problem::error(
        Code::S0008,
        format!("存储出错：{e}"),
        format!("the store failed: {e}"),
    ))
}

/// `S0009`: a second file with a slug already taken.
pub(crate) fn same_slug(file: &str, slug: &str, first: &str) -> Problem {
    Problem::error(
        Code::S0009,
        format!("`{file}` 的标准标识 `{slug}` 已由 `{first}` 使用，本文件不提供服务"),
        format!("`{file}` names its standard `{slug}`, as `{first}` does; it is not served"),
    )
    .with_help(
        "每个标准文件应有自己的标识（`standard …`）",
        "give each standard file its own slug (`standard …`)",
    )
    .at(Location::data(Some(file), None, Some("standard")))
}

/// `S0010`: a correction of a round of another standard.
pub(crate) fn other_standard(id: i64, theirs: &str, ours: &str) -> Problems {
    Problems::one(
        Problem::error(
            Code::S0010,
            format!("第 {id} 轮属于标准 `{theirs}`，不能用 `{ours}` 的一轮更正"),
            format!(
                "round {id} is of the standard `{theirs}`: a round of `{ours}` cannot correct it"
            ),
        )
        .at(Location::data(Some("query"), None, Some("corrects"))),
    )
}

/// `S0011`: no such path.
pub(crate) fn no_route(path: &str) -> Problems {
    Problems::one(
        Problem::error(
            Code::S0011,
            format!("没有路径 `{path}`"),
            format!("there is no path `{path}`"),
        )
        .with_help(
            "全部路径见 GET /openapi.json",
            "every path is listed in GET /openapi.json",
        )
        .at(request_at("path")),
    )
}

/// `S0012`: a method the path does not take.
pub(crate) fn bad_method(method: &str, path: &str) -> Problems {
    Problems::one(
        Problem::error(
            Code::S0012,
            format!("路径 `{path}` 不接受 {method} 请求"),
            format!("the path `{path}` does not take {method}"),
        )
        .with_help(
            "各路径接受的方法见 GET /openapi.json",
            "the methods each path takes are listed in GET /openapi.json",
        )
        .at(request_at("method")),
    )
}

/// `S0013`: a round corrected already.
pub(crate) fn corrected_already(id: i64, by: i64) -> Problems {
    Problems::one(
        Problem::error(
            Code::S0013,
            format!("第 {id} 轮已由第 {by} 轮更正"),
            format!("round {id} is corrected already, by round {by}"),
        )
        .with_help(
            format!("要再作更正，请更正第 {by} 轮（`corrects={by}`）"),
            format!("to correct it again, correct round {by} (`corrects={by}`)"),
        )
        .at(Location::data(Some("query"), None, Some("corrects"))),
    )
}

/// The HTTP status answering a response: 200 when it is `ok`, else by its first error's code.
pub(crate) fn status(ok: bool, problems: &[Problem]) -> StatusCode {
    if ok {
        return StatusCode::OK;
    }
    let first = problems
        .iter()
        .find(|p| p.is_error())
        .map(|p| p.code.as_str());
    match first {
        Some("A0001" | "A0002" | "A0009" | "S0006") => StatusCode::BAD_REQUEST,
        Some("S0001" | "S0002" | "S0011") => StatusCode::NOT_FOUND,
        Some("S0003") => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        Some("S0004") => StatusCode::PAYLOAD_TOO_LARGE,
        Some("S0005") => StatusCode::SERVICE_UNAVAILABLE,
        Some("S0012") => StatusCode::METHOD_NOT_ALLOWED,
        Some("S0013") => StatusCode::CONFLICT,
        Some("A0008" | "S0008") => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}
