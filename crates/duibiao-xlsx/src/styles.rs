//! The cells a workbook shows as percentages. A spreadsheet keeps `85%` typed into a cell with
//! a percentage format as the number 0.85 and only shows it as 85%; calamine gives the number
//! and not the format. So that a percentage column an assessor formatted as percentages is read
//! as what it shows (85%, not 0.85%), this reads the workbook's styles (`xl/styles.xml`: which
//! cell formats are percentages) and each sheet's cells (`<c r="F7" s="3">`: which format a
//! cell has), and lists the cells of each sheet whose format is a percentage.
//!
//! It is read on a best-effort basis: a part missing or unreadable gives no percentage cells
//! there (calamine reads the same parts and says what is wrong with them).

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::{HashMap, HashSet};
use std::io::{BufReader, Cursor, Read};
use zip::ZipArchive;

/// The cells shown as percentages, by sheet name: absolute (row, column) from 0, as calamine
/// counts them.
#[derive(Debug, Default, Clone)]
pub(crate) struct PercentCells(HashMap<String, HashSet<(u32, u32)>>);

impl PercentCells {
    /// Whether the cell at `(row, col)` of `sheet` is shown as a percentage.
    pub(crate) fn contains(&self, sheet: &str, cell: (u32, u32)) -> bool {
        self.0.get(sheet).is_some_and(|cells| cells.contains(&cell))
    }
}

/// The built-in number formats that are percentages: `0%` and `0.00%`.
const BUILT_IN_PERCENT: [u32; 2] = [9, 10];

/// The cells of the workbook `bytes` shown as percentages.
pub(crate) fn percent_cells(bytes: &[u8]) -> PercentCells {
    let Ok(mut zip) = ZipArchive::new(Cursor::new(bytes)) else {
        return PercentCells::default();
    };
    let formats = match part(&mut zip, "xl/styles.xml") {
        Some(xml) => percent_styles(&xml),
        None => return PercentCells::default(),
    };
    if formats.is_empty() {
        return PercentCells::default();
    }
    let targets = part(&mut zip, "xl/_rels/workbook.xml.rels")
        .map(|xml| relationships(&xml))
        .unwrap_or_default();
    let sheets = part(&mut zip, "xl/workbook.xml")
        .map(|xml| sheet_ids(&xml))
        .unwrap_or_default();
    let mut found = HashMap::new();
    for (name, id) in sheets {
        let Some(path) = targets.get(&id) else {
            continue;
        };
        if let Some(xml) = part(&mut zip, path) {
            let cells = styled_cells(&xml, &formats);
            if !cells.is_empty() {
                found.insert(name, cells);
            }
        }
    }
    PercentCells(found)
}

/// The text of the archive's entry `path`, if it is there.
fn part(zip: &mut ZipArchive<Cursor<&[u8]>>, path: &str) -> Option<Vec<u8>> {
    let mut entry = zip.by_name(path).ok()?;
    let mut text = Vec::new();
    entry.read_to_end(&mut text).ok()?;
    Some(text)
}

/// Calls `f` with every start (or empty) element of `xml`, until the end or an error.
fn elements(xml: &[u8], mut f: impl FnMut(&BytesStart<'_>)) {
    let mut reader = Reader::from_reader(BufReader::new(xml));
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) => f(&e),
            Ok(Event::Eof) | Err(_) => return,
            Ok(_) => {}
        }
        buf.clear();
    }
}

/// The value of the attribute `name` (by its local name) of `e`.
fn attribute(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            a.decode_and_unescape_value(e.decoder())
                .ok()
                .map(|v| v.into_owned())
        })
}

/// The indices of the cell formats (`cellXfs`) of `styles.xml` whose number format is a
/// percentage.
fn percent_styles(xml: &[u8]) -> HashSet<u32> {
    let mut custom: HashSet<u32> = HashSet::new();
    let mut formats: Vec<u32> = Vec::new();
    let mut in_cell_formats = false;
    let mut reader = Reader::from_reader(BufReader::new(xml));
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.local_name().as_ref() == b"cellXfs" => in_cell_formats = true,
            Ok(Event::End(e)) if e.local_name().as_ref() == b"cellXfs" => in_cell_formats = false,
            Ok(Event::Start(e) | Event::Empty(e)) => match e.local_name().as_ref() {
                b"numFmt" => {
                    let id = attribute(&e, b"numFmtId").and_then(|v| v.parse().ok());
                    let code = attribute(&e, b"formatCode").unwrap_or_default();
                    if let (Some(id), true) = (id, is_percent_format(&code)) {
                        custom.insert(id);
                    }
                }
                b"xf" if in_cell_formats => formats.push(
                    attribute(&e, b"numFmtId")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0),
                ),
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
        buf.clear();
    }
    formats
        .iter()
        .enumerate()
        .filter(|(_, f)| BUILT_IN_PERCENT.contains(f) || custom.contains(f))
        .filter_map(|(i, _)| u32::try_from(i).ok())
        .collect()
}

/// Whether a number format code shows its number as a percentage: a `%` in its first section
/// (the one for positive numbers), outside quoted text and escapes.
fn is_percent_format(code: &str) -> bool {
    let (mut quoted, mut escaped) = (false, false);
    for c in code.chars() {
        match c {
            _ if escaped => escaped = false,
            '"' => quoted = !quoted,
            _ if quoted => {}
            '\\' | '_' | '*' => escaped = true,
            ';' => return false,
            '%' => return true,
            _ => {}
        }
    }
    false
}

/// The relationships of `workbook.xml.rels`: id → the part's path in the archive.
fn relationships(xml: &[u8]) -> HashMap<String, String> {
    let mut found = HashMap::new();
    elements(xml, |e| {
        if e.local_name().as_ref() == b"Relationship" {
            if let (Some(id), Some(target)) = (attribute(e, b"Id"), attribute(e, b"Target")) {
                let path = match target.strip_prefix('/') {
                    Some(absolute) => absolute.to_string(),
                    None => format!("xl/{target}"),
                };
                found.insert(id, path);
            }
        }
    });
    found
}

/// The sheets of `workbook.xml`: name and relationship id, in order.
fn sheet_ids(xml: &[u8]) -> Vec<(String, String)> {
    let mut found = Vec::new();
    elements(xml, |e| {
        if e.local_name().as_ref() == b"sheet" {
            if let (Some(name), Some(id)) = (attribute(e, b"name"), attribute(e, b"id")) {
                found.push((name, id));
            }
        }
    });
    found
}

/// The cells of a sheet's XML whose format (`s`) is one of `formats`.
fn styled_cells(xml: &[u8], formats: &HashSet<u32>) -> HashSet<(u32, u32)> {
    let mut found = HashSet::new();
    elements(xml, |e| {
        if e.local_name().as_ref() != b"c" {
            return;
        }
        let style = attribute(e, b"s").and_then(|s| s.parse::<u32>().ok());
        if !style.is_some_and(|s| formats.contains(&s)) {
            return;
        }
        if let Some(cell) = attribute(e, b"r").as_deref().and_then(reference) {
            found.insert(cell);
        }
    });
    found
}

/// A cell reference such as `F7` as (row, column) from 0.
fn reference(r: &str) -> Option<(u32, u32)> {
    let split = r.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = r.split_at(split);
    if letters.is_empty() || !letters.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    let col = letters.bytes().try_fold(0u32, |n, b| {
        n.checked_mul(26)?.checked_add(u32::from(b - b'A') + 1)
    })?;
    let row: u32 = digits.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_count_from_zero() {
        assert_eq!(reference("A1"), Some((0, 0)));
        assert_eq!(reference("F7"), Some((6, 5)));
        assert_eq!(reference("AA10"), Some((9, 26)));
        assert_eq!(reference("XFD1048576"), Some((1_048_575, 16_383)));
        for bad in ["", "7", "F", "F0", "f7", "F7x", "$F$7"] {
            assert_eq!(reference(bad), None, "{bad}");
        }
    }

    #[test]
    fn percentage_formats_are_told_from_the_rest() {
        for code in ["0%", "0.0%", "0.00%;[Red]-0.00%", "#,##0%", "0.0 %"] {
            assert!(is_percent_format(code), "{code}");
        }
        for code in [
            "0.00",
            "General",
            "\"%\"0",
            "0\\%",
            "0;0%",
            "yyyy-mm-dd",
            "_%0",
            "",
        ] {
            assert!(!is_percent_format(code), "{code}");
        }
    }

    #[test]
    fn the_cell_formats_of_percentages_are_found() {
        let styles = br#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
            <numFmts count="2"><numFmt numFmtId="164" formatCode="0.0%"/><numFmt numFmtId="165" formatCode="@"/></numFmts>
            <cellStyleXfs count="1"><xf numFmtId="9"/></cellStyleXfs>
            <cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="9" applyNumberFormat="1"/><xf numFmtId="165"/><xf numFmtId="164"/><xf numFmtId="10"/></cellXfs>
            </styleSheet>"#;
        let found = percent_styles(styles);
        assert_eq!(found, HashSet::from([1, 3, 4]));
        let sheet = br#"<worksheet><sheetData><row r="7"><c r="E7" s="2" t="s"><v>0</v></c><c r="F7" s="1"><v>0.85</v></c><c r="G7"><v>1</v></c></row><row r="8"><c r="F8" s="4"><v>0.9</v></c></row></sheetData></worksheet>"#;
        assert_eq!(styled_cells(sheet, &found), HashSet::from([(6, 5), (7, 5)]));
    }
}
