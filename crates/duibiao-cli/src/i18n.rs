//! The command line's own words in Chinese: help and usage errors are Chinese by default and
//! English with `--lang en`. clap writes English; its help is rewritten here from tables of
//! Chinese texts (one per command and argument, kept complete by a test), and its errors are
//! said again in Chinese from their kind and context.

use crate::args::Cli;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, CommandFactory, FromArgMatches};
use duibiao::Lang;
use std::ffi::OsString;
use std::process::ExitCode;

/// What each command does, in Chinese.
const COMMANDS: &[(&str, &str)] = &[
    ("check", "检查标准文件：列出错误和警告；有错误时退出码为 1"),
    ("fmt", "统一标准文件的格式，关键词、字符串和注释保持原样：改写格式不同的文件；加 `--check` 时只列出并以退出码 1 结束；文件有语法错误时退出码为 2"),
    ("eval", "评价数据文件中的全部单位：得分、等级、否决事项"),
    ("progress", "报告截至评价日期（`--as-of`，否则数据文件的 `as_of`）已到期的目标是否达成"),
    ("explain", "解释一个单位为什么是这个等级：逐条列出条件、实际值、要求和出处"),
    ("gap", "问题清单和提升清单：一个单位离某个等级差什么、改哪些数据可以达到（经评价验证）"),
    ("diff", "比较同一标准的两份数据（按单位编号对应）：哪些得分、等级、条件变了"),
    ("impact", "修订的影响：标准两个版本之间逐条款变化的规则，以及数据中得分、等级、否决或目标结果随之变化的单位和原因"),
    ("live", "持续评价：从标准输入逐行读入 `单位.键=值`，每行之后打印得分或等级变了的单位（只重算受影响的单位）"),
    ("serve", "启动评价服务：对一个文件夹中的标准提供 HTTP 接口（启动时编译，文件改动后重新编译），并保存评价轮次（见 docs/service.md）；按 Ctrl-C 或收到 SIGTERM 时处理完进行中的请求后停止"),
    ("template", "打印某类单位的空白数据模板，供评价人员填写；加 `--format xlsx` 时写出供填写的工作簿（每类单位一张工作表，或只有所给的类型）"),
    ("convert", "在 JSON 和工作簿（xlsx）之间转换数据文件：单位、数值和参数不变。标准文件由 `--standard` 给出，否则为数据中标准代号对应的 `standards/<代号>.std`"),
    ("doc", "生成标准的条款对照页：每个条款对应的规则和出处，以及未编码的条款（默认写到 `docs/standards/<slug>.md`）"),
    ("schema", "打印数据文件的 JSON Schema"),
    ("test", "运行标准的用例（`standards/<slug>/cases/NAME.json` 和 `NAME.expected.json`）：逐个报告通过或失败及差异；有用例失败时退出码为 1，无法运行时为 2"),
    ("gen", "为标准生成 N 个单位的可复现模拟数据（压力测试、性能测试）"),
    ("lsp", "启动语言服务器（LSP，经标准输入输出）：编辑器中的诊断、悬停说明、跳转定义、查找引用、补全、大纲和快速修复（见 docs/lsp.md）"),
];

/// What each argument is, in Chinese (by its id; the same in every command).
const ARGS: &[(&str, &str)] = &[
    ("file", "标准文件（.std）"),
    ("files", "标准文件（.std）；不给或给 `-` 时读标准输入，格式化结果写到标准输出"),
    ("check", "不改写文件：列出格式不同的文件及最先不同的几行，有则退出码为 1"),
    ("facts", "数据文件：JSON 或工作簿（.xlsx）"),
    ("params", "参数的值，`名称=值`（可重复）；优先于标准和数据文件中的值"),
    ("as_of", "评价日期（优先于数据文件的 `as_of`），如 2021-12-31"),
    ("set", "假设修改：某个单位的某项数据或得分，`单位.键=值`（可重复；`null` 表示未填报）"),
    ("lang", "输出和消息的语言"),
    ("format", "输出格式（xlsx 为工作簿，写到 `--out`）"),
    ("detail", "JSON 中给出每个单位的完整结果（项目、每个条件的数值和出处、要求、兑现），只用于 `--format json`"),
    ("unit", "单位编号"),
    ("to", "要达到的等级"),
    ("before", "修改前的数据文件"),
    ("after", "修改后的数据文件"),
    ("current", "现行版本的标准文件（.std）"),
    ("revision", "修订稿的标准文件（.std）"),
    ("kind", "单位类型（街道、社区……）；JSON 格式必填"),
    ("into", "转换成的格式：json 或 xlsx"),
    ("standard", "数据对应的标准文件（.std）"),
    ("out", "写到哪里（`doc` 中 `-` 表示标准输出；JSON 不给时写到标准输出；工作簿必须给出）"),
    ("units", "单位个数"),
    ("standards", "标准文件夹"),
    ("addr", "监听的地址"),
    ("db", "评价轮次的存储：SQLite 文件（不存在时新建），或 postgres://用户@主机/数据库"),
    ("max_body", "请求体的上限（字节）"),
    ("timeout", "单个请求的时限（秒）"),
    ("workers", "同时进行的评价最多几个，其余排队（默认：每个核一个）"),
    ("seed", "随机种子：种子相同，生成的文件相同"),
    ("shape", "各类单位的下级个数，`社区=3-8,小区=0-5`（未给出的类型用默认值）"),
    ("missing", "缺失值的百分比"),
    ("veto", "否决类事项（名称含“否决”）为真的百分比"),
    ("paths", "标准文件（.std）、用例文件夹或用例文件（默认：当前目录下 `standards/*.std` 的全部用例）"),
    ("coverage", "同时报告覆盖：每条规则（连同条款）在用例中是否见过达到、未达到和未知，以及没有用例覆盖的条款"),
    ("html", "把覆盖报告写成一个 HTML 页面"),
    ("update", "用实际结果改写失败用例的期望结果文件（只改文件中写了的字段；先打印改动）"),
    ("max_problems", "最多显示多少个问题，其余只计数（0 表示不限）"),
    (
        "limit",
        "提高（或降低）一项上限，名称=值：source_bytes、nesting、facts_bytes、units、id_chars 或 name_chars；大小可带 KiB、MiB、GiB（见 docs/reliability.md）",
    ),
];

/// The language the command line asks for: `--lang en` (or `--lang=en`) anywhere, else Chinese.
pub(crate) fn lang_of(args: &[OsString]) -> Lang {
    let mut words = args.iter().map(|a| a.to_string_lossy());
    while let Some(w) = words.next() {
        let value = match w.strip_prefix("--lang=") {
            Some(v) => Some(v.to_string()),
            None if w == "--lang" => words.next().map(|v| v.to_string()),
            None => None,
        };
        if value.as_deref() == Some("en") {
            return Lang::En;
        }
    }
    Lang::Zh
}

/// The command line's description for `lang`.
pub(crate) fn command(lang: Lang) -> clap::Command {
    let cmd = Cli::command();
    match lang {
        Lang::En => cmd,
        _ => chinese(cmd, true),
    }
}

/// `cmd` (and its subcommands) with Chinese help.
fn chinese(cmd: clap::Command, top: bool) -> clap::Command {
    let name = cmd.get_name().to_string();
    let mut cmd = cmd
        .help_template("{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}")
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助")
                .help_heading("选项"),
        );
    if top {
        cmd = cmd
            .about("duibiao（对标）：可执行的评价标准")
            .disable_version_flag(true)
            .disable_help_subcommand(true)
            .arg(
                Arg::new("version")
                    .short('V')
                    .long("version")
                    .action(ArgAction::Version)
                    .help("显示版本")
                    .help_heading("选项"),
            );
    }
    if let Some((_, zh)) = COMMANDS.iter().find(|(c, _)| *c == name) {
        cmd = cmd.about(*zh);
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for (order, id) in ids.into_iter().enumerate() {
        cmd = cmd.mut_arg(&id, |a| {
            let heading = if a.is_positional() {
                "参数"
            } else {
                "选项"
            };
            let Some((_, zh)) = ARGS.iter().find(|(x, _)| *x == id) else {
                return a.help_heading(heading).display_order(order);
            };
            // clap's "[default: …] [possible values: …]", said in Chinese.
            let defaults: Vec<String> = a
                .get_default_values()
                .iter()
                .map(|v| v.to_string_lossy().into_owned())
                .collect();
            let takes = a.get_action().takes_values();
            let values: Vec<String> = a
                .get_possible_values()
                .into_iter()
                .filter(|_| takes)
                .map(|v| v.get_name().to_string())
                .collect();
            let mut notes = Vec::new();
            if !defaults.is_empty() {
                notes.push(format!("默认 {}", defaults.join("、")));
            }
            if !values.is_empty() {
                notes.push(format!("可选 {}", values.join("、")));
            }
            let help = match notes.is_empty() {
                true => zh.to_string(),
                false => format!("{zh}（{}）", notes.join("；")),
            };
            a.help(help)
                .help_heading(heading)
                .display_order(order)
                .hide_default_value(!defaults.is_empty())
                .hide_possible_values(!values.is_empty())
        });
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for s in subs {
        cmd = cmd.mut_subcommand(&s, |c| chinese(c, false));
    }
    cmd
}

/// Parses the command line: the arguments, or the exit code after help, the version or a usage
/// error was printed (in the language asked for).
pub(crate) fn parse() -> Result<Cli, ExitCode> {
    let args: Vec<OsString> = std::env::args_os().collect();
    let lang = lang_of(&args);
    let matches = command(lang).try_get_matches_from(&args);
    let parsed = matches.and_then(|m| Cli::from_arg_matches(&m));
    parsed.map_err(|e| {
        let code = if e.use_stderr() { 2 } else { 0 };
        let bare = e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand;
        match (lang, e.use_stderr()) {
            (Lang::Zh, true) if bare => eprint!("{}", command(lang).render_help()),
            (Lang::Zh, true) => eprint!("{}", say(&e)),
            _ => {
                // Printing fails only if the terminal is gone; there is no one left to tell.
                let _ = e.print();
            }
        }
        ExitCode::from(code)
    })
}

/// A usage error said in Chinese, with clap's English beneath, the usage and where to look.
fn say(e: &clap::Error) -> String {
    let get = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(v) => v.to_string(),
        None => String::new(),
    };
    let (arg, value) = (get(ContextKind::InvalidArg), get(ContextKind::InvalidValue));
    let reason = std::error::Error::source(e).map_or(String::new(), ToString::to_string);
    let (why_zh, why_en) = reason_texts(&reason);
    let why = if why_zh.is_empty() {
        String::new()
    } else {
        format!("：{why_zh}")
    };
    let suggestion = match get(ContextKind::SuggestedArg) {
        s if !s.is_empty() => format!("；是不是要写 `{s}`？"),
        _ => match get(ContextKind::SuggestedSubcommand) {
            s if !s.is_empty() => format!("；是不是要写 `{s}`？"),
            _ => String::new(),
        },
    };
    let valid = match get(ContextKind::ValidValue) {
        v if !v.is_empty() => format!("；可以写 {v}"),
        _ => String::new(),
    };
    let headline = match e.kind() {
        ErrorKind::UnknownArgument => format!("未知的参数 `{arg}`{suggestion}"),
        ErrorKind::InvalidSubcommand => format!(
            "未知的命令 `{}`{suggestion}",
            get(ContextKind::InvalidSubcommand)
        ),
        ErrorKind::InvalidValue => format!("`{arg}` 的值 `{value}` 不对{valid}"),
        ErrorKind::ValueValidation if arg.contains("DATE") => {
            format!("`{arg}` 的值 `{value}` 不是日期，应写成 2021-12-31 这样的形式")
        }
        ErrorKind::ValueValidation if arg.contains("NAME=VALUE") => format!(
            "`{arg}` 的值 `{value}` 不对：应写成 名称=值，名称为 {} 之一，值为整数（大小可带 KiB、MiB、GiB）",
            duibiao::Limits::NAMES.join("、")
        ),
        ErrorKind::ValueValidation => format!("`{arg}` 的值 `{value}` 不对{why}"),
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::MissingSubcommand => "缺少命令".to_string(),
        ErrorKind::NoEquals => format!("`{arg}` 的值要用 `=` 连接"),
        ErrorKind::TooManyValues => format!("多余的值 `{value}`"),
        ErrorKind::ArgumentConflict => {
            format!("`{arg}` 不能和 {} 一起用", get(ContextKind::PriorArg))
        }
        ErrorKind::InvalidUtf8 => "命令行参数不是 UTF-8 文本".to_string(),
        _ => "命令行写得不对".to_string(),
    };
    let english = match e.kind() {
        ErrorKind::ValueValidation if !why_en.is_empty() => {
            format!("invalid value '{value}' for '{arg}': {why_en}")
        }
        ErrorKind::ValueValidation | ErrorKind::InvalidValue => {
            format!("invalid value '{value}' for '{arg}'")
        }
        kind => kind.as_str().map(str::to_string).unwrap_or_default(),
    };
    let usage = match e.get(ContextKind::Usage) {
        Some(ContextValue::StyledStr(u)) => u.to_string().replacen("Usage: ", "用法：", 1),
        _ => String::new(),
    };
    let usage = if usage.is_empty() {
        usage
    } else {
        format!("\n{}\n", usage.trim_end())
    };
    format!("错误：{headline}\n{english}\n{usage}\n更多信息请用 `--help`。\n")
}

/// A value parser's reason in Chinese and in English: given as `中文 · English` by this
/// command line's own parsers; the standard library's number errors are translated; any other
/// reason is given in English only.
fn reason_texts(reason: &str) -> (String, String) {
    if let Some((zh, en)) = reason.split_once(" · ") {
        return (zh.to_string(), en.to_string());
    }
    let zh = match reason {
        "invalid digit found in string" => "应为整数",
        "number too large to fit in target type" => "数太大",
        "number too small to fit in target type" => "数太小",
        "cannot parse integer from empty string" => "不能为空",
        "invalid float literal" => "应为数",
        _ => "",
    };
    (zh.to_string(), reason.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    /// Every command and every argument has its Chinese text, and nothing is described twice.
    #[test]
    fn every_command_and_argument_is_in_chinese() {
        let cmd = Cli::command();
        for sub in cmd.get_subcommands() {
            let name = sub.get_name();
            assert!(
                COMMANDS.iter().any(|(c, _)| *c == name),
                "no Chinese for command `{name}`"
            );
            for a in sub.get_arguments() {
                let id = a.get_id().as_str();
                assert!(
                    ARGS.iter().any(|(x, _)| *x == id),
                    "no Chinese for `{name} {id}`"
                );
            }
        }
        for a in cmd.get_arguments() {
            let id = a.get_id().as_str();
            assert!(ARGS.iter().any(|(x, _)| *x == id), "no Chinese for `{id}`");
        }
        let names: std::collections::BTreeSet<&str> = COMMANDS.iter().map(|(c, _)| *c).collect();
        assert_eq!(names.len(), COMMANDS.len());
    }

    /// clap's own checks of a command description hold for the Chinese one.
    #[test]
    fn the_chinese_description_is_valid() {
        command(Lang::Zh).debug_assert();
        command(Lang::En).debug_assert();
    }

    /// The text of the usage error for `args`.
    fn usage_error(args: &str) -> String {
        match Cli::try_parse_from(args.split(' ')) {
            Ok(_) => panic!("`{args}` parsed"),
            Err(e) => say(&e),
        }
    }

    #[test]
    fn a_bad_value_says_why_in_both_languages() {
        let said = usage_error("duibiao serve --timeout x");
        assert!(
            said.contains("`--timeout <SECONDS>` 的值 `x` 不对：应为整数\n")
                && said.contains(
                    "invalid value 'x' for '--timeout <SECONDS>': invalid digit found in string\n"
                ),
            "{said}"
        );
        let said = usage_error("duibiao serve --workers 0");
        assert!(
            said.contains("`--workers <N>` 的值 `0` 不对：应为 1 到 65535 之间的整数\n")
                && said.contains(
                    "invalid value '0' for '--workers <N>': a whole number from 1 to 65535 was expected\n"
                ),
            "{said}"
        );
        let said = usage_error("duibiao eval a.std b.json --as-of 2021-13-01");
        assert!(
            said.contains("不是日期") && said.contains("is not a date such as 2021-12-31"),
            "{said}"
        );
    }

    #[test]
    fn the_language_is_read_from_anywhere() {
        let args = |s: &str| s.split(' ').map(OsString::from).collect::<Vec<_>>();
        assert_eq!(lang_of(&args("duibiao eval a b --lang en")), Lang::En);
        assert_eq!(lang_of(&args("duibiao --lang=en eval")), Lang::En);
        assert_eq!(lang_of(&args("duibiao eval a b")), Lang::Zh);
        assert_eq!(lang_of(&args("duibiao eval --lang zh")), Lang::Zh);
    }
}
