//! Query parameters: read strictly (a parameter a path does not take, one given twice that is
//! not repeatable, one missing or of the wrong form is the problem `S0006` naming it), and the
//! evaluation options they carry (`as_of`, `detail`, `lang`, `param`, `set`).

use crate::problems::bad_query;
use duibiao::{Assignment, Detail, Lang, Options, Problem, Problems};

/// The options every evaluating path takes.
pub(crate) const OPTIONS: &[&str] = &["as_of", "param", "set", "lang"];

/// The query parameters that may be given more than once.
const REPEATABLE: &[&str] = &["param", "set"];

/// A request's query parameters.
#[derive(Debug, Default)]
pub(crate) struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    /// Reads `raw` (the text after `?`), taking only the parameters in `takes`.
    pub(crate) fn parse(raw: Option<&str>, takes: &[&[&str]]) -> Result<Query, Problems> {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(raw.unwrap_or("").as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let known: Vec<&str> = takes.iter().flat_map(|t| t.iter().copied()).collect();
        let mut problems = Vec::new();
        for (i, (key, _)) in pairs.iter().enumerate() {
            if !known.contains(&key.as_str()) {
                let list = if known.is_empty() {
                    "（无）".to_string()
                } else {
                    known.join("、")
                };
                problems.push(bad_query(
                    key,
                    format!("此路径不接受查询参数 `{key}`；它接受 {list}"),
                    format!(
                        "this path takes no query parameter `{key}`; it takes {}",
                        if known.is_empty() {
                            "none".to_string()
                        } else {
                            known.join(", ")
                        }
                    ),
                ));
            } else if !REPEATABLE.contains(&key.as_str())
                && pairs[..i].iter().any(|(k, _)| k == key)
            {
                problems.push(bad_query(
                    key,
                    format!("查询参数 `{key}` 给了不止一次"),
                    format!("the query parameter `{key}` is given more than once"),
                ));
            }
        }
        if problems.is_empty() {
            Ok(Query { pairs })
        } else {
            Err(Problems(problems))
        }
    }

    /// The value of `key`, if given.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The value of `key`, which must be given, and not empty.
    pub(crate) fn required(&self, key: &str) -> Result<&str, Problems> {
        match self.get(key) {
            Some(v) if !v.is_empty() => Ok(v),
            _ => Err(Problems::one(bad_query(
                key,
                format!("缺少查询参数 `{key}`"),
                format!("the query parameter `{key}` is needed"),
            ))),
        }
    }

    /// Every value of `key`, in order.
    fn all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs
            .iter()
            .filter(move |(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The value of `key` as a whole number, if given.
    pub(crate) fn number(&self, key: &str) -> Result<Option<i64>, Problems> {
        self.get(key)
            .map(|v| {
                v.parse::<i64>().map_err(|_| {
                    Problems::one(bad_query(
                        key,
                        format!("查询参数 `{key}` 应为整数，实际为 `{v}`"),
                        format!("the query parameter `{key}` should be a whole number, not `{v}`"),
                    ))
                })
            })
            .transpose()
    }

    /// The evaluation options given, with `detail` as the path decides.
    pub(crate) fn options(&self, detail: Detail) -> Result<Options, Problems> {
        let mut problems: Vec<Problem> = Vec::new();
        let mut options = Options::new().detail(detail);
        if let Some(d) = self.get("as_of") {
            match chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d") {
                Ok(date) => options = options.as_of(date),
                Err(_) => problems.push(bad_query(
                    "as_of",
                    format!("`as_of` 应为日期，如 2021-12-31，实际为 `{d}`"),
                    format!("`as_of` should be a date such as 2021-12-31, not `{d}`"),
                )),
            }
        }
        if let Some(l) = self.get("lang") {
            match l {
                "zh" => options = options.lang(Lang::Zh),
                "en" => options = options.lang(Lang::En),
                _ => problems.push(bad_query(
                    "lang",
                    format!("`lang` 应为 zh 或 en，实际为 `{l}`"),
                    format!("`lang` should be zh or en, not `{l}`"),
                )),
            }
        }
        for p in self.all("param") {
            match options.clone().param_text(p) {
                Ok(o) => options = o,
                Err(e) => problems
                    .extend(e.0.into_iter().map(|x| {
                        x.at(duibiao::Location::data(Some("query"), None, Some("param")))
                    })),
            }
        }
        for s in self.all("set") {
            options = options.set(Assignment::Text(s.to_string()));
        }
        if problems.is_empty() {
            Ok(options)
        } else {
            Err(Problems(problems))
        }
    }
}
