//! What every workbook duibiao writes shares: fixed document properties (so that the same input
//! gives the same bytes), the cell formats, and the notes on filling in.

use rust_xlsxwriter::{Color, DocProperties, ExcelDateTime, Format, FormatAlign, Workbook};

/// The author of the workbooks and of their notes.
pub(crate) const AUTHOR: &str = "duibiao";

/// A new workbook whose properties never change: its creation date is fixed, so that writing the
/// same input twice gives the same bytes.
pub(crate) fn workbook() -> Workbook {
    let mut wb = Workbook::new();
    let mut properties = DocProperties::new().set_author(AUTHOR);
    // 2000-01-01 is a valid date, so this never fails; a failure would only keep the default.
    if let Ok(date) = ExcelDateTime::from_ymd(2000, 1, 1) {
        properties = properties.set_creation_datetime(&date);
    }
    wb.set_properties(&properties);
    wb
}

/// The formats of the cells.
pub(crate) struct Formats {
    /// A header.
    pub(crate) header: Format,
    /// The header of a scored part.
    pub(crate) score_header: Format,
    /// A cell kept as text as typed (ids, names, percentages such as `85%`, levels).
    pub(crate) text: Format,
    /// A date, shown `2024-06-30`.
    pub(crate) date: Format,
    /// A number or anything else.
    pub(crate) plain: Format,
    /// Wrapped text.
    pub(crate) wrap: Format,
}

impl Formats {
    /// The formats.
    pub(crate) fn new() -> Formats {
        let header = Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_background_color(Color::RGB(0xDDEBF7))
            .set_num_format("@");
        Formats {
            score_header: header.clone().set_background_color(Color::RGB(0xFFF2CC)),
            header,
            text: Format::new().set_num_format("@"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            plain: Format::new(),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
        }
    }
}

/// The sheet of notes on filling in: one line a row.
pub(crate) const GUIDE: &[&str] = &[
    "填写说明 · How to fill in",
    "",
    "每种单位一张工作表（表名就是单位类型），每行一个单位：编号（必填，在整个工作簿中唯一）、名称、上级编号（最高一级留空），然后每个评分项、每个填报项各一列。",
    "One sheet per kind of unit (named for the kind), one row per unit: its id (required, unique in the workbook), name, parent's id (empty for a top unit), then a column per scored part and per fact.",
    "表头的第一个词是评分表的编号（6.1）或填报项的名称，不要改动；换行后的文字和批注只是说明（出处、满分、写法）。",
    "A header's first word is the scored part's number (6.1) or the fact's name: keep it; the words after the line break and the note only explain (clause, most points, how to write).",
    "还不知道的值留空：结果为“未知”，不会按 0 分或“否”计算。",
    "Leave a value not known yet empty: results that depend on it are unknown, never computed as 0 or no.",
    "是否：填 是 或 否（也可 TRUE/FALSE、1/0）。日期：2024-06-30（日期单元格、2024/6/30、2024年6月30日 都可以）。",
    "Yes/no: 是 or 否 (or TRUE/FALSE, 1/0). Dates: 2024-06-30 (a date cell, 2024/6/30 and 2024年6月30日 are read too).",
    "百分比：写 85 或 85%，都是 85%；单元格设成百分比格式时，按显示的百分比读取（显示 85% 就是 85%）。金额、面积可以带单位：15万元、350平方米。",
    "Percentages: 85 or 85% both mean 85%; a cell formatted as a percentage is read as the percentage it shows (85% shown is 85%). Money and areas may carry their unit: 15万元, 350平方米.",
    "记录（如积分记录）每种一张工作表，每行一条记录，第一列是所属单位的编号；同一单位的记录按行的先后排列。",
    "Records (such as 积分记录) have a sheet per kind, a record a row, the owner's id first; a unit's records in the order of their rows.",
    "“参数”表：评价日期（as_of）和标准中待定的参数（文件中的 X个、X万元）。",
    "The 参数 sheet: the evaluation date (as_of) and the parameters the standard leaves open (X个, X万元 in the document).",
    "填好后：duibiao eval 标准.std 本文件.xlsx；出错时会指出工作表和单元格（如 社区!F7）。",
    "When filled in: duibiao eval STANDARD.std THIS.xlsx; problems name the sheet and cell (such as 社区!F7).",
];
