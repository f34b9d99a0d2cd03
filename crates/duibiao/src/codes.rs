//! The catalogue of problem codes: every code any call can report, with a title in both languages.
//! `docs/error-codes.md` is this table written out; a test keeps the two, and the codes the
//! compiler and the loader produce, the same.
//!
//! Families: `E` a `.std` file that does not compile, `W` a warning about one that does, `F` a
//! facts file, `P` parameter values, `G` gap plans, `A` the embedding API and its protocol, `T`
//! the cases of `duibiao test`, `S` the assessment service (`duibiao serve`).

use serde::Serialize;

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

/// The catalogue from one list: the codes of the compiler and the loader, which come with their
/// diagnostics and errors, and the facade's own, which become [`Code`]'s variants.
macro_rules! catalogue {
    (
        outside { $($o:ident: $ozh:literal, $oen:literal;)* }
        facade { $($c:ident: $zh:literal, $en:literal;)* }
    ) => {
        /// A code the facade itself reports.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Code {
            $(#[doc = $en] $c,)*
        }

        impl Code {
            /// The code as written in messages and documents.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$c => stringify!($c),)*
                }
            }
        }

        /// Every code, in order.
        pub const CODES: &[CodeInfo] = &[
            $(CodeInfo { code: stringify!($o), zh: $ozh, en: $oen },)*
            $(CodeInfo { code: stringify!($c), zh: $zh, en: $en },)*
        ];
    };
}

catalogue! {
    outside {
        E0001: "语法错误", "syntax error";
        E0002: "此处不接受全角字符", "a full-width character is not accepted here";
        E0003: "字符串没有结束引号", "a string is not closed";
        E0004: "不是有效日期", "not a calendar date";
        E0005: "不是可以精确表示的数", "not a number that can be held exactly";
        E0006: "括号嵌套过深", "brackets nested too deep";
        E0007: "文件过大", "the file is too large";
        E0008: "一个声明中的 `如果` 过多", "too many `if` expressions in one declaration";
        E0009: "表达式过长", "an expression has too many terms";
        E0010: "文件头字段写了两次", "a header field is written twice";
        E0101: "未声明的单位类型", "unknown unit kind";
        E0102: "单位类型重复声明", "a unit kind is declared twice";
        E0103: "单位类型互相包含", "unit kinds contain each other";
        E0104: "未声明的名称", "unknown name";
        E0105: "名称重复声明", "a name is declared twice";
        E0106: "单位（量纲）不一致", "units of measure do not match";
        E0107: "百分比与不带单位的数比较", "a percentage is compared with a bare number";
        E0108: "类型不符", "wrong type";
        E0109: "循环依赖", "a name depends on itself";
        E0110: "没有这个等级", "unknown tier";
        E0111: "不包含这类单位", "a kind does not contain the other";
        E0112: "未知函数", "unknown function";
        E0113: "参数个数不对", "wrong number of arguments";
        E0114: "评分表中没有这一项", "no such scorecard entry";
        E0115: "序号顺序不对", "numbering out of order";
        E0116: "分值不是正的分数", "points are not a positive number of 分";
        E0117: "重复的评分表或等级表", "a second scorecard or tiers block";
        E0118: "参数声明有误", "a parameter declaration is wrong";
        E0119: "汇总写法有误", "an aggregate is written wrongly";
        E0120: "有效期结束早于开始", "the effective period ends before it starts";
        E0121: "等级顺序不对", "tiers out of order";
        E0122: "分期的值重叠或有空档", "dated values overlap or leave a gap";
        E0123: "指标表有误", "a quota table does not fit";
        E0124: "分担比例合计不是 100%", "shares do not add up to 100%";
        E0125: "未声明的指标表", "unknown quota table";
        E0126: "评级规则有误", "a rating rule does not fit";
        E0127: "记录的写法有误", "records do not fit";
        E0128: "文本用错了地方", "text where it cannot be";
        E0129: "合计排名的单位类型有误", "the kinds ranked or counted together do not fit";
        W0001: "填报项没有被使用", "a fact is never used";
        W0002: "参数没有被使用", "a parameter is never used";
        W0003: "分项合计与满分不符", "parts do not add up to the item's maximum";
        W0004: "各项合计与总分不符", "items do not add up to the scorecard's total";
        W0005: "等级无法达到", "a tier cannot be reached";
        F0001: "数据不是 JSON", "the facts are not JSON";
        F0002: "某部分的形式不对", "a part has the wrong shape";
        F0003: "数据属于另一个标准", "facts for another standard";
        F0004: "单位编号重复", "a unit id is used twice";
        F0005: "单位类型不存在", "unknown unit kind";
        F0006: "上级单位不存在", "the parent does not exist";
        F0007: "上下级关系成环", "parent links form a loop";
        F0008: "上级的类型不能包含本单位", "the parent's kind cannot contain the unit";
        F0009: "单位类型没有这个填报项", "no such fact for the kind";
        F0010: "评分表没有这个键", "no such score key";
        F0011: "值的写法不对", "a value of the wrong form";
        F0012: "得分超出范围", "points out of range";
        F0013: "参数不存在", "unknown parameter in the facts";
        F0014: "未知字段", "unknown field";
        F0015: "数据中没有这个单位", "no such unit in the facts";
        F0016: "键写了不止一次", "a key is given more than once";
        F0017: "单位编号为空", "a unit id is empty";
        F0018: "超出上限", "beyond a limit";
        F0019: "记录有误", "records do not fit";
        F0020: "文本不能假设修改", "a text cannot be assumed with `--set`";
    }
    facade {
        F0021: "无法读取工作簿", "the workbook cannot be read";
        F0022: "工作表不对应标准中的类型", "a sheet is no kind of the standard";
        F0023: "工作表缺少必需的列", "a sheet lacks a column it needs";
        F0024: "表头写了两次", "a header is written twice";
        F0025: "未知的列", "unknown column";
        F0026: "单元格是错误值", "a cell holds an error value";
        F0027: "记录的所有者不存在", "a record's owner does not exist";
        F0028: "工作簿解压后超出上限", "a workbook unpacks beyond the limit";
        P0001: "参数不存在", "unknown parameter";
        P0002: "参数值与类型不符", "a parameter value does not fit its type";
        P0003: "参数没有值", "a parameter has no value";
        P0004: "参数应写成 `名称=值`", "a parameter is not written `NAME=VALUE`";
        G0001: "单位类型没有这个等级", "the unit's kind has no such tier";
        A0001: "请求不是 JSON", "the request is not JSON";
        A0002: "请求的形式不对", "the request has the wrong shape";
        A0003: "不支持的协议版本", "unsupported protocol version";
        A0004: "没有这个标准句柄", "no standard has this handle";
        A0005: "没有这个实时会话句柄", "no live session has this handle";
        A0006: "数据由另一个标准载入", "facts loaded by another standard";
        A0007: "标准中没有这个单位类型", "the standard has no such kind";
        A0008: "内部错误", "internal error";
        A0009: "空指针或不是 UTF-8 的文本", "a null pointer or text that is not UTF-8";
        A0010: "缺少评价日期", "no evaluation date";
        A0011: "无法读取文件", "a file cannot be read";
        A0012: "无法写出工作簿", "a workbook cannot be written";
        T0001: "期望结果文件不是 JSON", "an expected file is not JSON";
        T0002: "期望结果文件的形式不对", "an expected file has the wrong shape";
        T0003: "找不到用例", "no cases at a path";
        S0001: "没有这个标准", "no standard has this name";
        S0002: "没有这一轮评价", "no round has this number";
        S0003: "请求体的类型不受支持", "the request body's type is not accepted";
        S0004: "请求体过大", "the request body is too large";
        S0005: "请求超时", "the request took too long";
        S0006: "查询参数有误", "a query parameter is wrong";
        S0007: "数据有错误，未保存", "the facts have errors and were not stored";
        S0008: "存储出错", "the store failed";
        S0009: "两个文件的标准标识相同", "two files have the same standard slug";
        S0010: "更正的一轮属于另一个标准", "a correction names a round of another standard";
        S0011: "没有这个路径", "no such path";
        S0012: "该路径不接受这种请求方法", "the path does not take this method";
        S0013: "这一轮已被更正", "the round is corrected already";
    }
}

/// The catalogue entry of `code`.
pub fn lookup(code: &str) -> Option<&'static CodeInfo> {
    CODES.iter().find(|c| c.code == code)
}
