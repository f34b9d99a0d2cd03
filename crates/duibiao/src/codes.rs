//! The catalogue of problem codes: every code any call can report, with a title in both languages.
//! `docs/error-codes.md` is this table written out; a test keeps the two, and the codes the
//! compiler and the loader produce, the same.
//!
//! Families: `E` a `.std` file that does not compile, `W` a warning about one that does, `F` a
//! facts file, `P` parameter values, `G` gap plans, `A` the embedding API and its protocol.

use serde::Serialize;

/// A code the facade itself reports (the compiler's `E`/`W` codes and the loader's `F` codes come
/// with their diagnostics and errors).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Code {
    /// Unknown parameter.
    P0001,
    /// A parameter value that does not fit its type.
    P0002,
    /// A parameter the standard leaves open has no value.
    P0003,
    /// A parameter assignment not written `NAME=VALUE`.
    P0004,
    /// The unit's kind has no such tier.
    G0001,
    /// The request is not JSON.
    A0001,
    /// The request has the wrong shape.
    A0002,
    /// The protocol version is not supported.
    A0003,
    /// No standard has this handle.
    A0004,
    /// No live session has this handle.
    A0005,
    /// Facts loaded by another standard.
    A0006,
    /// The standard has no such kind.
    A0007,
    /// An internal error, caught at the boundary.
    A0008,
    /// A null pointer or text that is not UTF-8 at the C boundary.
    A0009,
    /// No evaluation date where one is needed.
    A0010,
    /// A file that cannot be read.
    A0011,
}

impl Code {
    /// The code as written in messages and documents.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::P0001 => "P0001",
            Code::P0002 => "P0002",
            Code::P0003 => "P0003",
            Code::P0004 => "P0004",
            Code::G0001 => "G0001",
            Code::A0001 => "A0001",
            Code::A0002 => "A0002",
            Code::A0003 => "A0003",
            Code::A0004 => "A0004",
            Code::A0005 => "A0005",
            Code::A0006 => "A0006",
            Code::A0007 => "A0007",
            Code::A0008 => "A0008",
            Code::A0009 => "A0009",
            Code::A0010 => "A0010",
            Code::A0011 => "A0011",
        }
    }
}

/// One entry of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct CodeInfo {
    /// The code.
    pub code: &'static str,
    /// What it means, in Chinese.
    pub zh: &'static str,
    /// What it means, in English.
    pub en: &'static str,
}

const fn entry(code: &'static str, zh: &'static str, en: &'static str) -> CodeInfo {
    CodeInfo { code, zh, en }
}

/// Every code, in order.
pub const CODES: &[CodeInfo] = &[
    entry("E0001", "语法错误", "syntax error"),
    entry(
        "E0002",
        "此处不接受全角字符",
        "a full-width character is not accepted here",
    ),
    entry("E0003", "字符串没有结束引号", "a string is not closed"),
    entry("E0004", "不是有效日期", "not a calendar date"),
    entry(
        "E0005",
        "不是可以精确表示的数",
        "not a number that can be held exactly",
    ),
    entry("E0006", "括号嵌套过深", "brackets nested too deep"),
    entry("E0007", "文件过大", "the file is too large"),
    entry(
        "E0008",
        "一个声明中的 `如果` 过多",
        "too many `if` expressions in one declaration",
    ),
    entry("E0009", "表达式过长", "an expression has too many terms"),
    entry(
        "E0010",
        "文件头字段写了两次",
        "a header field is written twice",
    ),
    entry("E0101", "未声明的单位类型", "unknown unit kind"),
    entry("E0102", "单位类型重复声明", "a unit kind is declared twice"),
    entry("E0103", "单位类型互相包含", "unit kinds contain each other"),
    entry("E0104", "未声明的名称", "unknown name"),
    entry("E0105", "名称重复声明", "a name is declared twice"),
    entry(
        "E0106",
        "单位（量纲）不一致",
        "units of measure do not match",
    ),
    entry(
        "E0107",
        "百分比与不带单位的数比较",
        "a percentage is compared with a bare number",
    ),
    entry("E0108", "类型不符", "wrong type"),
    entry("E0109", "循环依赖", "a name depends on itself"),
    entry("E0110", "没有这个等级", "unknown tier"),
    entry(
        "E0111",
        "不包含这类单位",
        "a kind does not contain the other",
    ),
    entry("E0112", "未知函数", "unknown function"),
    entry("E0113", "参数个数不对", "wrong number of arguments"),
    entry("E0114", "评分表中没有这一项", "no such scorecard entry"),
    entry("E0115", "序号顺序不对", "numbering out of order"),
    entry(
        "E0116",
        "分值不是正的分数",
        "points are not a positive number of 分",
    ),
    entry(
        "E0117",
        "重复的评分表或等级表",
        "a second scorecard or tiers block",
    ),
    entry("E0118", "参数声明有误", "a parameter declaration is wrong"),
    entry("E0119", "汇总写法有误", "an aggregate is written wrongly"),
    entry(
        "E0120",
        "有效期结束早于开始",
        "the effective period ends before it starts",
    ),
    entry("E0121", "等级顺序不对", "tiers out of order"),
    entry(
        "E0122",
        "分期的值重叠或有空档",
        "dated values overlap or leave a gap",
    ),
    entry("E0123", "指标表有误", "a quota table does not fit"),
    entry(
        "E0124",
        "分担比例合计不是 100%",
        "shares do not add up to 100%",
    ),
    entry("E0125", "未声明的指标表", "unknown quota table"),
    entry("W0001", "填报项没有被使用", "a fact is never used"),
    entry("W0002", "参数没有被使用", "a parameter is never used"),
    entry(
        "W0003",
        "分项合计与满分不符",
        "parts do not add up to the item's maximum",
    ),
    entry(
        "W0004",
        "各项合计与总分不符",
        "items do not add up to the scorecard's total",
    ),
    entry("W0005", "等级无法达到", "a tier cannot be reached"),
    entry("F0001", "数据不是 JSON", "the facts are not JSON"),
    entry("F0002", "某部分的形式不对", "a part has the wrong shape"),
    entry("F0003", "数据属于另一个标准", "facts for another standard"),
    entry("F0004", "单位编号重复", "a unit id is used twice"),
    entry("F0005", "单位类型不存在", "unknown unit kind"),
    entry("F0006", "上级单位不存在", "the parent does not exist"),
    entry("F0007", "上下级关系成环", "parent links form a loop"),
    entry(
        "F0008",
        "上级的类型不能包含本单位",
        "the parent's kind cannot contain the unit",
    ),
    entry(
        "F0009",
        "单位类型没有这个填报项",
        "no such fact for the kind",
    ),
    entry("F0010", "评分表没有这个键", "no such score key"),
    entry("F0011", "值的写法不对", "a value of the wrong form"),
    entry("F0012", "得分超出范围", "points out of range"),
    entry("F0013", "参数不存在", "unknown parameter in the facts"),
    entry("F0014", "未知字段", "unknown field"),
    entry("F0015", "数据中没有这个单位", "no such unit in the facts"),
    entry("P0001", "参数不存在", "unknown parameter"),
    entry(
        "P0002",
        "参数值与类型不符",
        "a parameter value does not fit its type",
    ),
    entry("P0003", "参数没有值", "a parameter has no value"),
    entry(
        "P0004",
        "参数应写成 `名称=值`",
        "a parameter is not written `NAME=VALUE`",
    ),
    entry(
        "G0001",
        "单位类型没有这个等级",
        "the unit's kind has no such tier",
    ),
    entry("A0001", "请求不是 JSON", "the request is not JSON"),
    entry("A0002", "请求的形式不对", "the request has the wrong shape"),
    entry("A0003", "不支持的协议版本", "unsupported protocol version"),
    entry("A0004", "没有这个标准句柄", "no standard has this handle"),
    entry(
        "A0005",
        "没有这个实时会话句柄",
        "no live session has this handle",
    ),
    entry(
        "A0006",
        "数据由另一个标准载入",
        "facts loaded by another standard",
    ),
    entry(
        "A0007",
        "标准中没有这个单位类型",
        "the standard has no such kind",
    ),
    entry("A0008", "内部错误", "internal error"),
    entry(
        "A0009",
        "空指针或不是 UTF-8 的文本",
        "a null pointer or text that is not UTF-8",
    ),
    entry("A0010", "缺少评价日期", "no evaluation date"),
    entry("A0011", "无法读取文件", "a file cannot be read"),
];

/// The catalogue entry of `code`.
pub fn lookup(code: &str) -> Option<&'static CodeInfo> {
    CODES.iter().find(|c| c.code == code)
}
