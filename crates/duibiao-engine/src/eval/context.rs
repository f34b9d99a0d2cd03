//! What an evaluation needs besides the facts: the parameters' values resolved on the evaluation
//! date, and the parameters left without one.

use duibiao_compiler::graph::{Graph, ParamValue};
use duibiao_compiler::Value;

/// Why a parameter has no value.
#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    /// The standard leaves it open and nobody supplied it.
    NotSupplied,
    /// Its value depends on the date, and there is no evaluation date (`as_of`).
    NoDate,
    /// No period of its dated values covers the evaluation date.
    NotOn(#[schemars(with = "String", extend("format" = "date"))] chrono::NaiveDate),
}

/// A parameter without a value for this evaluation.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    thiserror::Error,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[non_exhaustive]
#[error("parameter `{name}` has no value{}", match why {
    Missing::NotSupplied => format!("; give it in the facts file's `params` or in the options' `params` (on the command line, `--param {name}=VALUE`)"),
    Missing::NoDate => "; it changes with the date, so give the evaluation date (`as_of`)".to_string(),
    Missing::NotOn(d) => format!(" on {d}"),
})]
pub struct MissingParam {
    /// The parameter.
    pub name: String,
    /// Its clause, if cited.
    pub clause: Option<String>,
    /// Why it has no value.
    pub why: Missing,
}

impl MissingParam {
    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        let clause = self
            .clause
            .as_ref()
            .map(|c| format!("（{c}）"))
            .unwrap_or_default();
        match &self.why {
            Missing::NotSupplied => format!(
                "参数 `{}`{clause}没有值；请在数据文件的 `params` 或选项的 `params` 中提供（命令行用 `--param {}=值`）",
                self.name, self.name
            ),
            Missing::NoDate => format!(
                "参数 `{}`{clause}的值随日期变化，请提供评价日期（`as_of`）",
                self.name
            ),
            Missing::NotOn(d) => format!("参数 `{}`{clause}在 {d} 没有值", self.name),
        }
    }
}

/// What an evaluation needs besides the facts: parameter values and the evaluation date, and
/// whether a large forest may be evaluated in parallel.
#[derive(Debug, Clone, PartialEq)]
pub struct Context {
    /// The value of every parameter ([`Value::Unknown`] for dated values not in force).
    pub params: Vec<Value>,
    /// The evaluation date (`as_of`).
    pub date: Option<chrono::NaiveDate>,
    /// Parameters without a value, rules reading them unknown: dated values not in force on the
    /// evaluation date, and values supplied but unusable for parameters the standard gives a
    /// value of its own (a facts file's wrong value counts as missing, never as that value).
    pub unresolved: Vec<MissingParam>,
    /// Whether a large forest (4,096 units or more) may be evaluated on rayon's pool (the global
    /// one, or the one the caller runs in with `ThreadPool::install`); true from
    /// [`Context::new`]. When false, every evaluation with this context runs entirely on the
    /// calling thread and never touches rayon (for callers that own their threads, such as a
    /// binding in another language). The values are the same either way.
    pub parallel: bool,
}

impl Context {
    /// Resolves the parameter values on `date`: supplied values first, then the standard's own
    /// (dated values by the period containing `date`). Fails when a parameter the standard leaves
    /// open is not supplied, or supplied as [`Value::Unknown`] (a value that could not be used);
    /// a dated value not in force on `date`, and an unusable value of a parameter the standard
    /// gives a value of its own, leave the rules reading it unknown and are listed in
    /// [`Context::unresolved`].
    pub fn new(
        graph: &Graph,
        supplied: &[(usize, Value)],
        date: Option<chrono::NaiveDate>,
    ) -> Result<Context, Vec<MissingParam>> {
        let mut params = Vec::with_capacity(graph.params.len());
        let mut missing = Vec::new();
        let mut unresolved = Vec::new();
        for (i, p) in graph.params.iter().enumerate() {
            let given = supplied
                .iter()
                .rev()
                .find(|(j, _)| *j == i)
                .map(|(_, v)| *v);
            let resolved = match (given, &p.value) {
                // Given, but unusable (reported as it was read): missing, as any wrong value.
                (Some(Value::Unknown), _) => Err(Missing::NotSupplied),
                (Some(v), _) => Ok(v),
                (None, ParamValue::Fixed(v)) => Ok(*v),
                (None, ParamValue::Required) => Err(Missing::NotSupplied),
                (None, ParamValue::Dated(periods)) => match date {
                    None => Err(Missing::NoDate),
                    Some(d) => periods
                        .iter()
                        .find(|(from, to, _)| *from <= d && d <= *to)
                        .map(|(_, _, v)| *v)
                        .ok_or(Missing::NotOn(d)),
                },
            };
            match resolved {
                Ok(v) => params.push(v),
                Err(why) => {
                    params.push(Value::Unknown);
                    let m = MissingParam {
                        name: p.name.clone(),
                        clause: p.source.cite.as_ref().map(|c| c.clause.clone()),
                        why,
                    };
                    // Evaluation goes on without a value the standard would have given.
                    let has_own = !matches!(p.value, ParamValue::Required);
                    if m.why == Missing::NotSupplied && !has_own {
                        missing.push(m);
                    } else {
                        unresolved.push(m);
                    }
                }
            }
        }
        if missing.is_empty() {
            Ok(Context {
                params,
                date,
                unresolved,
                parallel: true,
            })
        } else {
            Err(missing)
        }
    }

    /// This context, allowed to evaluate in parallel or not (see [`Context::parallel`]).
    pub fn with_parallel(self, parallel: bool) -> Context {
        Context { parallel, ..self }
    }
}
