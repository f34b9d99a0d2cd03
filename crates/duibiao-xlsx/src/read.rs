//! Reading a workbook as a facts document: each unit sheet's rows become units of its kind, each
//! record sheet's rows records on their owners, the parameters sheet the document's `standard`,
//! `as_of` and `params`; every value's cell is kept in a [`CellMap`]. What is wrong with the
//! workbook itself (a sheet of no kind, a missing or doubled column, an error value) is reported
//! with its cell, all of it at once, and the rest is read.

use crate::cells::{self, Read};
use crate::layout::{
    self, header_key, Column, Role, Sheet, SheetKind, GUIDE_SHEET, PARAMS_SHEET, TOP_ROWS,
};
use crate::locate::{Cell, CellMap};
use crate::problems;
use crate::styles::PercentCells;
use calamine::{Data, Range, Reader as _, Xlsx};
use duibiao::{FieldType, Form, FormField, Place, Problem};
use indexmap::IndexMap;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::io::Cursor;

/// A workbook read as a facts document.
#[derive(Debug, Clone)]
pub struct Converted {
    /// The facts document (as a facts file holds it).
    pub doc: Map<String, Value>,
    /// Where each value came from.
    pub cells: CellMap,
    /// What is wrong with the workbook itself, each problem at its cell.
    pub problems: Vec<Problem>,
}

/// Reads the workbook `bytes` with the layout of `form`, if its archive declares at most
/// `max_unpacked` bytes unpacked ([`crate::check_unpacked`]).
pub(crate) fn convert(
    form: &Form,
    input: Option<&str>,
    bytes: &[u8],
    max_unpacked: u64,
) -> Converted {
    let mut reader = SheetReader {
        input,
        cells: CellMap::default(),
        problems: Vec::new(),
        percent: PercentCells::default(),
    };
    let mut doc = Map::new();
    let opened = crate::unpack::check_unpacked(input, bytes, max_unpacked).and_then(|()| {
        Xlsx::new(Cursor::new(bytes))
            .map_err(|e| duibiao::Problems::one(problems::unreadable(input, &e.to_string())))
    });
    let book = match opened {
        Ok(b) => {
            reader.percent = crate::styles::percent_cells(bytes);
            Some(b)
        }
        Err(p) => {
            reader.problems.extend(p.0);
            None
        }
    };
    let layout = layout::sheets(form, None);
    let mut units: Vec<Map<String, Value>> = Vec::new();
    let mut records: Vec<(&Sheet, Range<Data>)> = Vec::new();
    for (name, range) in book.map(sheets).unwrap_or_default() {
        if name == GUIDE_SHEET {
            continue;
        }
        if name == PARAMS_SHEET {
            reader.params(form, &range, &mut doc);
            continue;
        }
        match layout.iter().find(|s| s.name == name) {
            Some(s) if matches!(s.kind, SheetKind::Records { .. }) => records.push((s, range)),
            Some(s) => reader.units(s, &range, &mut units),
            // A sheet with nothing on it holds no facts to lose.
            None if range.used_cells().next().is_none() => {}
            None => {
                let mut known: Vec<String> = layout.iter().map(|s| s.name.clone()).collect();
                known.push(PARAMS_SHEET.to_string());
                reader
                    .problems
                    .push(problems::unknown_sheet(input, &name, &known));
            }
        }
    }
    // Records go on their owners, once every unit is read.
    for (sheet, range) in &records {
        reader.records(sheet, range, &mut units);
    }
    doc.insert(
        "units".into(),
        Value::Array(units.into_iter().map(Value::Object).collect()),
    );
    Converted {
        doc,
        cells: reader.cells,
        problems: reader.problems,
    }
}

/// The standard's slug a workbook's parameters sheet names (`标准代号`), if it names one.
pub(crate) fn slug(bytes: &[u8], max_unpacked: u64) -> Option<String> {
    crate::unpack::check_unpacked(None, bytes, max_unpacked).ok()?;
    let mut book = Xlsx::new(Cursor::new(bytes)).ok()?;
    let range = book.worksheet_range(PARAMS_SHEET).ok()?;
    let (top, left) = range.start()?;
    let names = TOP_ROWS.iter().find(|(k, ..)| *k == "standard")?;
    let row = (top..=range.end()?.0).find(|&r| {
        let name = header_text(range.get_value((r, left)));
        name == names.0 || name == names.1
    })?;
    match header_text(range.get_value((row, left + 1))) {
        s if s.is_empty() => None,
        s => Some(s),
    }
}

/// Every sheet of the workbook with its cells, in the workbook's order (a sheet that cannot be
/// read is empty).
fn sheets(mut book: Xlsx<Cursor<&[u8]>>) -> Vec<(String, Range<Data>)> {
    book.sheet_names()
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap_or_default();
            (name, range)
        })
        .collect()
}

struct SheetReader<'i> {
    input: Option<&'i str>,
    cells: CellMap,
    problems: Vec<Problem>,
    /// The cells shown as percentages.
    percent: PercentCells,
}

/// How many rows from a sheet's top may be titles above its header.
const TITLE_ROWS: u32 = 10;

/// A record read from its row: its fields, the cell of its owner's id and the cell of each field.
type Record = (Map<String, Value>, Cell, Vec<(String, Cell)>);

/// The columns a header row names: each column's place and its layout column.
type Header<'s> = Vec<(u32, &'s Column)>;

impl<'i> SheetReader<'i> {
    /// The header of a sheet: the first of its first [`TITLE_ROWS`] rows with a cell naming the
    /// column `needed` (rows above it are titles), else its first row. The layout column of each
    /// header cell; unknown and doubled headers reported. `None` when the column `needed` is
    /// missing (reported).
    fn header<'s>(
        &mut self,
        sheet: &'s Sheet,
        range: &Range<Data>,
        needed: Role,
    ) -> Option<(u32, Header<'s>)> {
        let (first, left) = range.start().unwrap_or((0, 0));
        let width = u32::try_from(range.width()).unwrap_or(u32::MAX);
        let columns = || left..left.saturating_add(width);
        let names_needed = |row: u32| {
            columns().any(|col| {
                let text = header_text(range.get_value((row, col)));
                sheet
                    .column(header_key(&text))
                    .is_some_and(|c| c.role == needed)
            })
        };
        let top = (first..first.saturating_add(TITLE_ROWS))
            .find(|&row| names_needed(row))
            .unwrap_or(first);
        let mut found: Header<'s> = Vec::new();
        for col in columns() {
            let text = header_text(range.get_value((top, col)));
            let key = header_key(&text);
            if key.is_empty() {
                continue;
            }
            match sheet.column(key) {
                Some(c) => match found.iter().find(|(_, f)| *f == c) {
                    Some((first, _)) => self.problems.push(problems::duplicate_header(
                        self.input,
                        &sheet.name,
                        (top, col),
                        *first,
                        key,
                    )),
                    None => {
                        if let Role::Value(f) = &c.role {
                            self.cells.takes(&sheet.name, None, col, layout::takes(f));
                        }
                        found.push((col, c));
                    }
                },
                None => {
                    let known: Vec<String> = sheet.columns.iter().map(|c| c.key.clone()).collect();
                    self.problems.push(problems::unknown_column(
                        self.input,
                        &sheet.name,
                        (top, col),
                        key,
                        &known,
                    ));
                }
            }
        }
        if !found.iter().any(|(_, c)| c.role == needed) {
            let name = sheet
                .columns
                .iter()
                .find(|c| c.role == needed)
                .map(|c| c.key.clone())
                .unwrap_or_default();
            self.problems.push(problems::missing_column(
                self.input,
                &sheet.name,
                top,
                &name,
            ));
            return None;
        }
        Some((top, found))
    }

    /// A cell's value for a column, its cell recorded under `unit` and `key`; an error value
    /// reported.
    fn value(
        &mut self,
        sheet: &str,
        (row, col): (u32, u32),
        data: Option<&Data>,
        role: &Role,
    ) -> Option<Value> {
        let as_percent = self.percent.contains(sheet, (row, col));
        match cells::read(data.unwrap_or(&Data::Empty), role, as_percent) {
            Read::Empty => None,
            Read::Value(v) => Some(v),
            Read::Error(shown) => {
                self.problems
                    .push(problems::error_cell(self.input, sheet, (row, col), &shown));
                None
            }
        }
    }

    /// The units of a unit sheet, a row each (rows with nothing in their columns passed over).
    fn units(&mut self, sheet: &Sheet, range: &Range<Data>, units: &mut Vec<Map<String, Value>>) {
        let Some((top, header)) = self.header(sheet, range, Role::Id) else {
            return;
        };
        let last = range.end().map_or(top, |(r, _)| r);
        for row in top + 1..=last {
            let mut values: Vec<(&Column, Value, Cell)> = Vec::new();
            for &(col, column) in &header {
                let cell = Cell {
                    sheet: sheet.name.clone(),
                    row,
                    col,
                };
                if let Some(v) = self.value(
                    &sheet.name,
                    (row, col),
                    range.get_value((row, col)),
                    &column.role,
                ) {
                    values.push((column, v, cell));
                }
            }
            if values.is_empty() {
                continue;
            }
            let id_cell = header
                .iter()
                .find(|(_, c)| c.role == Role::Id)
                .map(|&(col, _)| Cell {
                    sheet: sheet.name.clone(),
                    row,
                    col,
                });
            let id = values
                .iter()
                .find(|(c, ..)| c.role == Role::Id)
                .map(|(_, v, _)| v.clone());
            let id_text = id
                .as_ref()
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            if let Some(c) = id_cell {
                self.cells.unit(&id_text, c.clone());
                self.cells.put(Some(&id_text), "kind", c);
            }
            let mut unit = Map::new();
            unit.insert(
                "id".into(),
                id.unwrap_or_else(|| Value::String(String::new())),
            );
            let (mut name, mut parent) = (None, None);
            let (mut scores, mut facts) = (Map::new(), Map::new());
            for (column, v, cell) in values {
                self.cells.put(Some(&id_text), &column.key_in_facts(), cell);
                match &column.role {
                    Role::Name => name = Some(v),
                    Role::Parent => parent = Some(v),
                    Role::Value(f) if f.place == Place::Score => {
                        scores.insert(f.key.clone(), v);
                    }
                    Role::Value(f) => {
                        facts.insert(f.key.clone(), v);
                    }
                    Role::Id | Role::Owner => {}
                }
            }
            if let Some(n) = name {
                unit.insert("name".into(), n);
            }
            unit.insert("kind".into(), Value::String(sheet.name.clone()));
            if let Some(p) = parent {
                unit.insert("parent".into(), p);
            }
            unit.insert("scores".into(), Value::Object(scores));
            unit.insert("facts".into(), Value::Object(facts));
            units.push(unit);
        }
    }

    /// The records of a record sheet, each appended to its owner's list in the order of the rows.
    fn records(&mut self, sheet: &Sheet, range: &Range<Data>, units: &mut [Map<String, Value>]) {
        let Some((top, header)) = self.header(sheet, range, Role::Owner) else {
            return;
        };
        let last = range.end().map_or(top, |(r, _)| r);
        // Each unit's place by its id (the first unit with an id, as the loader keeps it).
        let mut place: HashMap<&str, usize> = HashMap::new();
        for (i, u) in units.iter().enumerate() {
            if let Some(id) = u.get("id").and_then(Value::as_str) {
                place.entry(id).or_insert(i);
            }
        }
        let mut lists: IndexMap<usize, Vec<Record>> = IndexMap::new();
        for row in top + 1..=last {
            let mut owner = None;
            let mut record = Map::new();
            let mut at = Vec::new();
            for &(col, column) in &header {
                let cell = Cell {
                    sheet: sheet.name.clone(),
                    row,
                    col,
                };
                let Some(v) = self.value(
                    &sheet.name,
                    (row, col),
                    range.get_value((row, col)),
                    &column.role,
                ) else {
                    continue;
                };
                match &column.role {
                    Role::Value(f) => {
                        at.push((f.key.clone(), cell));
                        record.insert(f.key.clone(), v);
                    }
                    _ => owner = Some((v, cell)),
                }
            }
            let Some((owner, cell)) = owner else {
                if !record.is_empty() {
                    let col = header
                        .iter()
                        .find(|(_, c)| c.role == Role::Owner)
                        .map_or(0, |&(c, _)| c);
                    self.problems
                        .push(problems::no_owner(self.input, &sheet.name, (row, col), ""));
                }
                continue;
            };
            let id = owner.as_str().unwrap_or_default();
            match place.get(id) {
                Some(&u) => lists.entry(u).or_default().push((record, cell, at)),
                None => self.problems.push(problems::no_owner(
                    self.input,
                    &sheet.name,
                    (row, cell.col),
                    id,
                )),
            }
        }
        for (u, list) in lists {
            let Some(unit) = units.get_mut(u) else {
                continue;
            };
            let id = unit
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            // The list itself is at its first record's owner; each field at its cell.
            if let Some((_, owner, _)) = list.first() {
                self.cells.put(Some(&id), &sheet.name, owner.clone());
            }
            for (n, (_, _, at)) in (1usize..).zip(&list) {
                for (key, cell) in at {
                    let key = format!("{}[{n}].{key}", sheet.name);
                    self.cells.put(Some(&id), &key, cell.clone());
                }
            }
            let list = list.into_iter().map(|(r, ..)| Value::Object(r)).collect();
            unit.insert(sheet.name.clone(), Value::Array(list));
        }
    }

    /// The parameters sheet: a row a name, its value in the `值` column.
    fn params(&mut self, form: &Form, range: &Range<Data>, doc: &mut Map<String, Value>) {
        let (first, left) = range.start().unwrap_or((0, 0));
        let width = u32::try_from(range.width()).unwrap_or(u32::MAX);
        let col_in = |row: u32, names: &[&str]| {
            (left..left.saturating_add(width))
                .find(|&c| names.contains(&header_key(&header_text(range.get_value((row, c))))))
        };
        // Rows above the one naming `名称` are titles.
        let top = (first..first.saturating_add(TITLE_ROWS))
            .find(|&row| col_in(row, &["名称", "name"]).is_some())
            .unwrap_or(first);
        let col_of = |names: &[&str]| col_in(top, names);
        let (Some(name_col), Some(value_col)) =
            (col_of(&["名称", "name"]), col_of(&["值", "value"]))
        else {
            let missing = if col_of(&["名称", "name"]).is_none() {
                "名称"
            } else {
                "值"
            };
            self.problems.push(problems::missing_column(
                self.input,
                PARAMS_SHEET,
                top,
                missing,
            ));
            return;
        };
        let last = range.end().map_or(top, |(r, _)| r);
        let mut params = Map::new();
        for row in top + 1..=last {
            let name = header_text(range.get_value((row, name_col)));
            let name = name.trim();
            if name.is_empty() {
                continue;
            }
            let top_key = TOP_ROWS
                .iter()
                .find(|(k, zh, _)| *k == name || *zh == name)
                .map(|(k, ..)| *k);
            let field = match top_key {
                Some("as_of") => date_field(),
                Some(_) => value_field(),
                None => form
                    .params
                    .iter()
                    .find(|p| p.field.key == name)
                    .map_or_else(value_field, |p| p.field.clone()),
            };
            let cell = Cell {
                sheet: PARAMS_SHEET.into(),
                row,
                col: value_col,
            };
            let value = self.value(
                PARAMS_SHEET,
                (row, value_col),
                range.get_value((row, value_col)),
                &Role::Value(field.clone()),
            );
            let key = top_key.unwrap_or(name);
            self.cells
                .takes(PARAMS_SHEET, Some(row), value_col, layout::takes(&field));
            self.cells.put(None, key, cell);
            if let Some(v) = value {
                match top_key {
                    Some(k) => doc.insert(k.to_string(), v),
                    None => params.insert(name.to_string(), v),
                };
            }
        }
        if !params.is_empty() {
            doc.insert("params".into(), Value::Object(params));
        }
    }
}

impl Column {
    /// The key a loader problem names this column's value by.
    fn key_in_facts(&self) -> String {
        match &self.role {
            Role::Id => "id".into(),
            Role::Name => "name".into(),
            Role::Parent => "parent".into(),
            Role::Owner => "owner".into(),
            Role::Value(f) => f.key.clone(),
        }
    }
}

/// The text of a header cell (a number's digits; nothing for an empty cell).
fn header_text(cell: Option<&Data>) -> String {
    match cells::read(cell.unwrap_or(&Data::Empty), &Role::Name, false) {
        Read::Value(Value::String(s)) => s,
        Read::Value(v) => v.to_string(),
        _ => String::new(),
    }
}

/// A value of the parameters sheet that is no parameter of the standard (its slug, a name the
/// standard does not have): passed on as written.
fn value_field() -> FormField {
    FormField::new("value", Place::Fact, FieldType::Text)
}

/// The evaluation date's field.
fn date_field() -> FormField {
    FormField::new("as_of", Place::Fact, FieldType::Date)
}
