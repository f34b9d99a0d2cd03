//! The problems of workbooks themselves, each naming its sheet and cell: a file that is no
//! workbook (`F0021`), a sheet of no kind (`F0022`), a missing column (`F0023`), a header
//! written twice (`F0024`), an unknown column (`F0025`), an error value in a cell (`F0026`), and
//! a workbook that cannot be written (`A0012`). Problems of the values themselves are the facts
//! loader's, moved to their cells (see [`crate::locate`]).

use crate::layout::cell_name;
use duibiao::codes::Code;
use duibiao::{Location, Problem};

/// Where a problem is: the input's name, the sheet, and the cell (row and column from 0).
pub(crate) fn at(input: Option<&str>, sheet: &str, row: u32, col: u32) -> Location {
    Location::data(input, None, None).with_cell(sheet, cell_name(row, col))
}

/// `F0021`: the bytes are no workbook that can be read.
pub(crate) fn unreadable(input: Option<&str>, why: &str) -> Problem {
    Problem::error(
        Code::F0021,
        format!("无法读取工作簿（xlsx）：{why}"),
        format!("the workbook (xlsx) cannot be read: {why}"),
    )
    .with_help(
        "用 Excel、WPS 或 LibreOffice 另存为 .xlsx（Excel 工作簿）后再试",
        "save it as .xlsx (an Excel workbook) from Excel, WPS or LibreOffice and try again",
    )
    .at(Location::data(input, None, None))
}

/// `F0022`: a sheet named for no kind of the standard.
pub(crate) fn unknown_sheet(input: Option<&str>, sheet: &str, known: &[String]) -> Problem {
    Problem::error(
        Code::F0022,
        format!(
            "工作表 `{sheet}` 不是标准中的单位类型或记录，其中的数据被忽略；工作表应为 {}",
            known.join("、")
        ),
        format!(
            "sheet `{sheet}` is no kind of unit or record of the standard, and its rows are ignored; the sheets are {}",
            known.join(", ")
        ),
    )
    .with_help(
        "把工作表改名为单位类型的名称（与标准中一字不差），或用 `duibiao template` 重新生成模板",
        "rename the sheet to a kind's name (exactly as the standard writes it), or make a new template with `duibiao template`",
    )
    .at(at(input, sheet, 0, 0))
}

/// `F0023`: a sheet without a column it needs (`编号`, `所有者编号`, `值`).
pub(crate) fn missing_column(
    input: Option<&str>,
    sheet: &str,
    header_row: u32,
    column: &str,
) -> Problem {
    Problem::error(
        Code::F0023,
        format!(
            "工作表 `{sheet}` 的表头（第 {} 行）中没有 `{column}` 列，这张表被忽略",
            header_row + 1
        ),
        format!(
            "sheet `{sheet}` has no column `{column}` in its header (row {}), and is ignored",
            header_row + 1
        ),
    )
    .with_help(
        format!("在第 {} 行加上表头为 `{column}` 的一列", header_row + 1),
        format!("add a column headed `{column}` to row {}", header_row + 1),
    )
    .at(at(input, sheet, header_row, 0))
}

/// `F0024`: a header written twice; the second column is ignored.
pub(crate) fn duplicate_header(
    input: Option<&str>,
    sheet: &str,
    (row, col): (u32, u32),
    first: u32,
    key: &str,
) -> Problem {
    Problem::error(
        Code::F0024,
        format!(
            "表头 `{key}` 写了两次（第一次在 {}），这一列被忽略",
            cell_name(row, first)
        ),
        format!(
            "header `{key}` is written twice (first in {}); this column is ignored",
            cell_name(row, first)
        ),
    )
    .with_help(
        "删去多余的一列，或改正表头",
        "delete the extra column or correct its header",
    )
    .at(at(input, sheet, row, col))
}

/// `F0025`: a header that names nothing the sheet's kind reports; the column is ignored.
pub(crate) fn unknown_column(
    input: Option<&str>,
    sheet: &str,
    (row, col): (u32, u32),
    key: &str,
    known: &[String],
) -> Problem {
    let shown = |sep: &str| {
        let mut names: Vec<&str> = known.iter().map(String::as_str).take(12).collect();
        if known.len() > 12 {
            names.push("…");
        }
        names.join(sep)
    };
    Problem::error(
        Code::F0025,
        format!(
            "`{sheet}` 没有 `{key}` 这一项，这一列被忽略；可用的表头为 {}",
            shown("、")
        ),
        format!(
            "`{sheet}` has no `{key}`, and this column is ignored; the headers are {}",
            shown(", ")
        ),
    )
    .with_help(
        "表头的第一个词应为评分表的编号或填报项的名称（与标准中一字不差），说明可以写在空格或换行之后",
        "a header's first word is a scored part's number or a fact's name (exactly as the standard writes it); words after a space or line break are notes",
    )
    .at(at(input, sheet, row, col))
}

/// `F0026`: a cell holding an error value; it is read as not reported.
pub(crate) fn error_cell(
    input: Option<&str>,
    sheet: &str,
    (row, col): (u32, u32),
    shown: &str,
) -> Problem {
    Problem::error(
        Code::F0026,
        format!("单元格是错误值 `{shown}`，按未填报处理"),
        format!("the cell holds the error value `{shown}`, read as not reported"),
    )
    .with_help(
        "改正单元格中的公式，或直接填写数值",
        "correct the cell's formula, or write the value itself",
    )
    .at(at(input, sheet, row, col))
}

/// `F0027`: a record whose owner's id no unit of the workbook has; the record is ignored.
/// An empty `owner`: the record names no owner.
pub(crate) fn no_owner(
    input: Option<&str>,
    sheet: &str,
    (row, col): (u32, u32),
    owner: &str,
) -> Problem {
    let (zh, en) = match owner {
        "" => (
            "记录没有填所有者编号，这条记录被忽略".to_string(),
            "the record has no owner's id, and is ignored".to_string(),
        ),
        _ => (
            format!("记录的所有者 `{owner}` 不是工作簿中任何单位的编号，这条记录被忽略"),
            format!("the record's owner `{owner}` is no unit's id in the workbook, and the record is ignored"),
        ),
    };
    Problem::error(Code::F0027, zh, en)
        .with_help(
            "所有者编号应与单位工作表中某个单位的编号一字不差",
            "the owner's id must be, exactly, the id of a unit on a unit sheet",
        )
        .at(at(input, sheet, row, col))
}

/// `A0012`: a kind whose name no sheet can have (more than 31 characters, or one of
/// `[ ] : * ? / \`, or a quote at either end); `None` for a name a sheet can have.
pub(crate) fn unfit_sheet_name(name: &str) -> Option<Problem> {
    let fits = name.chars().count() <= 31
        && !name.is_empty()
        && !name.contains(['[', ']', ':', '*', '?', '/', '\\'])
        && !name.starts_with('\'')
        && !name.ends_with('\'');
    if fits {
        return None;
    }
    Some(
        Problem::error(
            Code::A0012,
            format!("无法写出工作簿：`{name}` 不能作为工作表的名称"),
            format!("the workbook cannot be written: `{name}` cannot be a sheet's name"),
        )
        .with_help(
            "工作表名称最多 31 个字符，不能含有 [ ] : * ? / \\，首尾不能是单引号；请在标准中用更短的单位类型名称",
            "a sheet's name has at most 31 characters, none of [ ] : * ? / \\, and no quote at either end; give the kind a shorter name in the standard",
        ),
    )
}

/// `A0012`: the workbook cannot be written (a kind's name no sheet can have, a text too long for
/// a cell).
pub(crate) fn unwritable(why: impl std::fmt::Display) -> Problem {
    Problem::error(
        Code::A0012,
        format!("无法写出工作簿：{why}"),
        format!("the workbook cannot be written: {why}"),
    )
    .with_help(
        "工作表名称最多 31 个字符，不能含有 [ ] : * ? / \\；单元格最多 32767 个字符",
        "a sheet's name has at most 31 characters and none of [ ] : * ? / \\; a cell holds at most 32767 characters",
    )
}
