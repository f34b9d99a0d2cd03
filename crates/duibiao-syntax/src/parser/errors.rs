//! Pest's errors turned into syntax errors: the grammar's rule names in words a policy writer
//! knows, and parsing resumed at each following declaration so that every error is reported.

use super::hints::hint;
use super::{Rule, StdParser};
use crate::ast::*;
use crate::error::{Expected, SyntaxError, SyntaxErrorKind};
use pest::Parser as _;

/// Words a policy writer knows for the grammar's rule names, in Chinese and in English.
fn describe(rule: Rule) -> Option<(&'static str, &'static str)> {
    let keyword = |k: &'static str| Some((k, k));
    match rule {
        Rule::kw_standard => keyword("`standard` / `标准`"),
        Rule::kw_kind => keyword("`kind` / `单位`"),
        Rule::kw_facts => keyword("`facts` / `填报`"),
        Rule::kw_param => keyword("`param` / `参数`"),
        Rule::kw_derive => keyword("`derive` / `计算`"),
        Rule::kw_requirements => keyword("`requirements` / `要求`"),
        Rule::kw_scorecard => keyword("`scorecard` / `评分`"),
        Rule::kw_tiers => keyword("`tiers` / `等级`"),
        Rule::kw_veto => keyword("`veto` / `否决`"),
        Rule::kw_target => keyword("`target` / `目标`"),
        Rule::kw_quota => keyword("`quota` / `指标表`"),
        Rule::kw_consequence => keyword("`consequence` / `兑现`"),
        Rule::kw_omit => keyword("`omit` / `未编码`"),
        Rule::kw_score => keyword("`score` / `得分`"),
        Rule::kw_unrated => keyword("`unrated` / `不定级`"),
        Rule::kw_cap => keyword("`cap` / `封顶`"),
        Rule::kw_limit => keyword("`limit` / `限额`"),
        Rule::kw_floor => keyword("`floor` / `比例下限`"),
        Rule::kw_total => keyword("`total` / `总分`"),
        Rule::kw_item => keyword("`item` / `项目`"),
        Rule::kw_part => keyword("`part` / `分项`"),
        Rule::kw_max => keyword("`max` / `满分`"),
        Rule::kw_blocks => keyword("`blocks` / `阻止`"),
        Rule::kw_contains => keyword("`contains` / `包含`"),
        Rule::kw_requires => keyword("`requires` / `基于`"),
        Rule::kw_cite => keyword("`cite` / `依据`"),
        Rule::kw_text => keyword("`text` / `原文`"),
        Rule::kw_then => keyword("`then` / `则`"),
        Rule::kw_else => keyword("`else` / `否则`"),
        Rule::kw_group => keyword("`group` / `分组`"),
        Rule::kw_at => keyword("`at` / `达到`"),
        Rule::kw_where => keyword("`where` / `满足`"),
        Rule::kw_of => keyword("`of` / `的`"),
        Rule::kw_if_none => keyword("`ifnone` / `若无`"),
        Rule::kw_and => keyword("`and` / `且`"),
        Rule::kw_or => keyword("`or` / `或`"),
        Rule::kw_when => keyword("`when` / `仅当`"),
        Rule::kw_unless => keyword("`unless` / `除非`"),
        Rule::kw_soft => keyword("`soft` / `力争`"),
        Rule::kw_split => keyword("`split` / `分担`"),
        Rule::kw_ascending => keyword("`ascending` / `升序`"),
        Rule::kw_on => keyword("`on` / `针对`"),
        Rule::kw_overall => keyword("`overall` / `全域`"),
        Rule::kw_due => keyword("`due` / `截至`"),
        Rule::kw_columns => keyword("`columns` / `各期`"),
        Rule::kw_amount => keyword("`amount` / `数额`"),
        Rule::kw_reason => keyword("`reason` / `原因`"),
        Rule::kw_among => keyword("`among` / `比较范围`"),
        Rule::kw_ties => keyword("`ties` / `并列时`"),
        Rule::scope => Some((
            "排名范围（`siblings` 同级、`all` 所有，或上级单位类型）",
            "peers (`siblings`, `all`, or a containing kind)",
        )),
        Rule::tie_rule => Some((
            "并列规则（`shared` 名次相同、`by_id` 按编号）",
            "a tie rule (`shared` or `by_id`)",
        )),
        Rule::kw_by => keyword("`by` / `按`"),
        Rule::kw_round => keyword("`round` / `取整`"),
        Rule::kw_about => keyword("`about` / `约`"),
        Rule::kw_or_below => keyword("`or_below` / `及以下`"),
        Rule::rounding => Some((
            "取整方式（`down` 向下、`up` 向上、`nearest` 四舍五入）",
            "a rounding (`down`, `up` or `nearest`)",
        )),
        Rule::dated_values | Rule::dated_value => {
            Some(("分期的值（`起始日 .. 截止日: 值`）", "values by period (`from .. to: value`)"))
        }
        Rule::quota_row => Some(("指标行（`\"单位\": 值, 值, …`）", "a quota row (`\"unit\": value, value, …`)")),
        Rule::colon => keyword("`:`"),
        Rule::comma => keyword("`,`"),
        Rule::lparen => keyword("`(`"),
        Rule::rparen => keyword("`)`"),
        Rule::lbrace => keyword("`{`"),
        Rule::rbrace => keyword("`}`"),
        Rule::header_field
        | Rule::title_field
        | Rule::issuer_field
        | Rule::number_field
        | Rule::source_field
        | Rule::effective_field => Some((
            "文件头字段（`title` 标题、`issuer` 发文机关、`number` 文号、`source` 来源、`effective` 有效期）",
            "a header field (`title`, `issuer`, `number`, `source`, `effective`)",
        )),
        Rule::ident | Rule::name | Rule::kind_list => Some(("名称", "a name")),
        Rule::slug => Some(("标识，例如 `haiyan-2021`", "an identifier such as `haiyan-2021`")),
        Rule::string | Rule::doc | Rule::ascii_string | Rule::cjk_string => {
            Some(("带引号的文字", "a string in quotes"))
        }
        Rule::date => Some(("日期，例如 `2021-06-30`", "a date such as `2021-06-30`")),
        Rule::int | Rule::item_key => Some(("整数", "a whole number")),
        Rule::decimal | Rule::quantity => Some(("数", "a number")),
        Rule::literal => Some(("值（数、日期、`true` 或 `false`）", "a value (number, date, `true` or `false`)")),
        Rule::type_expr | Rule::simple_type | Rule::enum_type => Some((
            "类型（`bool` 是否、`int` 整数、`decimal` 小数、`percent` 百分比、`money` 金额、`area` 面积、`hours` 学时数、`points` 分值、`days` 天数、`date` 日期、`enum(…)` 档次）",
            "a type (`bool`, `int`, `decimal`, `percent`, `money`, `area`, `hours`, `points`, `days`, `date`, `enum(…)`)",
        )),
        Rule::expr
        | Rule::or_expr
        | Rule::and_expr
        | Rule::not_expr
        | Rule::cmp_expr
        | Rule::sum_expr
        | Rule::prod_expr
        | Rule::unary
        | Rule::if_expr
        | Rule::aggregate
        | Rule::call
        | Rule::score_ref => Some(("表达式", "an expression")),
        Rule::cmp_op => Some(("比较（`>=`、`不少于` 等）", "a comparison (`>=`, `不少于`, …)")),
        Rule::add_op | Rule::mul_op => Some(("运算符", "an operator")),
        Rule::citation => keyword("`cite \"…\"`"),
        Rule::fact_decl => Some(("填报项（`名称: 类型`）", "a fact (`名称: 类型`)")),
        Rule::derived => Some(("计算值（`名称 = 表达式`）", "a derived value (`名称 = 表达式`)")),
        Rule::requirement | Rule::group => Some((
            "要求（`名称: 条件`）或 `group` 分组",
            "a requirement (`名称: 条件`) or `group`",
        )),
        Rule::item => keyword("`item` / `项目`"),
        Rule::part => keyword("`part` / `分项`"),
        Rule::tier => Some(("等级（`名称 { 条件 … }`）", "a tier (`名称 { 条件 … }`)")),
        Rule::condition => Some(("条件", "a condition")),
        Rule::kind_decl
        | Rule::facts_decl
        | Rule::param_decl
        | Rule::derive_decl
        | Rule::requirements_decl
        | Rule::scorecard_decl
        | Rule::tiers_decl
        | Rule::veto_decl
        | Rule::target_decl
        | Rule::quota_decl
        | Rule::consequence_decl
        | Rule::omit_decl
        | Rule::score_decl
        | Rule::unrated_decl
        | Rule::cap_decl
        | Rule::limit_decl
        | Rule::floor_decl
        | Rule::records_decl
        | Rule::guide_decl => Some((
            "声明（`kind`、`facts`、`param`、`derive`、`requirements`、`scorecard`、`tiers`、`veto`、`target`、`quota`、`consequence`、`omit`、`score`、`unrated`、`cap`、`limit`、`floor`、`records`、`guide`）",
            "a declaration (`kind`, `facts`, `param`, `derive`, `requirements`, `scorecard`, `tiers`, `veto`, `target`, `quota`, `consequence`, `omit`, `score`, `unrated`, `cap`, `limit`, `floor`, `records`, `guide`)",
        )),
        Rule::EOI => Some(("文件结尾", "the end of the file")),
        _ => None,
    }
}

/// Most syntax errors reported for one file.
const MAX_SYNTAX_ERRORS: usize = 20;

/// Declaration keywords a line may start with, where parsing resumes after an error.
pub(super) const DECL_KEYWORDS: &[&str] = &[
    "kind",
    "facts",
    "param",
    "derive",
    "requirements",
    "scorecard",
    "tiers",
    "veto",
    "unrated",
    "cap",
    "limit",
    "floor",
    "records",
    "guide",
    "单位",
    "填报",
    "参数",
    "计算",
    "要求",
    "评分",
    "等级",
    "否决",
    "不定级",
    "封顶",
    "限额",
    "比例下限",
    "记录",
    "指导比例",
];

/// After the first syntax error, resumes at each following line that starts a declaration, so
/// that every syntax error of the file is reported at once.
pub(super) fn resume_after(src: &str, first: SyntaxError) -> Vec<SyntaxError> {
    let mut errors = vec![first];
    while errors.len() < MAX_SYNTAX_ERRORS {
        let after = errors.last().map_or(0, |e| e.span.start);
        let Some(start) = next_declaration(src, after) else {
            break;
        };
        match StdParser::parse(Rule::decls, &src[start..]) {
            Ok(_) => break,
            Err(e) => {
                let err = convert_error(&src[start..], start, e);
                if err.span.start <= after {
                    break;
                }
                errors.push(err);
            }
        }
    }
    errors
}

/// The byte offset of the first line after `pos` that starts with a declaration keyword.
fn next_declaration(src: &str, pos: usize) -> Option<usize> {
    let mut offset = src[pos..].find('\n')? + pos + 1;
    while offset < src.len() {
        let line = &src[offset..];
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        let word: String = line[indent..]
            .chars()
            .take_while(|c| !c.is_whitespace())
            .collect();
        if DECL_KEYWORDS.contains(&word.as_str()) {
            return Some(offset + indent);
        }
        offset += line.find('\n')? + 1;
    }
    None
}

/// Converts a pest error in `src` (which starts at byte `base` of the file).
pub(super) fn convert_error(src: &str, base: usize, e: pest::error::Error<Rule>) -> SyntaxError {
    let pos = match e.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    };
    let mut expected: Vec<Expected> = Vec::new();
    let positives: &[Rule] = match &e.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => positives,
        pest::error::ErrorVariant::CustomError { .. } => &[],
    };
    for (zh, en) in positives.iter().filter_map(|r| describe(*r)) {
        if !expected.iter().any(|x| x.en == en) {
            expected.push(Expected {
                zh: zh.to_string(),
                en: en.to_string(),
            });
        }
    }
    let rest = src.get(pos..).unwrap_or("");
    let found: Option<String> = if rest.is_empty() {
        None
    } else {
        let word: String = rest
            .chars()
            .take_while(|c| !c.is_whitespace())
            .take(12)
            .collect();
        Some(if word.is_empty() {
            rest.chars().take(1).collect()
        } else {
            word
        })
    };
    let len = found.as_ref().map_or(0, |f| f.len());
    let (hint, (start, end)) = match hint(src, pos, positives) {
        Some((h, range)) => (Some(h), range),
        None => (None, (pos, pos + len)),
    };
    SyntaxError {
        kind: SyntaxErrorKind::Unexpected {
            expected,
            found,
            hint,
        },
        span: Span::new(base + start, base + end),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keywords::KEYWORDS;

    /// Keywords a parse error never names alone: the header's fields, the words of expressions
    /// and of aggregates, scopes, tie rules and roundings are named by the rule that holds them.
    const NAMED_BY_THEIR_RULE: [&str; 27] = [
        "title",
        "issuer",
        "number",
        "source",
        "effective",
        "all",
        "any",
        "count",
        "share",
        "sum",
        "direct",
        "if",
        "not",
        "true",
        "false",
        "as_of",
        "rank",
        "peers",
        "siblings",
        "shared",
        "by_id",
        "down",
        "up",
        "nearest",
        "records",
        "guide",
        "ifnone",
    ];

    /// Every other keyword the grammar expects is named with its English spelling and one of
    /// its Chinese ones, as the keyword table spells them (`kw_if_none` is `ifnone`).
    #[test]
    fn every_keyword_is_described_in_both_spellings() {
        let mut described = Vec::new();
        for &rule in Rule::all_rules() {
            let name = format!("{rule:?}");
            let Some(word) = name.strip_prefix("kw_") else {
                continue;
            };
            let word = if word == "if_none" { "ifnone" } else { word };
            let k = KEYWORDS.iter().find(|k| k.en == word);
            let k = k.unwrap_or_else(|| panic!("{name} is not in the keyword table"));
            if NAMED_BY_THEIR_RULE.contains(&word) {
                continue;
            }
            let (zh, en) = describe(rule).unwrap_or_else(|| panic!("{name} is not described"));
            assert_eq!(zh, en, "{name}");
            let spelled = k.zh.iter().any(|z| zh == format!("`{}` / `{z}`", k.en));
            assert!(spelled, "{name}: {zh}");
            described.push(k.en);
        }
        assert!(described.len() >= 50, "{described:?}");
    }

    /// What a parse error calls each rule of the grammar, all in one reviewed list: a rule
    /// that loses its words (and is then named by its parts, or not at all) shows here.
    #[test]
    fn the_words_for_every_rule() {
        // `EOI`, pest's end of input, is not among the grammar's own rules.
        let words: Vec<String> = Rule::all_rules()
            .iter()
            .chain([&Rule::EOI])
            .map(|&rule| match describe(rule) {
                Some((zh, en)) if zh == en => format!("{rule:?}: {zh}"),
                Some((zh, en)) => format!("{rule:?}: {zh} | {en}"),
                None => format!("{rule:?}: —"),
            })
            .collect();
        insta::assert_snapshot!(words.join("\n"));
    }
}
