//! Where each value of a facts document read from a workbook came from: a map from a unit's id
//! and a key (or a key of the document, or a unit's place in `units`) to its sheet and cell, and
//! the translation of the facts loader's problems, which name a unit and a key, to those cells.

use crate::layout::cell_name;
use duibiao::{Location, Problem};
use std::collections::HashMap;

/// A cell: its sheet, row and column (from 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The sheet's name.
    pub sheet: String,
    /// The row, from 0.
    pub row: u32,
    /// The column, from 0.
    pub col: u32,
}

impl Cell {
    /// The cell's name, as spreadsheets write it (`F7`).
    pub fn name(&self) -> String {
        cell_name(self.row, self.col)
    }
}

/// Where the values of a facts document read from a workbook are.
#[derive(Debug, Clone, Default)]
pub struct CellMap {
    /// By unit id (`None`: the document's own keys and parameters) and key.
    cells: HashMap<(Option<String>, String), Cell>,
    /// The id cell of the unit at each place of `units`.
    places: Vec<Cell>,
    /// The id cells of every unit with each id, in the document's order (for ids used twice).
    ids: HashMap<String, Vec<Cell>>,
    /// What a column (row `None`) or a cell takes, in both languages (`是 或 否 · yes or no`).
    takes: HashMap<(String, Option<u32>, u32), String>,
}

impl CellMap {
    /// The cell of a unit's key (`None`: a key of the document itself), if one holds it.
    pub fn cell(&self, unit: Option<&str>, key: &str) -> Option<&Cell> {
        self.cells.get(&(unit.map(str::to_string), key.to_string()))
    }

    /// Records that a unit's key (or a key of the document) is read from `cell`; the first
    /// cell for a key stays.
    pub(crate) fn put(&mut self, unit: Option<&str>, key: &str, cell: Cell) {
        self.cells
            .entry((unit.map(str::to_string), key.to_string()))
            .or_insert(cell);
    }

    /// Records what the cells of a column (`row` `None`) or one cell take, in both languages
    /// (`中文 · English`), for the help of a problem of their values.
    pub(crate) fn takes(&mut self, sheet: &str, row: Option<u32>, col: u32, words: String) {
        self.takes.insert((sheet.to_string(), row, col), words);
    }

    /// What a cell takes, as [`CellMap::takes`] recorded it.
    fn taken(&self, c: &Cell) -> Option<&String> {
        let at = |row| self.takes.get(&(c.sheet.clone(), row, c.col));
        at(Some(c.row)).or_else(|| at(None))
    }

    /// Records the next unit of `units`, with its id and the cell of its id.
    pub(crate) fn unit(&mut self, id: &str, cell: Cell) {
        self.places.push(cell.clone());
        self.ids.entry(id.to_string()).or_default().push(cell);
    }

    /// The problems of loading the document, each at the cell of its unit and key (a unit's
    /// problem without a key of its own at the unit's id); problems of no cell stay as they are.
    pub fn locate(&self, input: Option<&str>, problems: Vec<Problem>) -> Vec<Problem> {
        // How many `F0004` each id has had: the n-th names the n-th unit after the first.
        let mut twice: HashMap<String, usize> = HashMap::new();
        problems
            .into_iter()
            .map(|p| {
                let Some(Location::Data { unit, key, .. }) = &p.location else {
                    return p;
                };
                let (unit, key) = (unit.clone(), key.clone());
                let cell = match (unit.as_deref(), key.as_deref()) {
                    (Some(u), _) if p.code == "F0004" => {
                        let n = twice.entry(u.to_string()).or_insert(0);
                        *n += 1;
                        self.ids.get(u).and_then(|cells| cells.get(*n))
                    }
                    (None, Some(k)) if k.starts_with("units[") => {
                        place(k).and_then(|i| self.places.get(i))
                    }
                    (u, Some(k)) => self
                        .cell(u, k)
                        .or_else(|| u.and_then(|u| self.cell(Some(u), "id"))),
                    (Some(u), None) => self.cell(Some(u), "id"),
                    (None, None) => None,
                };
                let Some(c) = cell else {
                    return p;
                };
                // `units[2].id` is the JSON document's; in a workbook, the cell says which unit.
                let (p, key) = match key.as_deref() {
                    Some(k) if k.starts_with("units[") => (renamed(p, k, "id"), Some("id".into())),
                    _ => (p, key),
                };
                // A value of the wrong form: the help says what the cell takes.
                let p = match (self.taken(c), &p.help) {
                    (Some(words), None)
                        if ["F0002", "F0011", "F0012"].contains(&p.code.as_str()) =>
                    {
                        let (zh, en) = words.split_once(" · ").unwrap_or((words, words));
                        p.with_help(format!("这一格应填：{zh}"), format!("this cell takes {en}"))
                    }
                    _ => p,
                };
                let at = Location::data(input, unit.as_deref(), key.as_deref())
                    .with_cell(c.sheet.clone(), c.name());
                p.at(at)
            })
            .collect()
    }
}

/// The problem with the key `from` named `to` in its messages.
fn renamed(mut p: Problem, from: &str, to: &str) -> Problem {
    let (from, to) = (format!("`{from}`"), format!("`{to}`"));
    p.message.zh = p.message.zh.replace(&from, &to);
    p.message.en = p.message.en.replace(&from, &to);
    p
}

/// The place `N` of a key `units[N].id`.
fn place(key: &str) -> Option<usize> {
    key.strip_prefix("units[")?.split(']').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_read_from_keys() {
        assert_eq!(place("units[3].id"), Some(3));
        assert_eq!(place("units[x].id"), None);
        assert_eq!(place("unit"), None);
    }
}
