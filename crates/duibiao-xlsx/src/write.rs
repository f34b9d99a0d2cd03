//! Writing a facts workbook: the template an assessor fills in (no units yet), or a facts file's
//! units and parameters laid out in it. Every sheet has its headers with notes (the item, the
//! clause, the most points), its columns formatted for what they hold, and checks on entry:
//! points between 0 and the part's maximum, a list for yes/no and for levels, whole numbers for
//! counts. The file is the same byte for byte for the same input.

use crate::book::{self, Formats};
use crate::cells::{self, Write};
use crate::layout::{self, Column, Role, Sheet, PARAMS_SHEET, TOP_ROWS};
use crate::problems::{self, unwritable};
use duibiao::{FieldType, Form, Measure, Place, Problem, Problems};
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, Format, Formula, Note, Worksheet,
    XlsxError,
};
use serde_json::{Map, Value};

/// The problems of a workbook that cannot be written.
fn failed(e: XlsxError) -> Problems {
    Problems::one(unwritable(e))
}

/// The last row the checks on entry cover (Excel's last row, from 0).
const LAST_ROW: u32 = 1_048_575;

/// A workbook of the `sheets` of `form`, with the units, records and parameters of the facts
/// document `doc` (none for a template).
pub(crate) fn facts_workbook(
    form: &Form,
    sheets: &[Sheet],
    doc: Option<&Map<String, Value>>,
) -> Result<Vec<u8>, Problems> {
    let unfit: Vec<Problem> = sheets
        .iter()
        .filter_map(|s| problems::unfit_sheet_name(&s.name))
        .collect();
    if !unfit.is_empty() {
        return Err(Problems(unfit));
    }
    let mut wb = book::workbook();
    let formats = Formats::new();
    let units: Vec<&Map<String, Value>> = doc
        .and_then(|d| d.get("units"))
        .and_then(Value::as_array)
        .map(|us| us.iter().filter_map(Value::as_object).collect())
        .unwrap_or_default();
    let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
    for sheet in sheets {
        let rows = rows(sheet, &units);
        let ws = wb.add_worksheet();
        write_sheet(ws, sheet, &rows, &formats).map_err(failed)?;
        if let Some(check) = parent_check(sheet, &names).map_err(failed)? {
            let col = sheet.columns.iter().position(|c| c.role == Role::Parent);
            let col = col.and_then(|c| u16::try_from(c).ok()).unwrap_or(0);
            ws.add_data_validation(1, col, LAST_ROW, col, &check)
                .map_err(failed)?;
        }
    }
    let ws = wb.add_worksheet();
    write_params(ws, form, doc, &formats).map_err(failed)?;
    let ws = wb.add_worksheet();
    write_guide(ws, &formats).map_err(failed)?;
    wb.save_to_buffer().map_err(failed)
}

/// The rows of a sheet: for a kind of unit, its units in the document's order; for a kind of
/// record, every owner's records, owner by owner. Each row is the values of the columns.
fn rows<'d>(sheet: &Sheet, units: &[&'d Map<String, Value>]) -> Vec<Vec<Option<&'d Value>>> {
    let mut out = Vec::new();
    match &sheet.kind {
        layout::SheetKind::Units { .. } => {
            for u in units.iter().filter(|u| kind_of(u) == Some(&sheet.name)) {
                out.push(sheet.columns.iter().map(|c| value_of(u, c)).collect());
            }
        }
        layout::SheetKind::Records { .. } => {
            for u in units {
                let records = u.get(&sheet.name).and_then(Value::as_array);
                for r in records.into_iter().flatten().filter_map(Value::as_object) {
                    let row = sheet.columns.iter().map(|c| match &c.role {
                        Role::Owner => u.get("id"),
                        Role::Value(f) => r.get(&f.key),
                        _ => None,
                    });
                    out.push(row.collect());
                }
            }
        }
    }
    out
}

fn kind_of(unit: &Map<String, Value>) -> Option<&String> {
    match unit.get("kind") {
        Some(Value::String(k)) => Some(k),
        _ => None,
    }
}

/// A unit's value for a column.
fn value_of<'d>(unit: &'d Map<String, Value>, c: &Column) -> Option<&'d Value> {
    match &c.role {
        Role::Id => unit.get("id"),
        Role::Name => unit.get("name"),
        Role::Parent => unit.get("parent"),
        Role::Owner => None,
        Role::Value(f) => {
            let place = match f.place {
                Place::Score => "scores",
                _ => "facts",
            };
            unit.get(place).and_then(|p| p.get(&f.key))
        }
    }
}

fn write_sheet(
    ws: &mut Worksheet,
    sheet: &Sheet,
    rows: &[Vec<Option<&Value>>],
    formats: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name(&sheet.name)?;
    ws.set_default_note_author(book::AUTHOR);
    ws.set_row_height(0, 45)?;
    ws.set_freeze_panes(1, 1)?;
    for (c, column) in (0u16..).zip(&sheet.columns) {
        let format = formats.column(&column.role);
        ws.set_column_format(c, format)?;
        ws.set_column_width(c, width(column))?;
        let head = match &column.role {
            Role::Value(f) if f.place == Place::Score => &formats.score_header,
            _ => &formats.header,
        };
        ws.write_string_with_format(0, c, column.header(), head)?;
        ws.insert_note(
            0,
            c,
            &Note::new(column_note(sheet, column))
                .add_author_prefix(false)
                .set_width(320)
                .set_height(160),
        )?;
        if let Some(check) = check(column)? {
            ws.add_data_validation(1, c, LAST_ROW, c, &check)?;
        }
        for (r, row) in (1u32..).zip(rows) {
            match row.get(usize::from(c)).copied().flatten().map(cells::write) {
                Some(Write::Text(t)) => ws.write_string_with_format(r, c, t, format)?,
                Some(Write::Number(n)) => ws.write_number_with_format(r, c, n, format)?,
                Some(Write::Empty) | None => ws,
            };
        }
    }
    Ok(())
}

/// What a header's note says: for the fixed columns, what they hold; for values, the form's words.
fn column_note(sheet: &Sheet, column: &Column) -> String {
    let names = |ks: &[String]| ks.join("、");
    match (&column.role, &sheet.kind) {
        (Role::Value(f), _) => layout::note(f),
        (Role::Id, _) => "单位编号，在整个工作簿中唯一，不能为空 · the unit's id, unique in the workbook, never empty".into(),
        (Role::Name, _) => "单位名称，只用于显示 · the unit's name, for display".into(),
        (Role::Parent, layout::SheetKind::Units { parents }) => format!(
            "上级单位（{}）的编号；最高一级留空 · the id of the unit it belongs to ({}); empty for a top unit",
            names(parents),
            parents.join(", ")
        ),
        (Role::Owner, layout::SheetKind::Records { owners }) => format!(
            "记录所属单位（{}）的编号；同一单位的记录按行的先后排列 · the id of the unit ({}) keeping the record; its records in the order of the rows",
            names(owners),
            owners.join(", ")
        ),
        _ => String::new(),
    }
}

fn width(column: &Column) -> f64 {
    match &column.role {
        Role::Value(f) if f.place == Place::Score => 10.0,
        Role::Value(f) => (f.key.chars().count() as f64 * 2.2).clamp(10.0, 28.0),
        Role::Name => 16.0,
        _ => 12.0,
    }
}

/// The check on entry of a column: points in range, yes/no and levels from a list, whole
/// numbers for counts, numbers not below 0 for quantities; `None` where any text may be right
/// (texts, percentages such as `85%`, dates).
fn check(column: &Column) -> Result<Option<DataValidation>, XlsxError> {
    let Role::Value(f) = &column.role else {
        return Ok(None);
    };
    let check = match (&f.ty, f.max) {
        (_, Some(max)) if f.place == Place::Score => DataValidation::new()
            .allow_decimal_number(DataValidationRule::Between(0.0, float(&max.to_string())))
            .set_error_message(format!("得分应在 0 至 {max} 分之间 · 0 to {max} points"))?,
        (FieldType::Bool, _) => DataValidation::new()
            .allow_list_strings(&["是", "否"])?
            .set_error_message("请选择 是 或 否 · yes or no")?,
        (FieldType::Levels(levels), _)
            if levels.iter().map(|l| l.len() + 1).sum::<usize>() < 255 =>
        {
            let levels: Vec<&str> = levels.iter().map(String::as_str).collect();
            DataValidation::new()
                .allow_list_strings(&levels)?
                .set_error_message(format!("请选择 {} 之一", levels.join("、")))?
        }
        (FieldType::Number(Measure::Count), _) => DataValidation::new()
            .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
            .set_error_style(DataValidationErrorStyle::Warning)
            .set_error_message("应为整数（也可写 6名、6个）· a whole number")?,
        (
            FieldType::Number(
                Measure::Money | Measure::Area | Measure::Hours | Measure::Days | Measure::Months,
            ),
            _,
        ) => DataValidation::new()
            .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
            .set_error_style(DataValidationErrorStyle::Warning)
            .set_error_message(format!(
                "应为数（也可带单位）· {}",
                layout::type_words(&f.ty)
            ))?,
        _ => return Ok(None),
    };
    Ok(Some(check.set_input_message(layout::hint(f))?))
}

/// The check on entry of a sheet's parents: the ids of the sheet of its parents' kind, when
/// there is one kind of parent and the workbook has its sheet (a warning: a parent may be given
/// elsewhere).
fn parent_check(sheet: &Sheet, names: &[&str]) -> Result<Option<DataValidation>, XlsxError> {
    let layout::SheetKind::Units { parents } = &sheet.kind else {
        return Ok(None);
    };
    let [parent] = parents.as_slice() else {
        return Ok(None);
    };
    if !names.contains(&parent.as_str()) {
        return Ok(None);
    }
    // The id is every unit sheet's first column.
    let ids = Formula::new(format!("='{parent}'!$A$2:$A${}", LAST_ROW + 1));
    let check = DataValidation::new()
        .allow_list_formula(ids)
        .set_error_style(DataValidationErrorStyle::Warning)
        .set_error_message(format!(
            "上级编号应为“{parent}”表中的编号 · the id of a unit on the sheet {parent}"
        ))?;
    Ok(Some(check))
}

/// The float of a decimal's digits, for the bounds of a check (a spreadsheet's bounds are floats).
fn float(digits: &str) -> f64 {
    cells::exact_float(digits).unwrap_or_else(|| digits.parse().unwrap_or(0.0))
}

/// The parameters sheet: the standard's slug, the evaluation date, then the parameters the
/// standard leaves open and any other the facts give, with their types and documentation.
fn write_params(
    ws: &mut Worksheet,
    form: &Form,
    doc: Option<&Map<String, Value>>,
    formats: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name(PARAMS_SHEET)?;
    ws.set_freeze_panes(1, 0)?;
    for (c, (head, w)) in
        (0u16..).zip([("名称", 24.0), ("值", 18.0), ("填写", 28.0), ("说明", 50.0)])
    {
        ws.write_string_with_format(0, c, head, &formats.header)?;
        ws.set_column_width(c, w)?;
    }
    ws.set_column_format(1, &formats.text)?;
    let given = doc.and_then(|d| d.get("params")).and_then(Value::as_object);
    // The template names its standard.
    let slug = Value::String(form.slug.clone());
    let mut r = 1u32;
    for (key, name, words) in TOP_ROWS {
        let value = match doc {
            Some(d) => d.get(key),
            None => Some(&slug).filter(|_| key == "standard"),
        };
        let ty = match key {
            "as_of" => "日期，如 2024-06-30 · a date",
            _ => "文字 · text",
        };
        let words = format!("数据文件的 `{key}` · {words}");
        write_param_row(ws, r, name, value, ty, &words, formats)?;
        r += 1;
    }
    for p in &form.params {
        let value = given.and_then(|g| g.get(&p.field.key));
        if !p.open && value.is_none() {
            continue;
        }
        let words = p.field.text.clone().unwrap_or_default();
        let ty = layout::type_words(&p.field.ty);
        write_param_row(ws, r, &p.field.key, value, &ty, &words, formats)?;
        let column = Column {
            key: p.field.key.clone(),
            role: Role::Value(p.field.clone()),
        };
        if let Some(check) = check(&column)? {
            ws.add_data_validation(r, 1, r, 1, &check)?;
        }
        r += 1;
    }
    Ok(())
}

fn write_param_row(
    ws: &mut Worksheet,
    r: u32,
    name: &str,
    value: Option<&Value>,
    ty: &str,
    words: &str,
    formats: &Formats,
) -> Result<(), XlsxError> {
    ws.write_string(r, 0, name)?;
    match value.map(cells::write) {
        Some(Write::Text(t)) => ws.write_string_with_format(r, 1, t, &formats.text)?,
        Some(Write::Number(n)) => ws.write_number(r, 1, n)?,
        Some(Write::Empty) | None => ws,
    };
    ws.write_string(r, 2, ty)?;
    ws.write_string_with_format(r, 3, words, &formats.wrap)?;
    Ok(())
}

/// The notes on filling in, in Chinese and English.
fn write_guide(ws: &mut Worksheet, formats: &Formats) -> Result<(), XlsxError> {
    ws.set_name(layout::GUIDE_SHEET)?;
    ws.set_column_width(0, 110)?;
    for (r, line) in (0u32..).zip(book::GUIDE) {
        ws.write_string_with_format(r, 0, *line, &formats.wrap)?;
    }
    Ok(())
}

/// The format of a column's cells.
impl Formats {
    fn column(&self, role: &Role) -> &Format {
        match role {
            Role::Value(f) => match &f.ty {
                _ if f.place == Place::Score => &self.plain,
                FieldType::Date => &self.date,
                FieldType::Number(Measure::Percent) | FieldType::Text | FieldType::Levels(_) => {
                    &self.text
                }
                FieldType::Bool => &self.text,
                _ => &self.plain,
            },
            _ => &self.text,
        }
    }
}
