//! What the workbook tests share: the repository's standards and facts files, a facts document
//! in a form two documents of the same facts share, and a workbook as text (its sheets and cells
//! as calamine reads them, its checks on entry and notes as the XML holds them).

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use calamine::{Data, Reader, Xlsx};
use duibiao::Standard;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Formula, Workbook};
use serde_json::{Map, Value};
use std::io::{Cursor, Read as _};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The repository's root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every `.std` file of the repository's standards, tutorial and scenarios, compiled (those that
/// do not compile left out: the tutorial keeps broken ones on purpose).
pub fn standards() -> Vec<(PathBuf, Standard)> {
    let mut files = Vec::new();
    for dir in [
        "standards",
        "docs/tutorial",
        "docs/authoring",
        "tests/scenarios/ratings",
    ] {
        let mut found: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "std"))
            .collect();
        found.sort();
        files.extend(found);
    }
    files
        .into_iter()
        .filter_map(|p| Standard::open(&p).ok().map(|s| (p, s)))
        .collect()
}

/// Every facts file (a JSON object with `units`, not an expected outcome) under `dir`, sorted.
pub fn facts_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(facts_files(&p));
        } else if p.extension().is_some_and(|e| e == "json")
            && !p.to_string_lossy().ends_with(".expected.json")
        {
            let text = std::fs::read_to_string(&p).unwrap_or_default();
            let doc: Option<Value> = serde_json::from_str(&text).ok();
            if doc.as_ref().and_then(|d| d.get("units")).is_some() {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Every bundled facts file with the standard it is for: a standard's own folder
/// (`standards/<slug>/…`), else the standard whose slug the file names.
pub fn bundled() -> Vec<(PathBuf, Standard)> {
    let standards = standards();
    let mut out = Vec::new();
    for dir in [
        "standards",
        "docs/tutorial",
        "docs/improvement",
        "tests/scenarios/ratings",
    ] {
        for f in facts_files(&root().join(dir)) {
            let text = std::fs::read_to_string(&f).unwrap();
            let doc: Value = serde_json::from_str(&text).unwrap();
            let slug = doc.get("standard").and_then(Value::as_str);
            let folder = standards.iter().find(|(p, _)| {
                let stem = p.with_extension("");
                f.starts_with(&stem)
            });
            let named = standards.iter().find(|(_, s)| Some(s.slug()) == slug);
            if let Some((_, s)) = folder.or(named) {
                out.push((f, s.clone()));
            }
        }
    }
    out
}

/// A facts document as every form of the same facts has it: values not given (`null`, empty
/// lists, empty names) left out, numbers as their decimals, units in the order of their ids.
pub fn normal(doc: &Value) -> Value {
    match doc {
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                let v = normal(v);
                let empty = match &v {
                    Value::Null => true,
                    Value::Array(a) => a.is_empty(),
                    Value::Object(o) => o.is_empty(),
                    Value::String(s) => k == "name" && s.is_empty(),
                    _ => false,
                };
                if !empty {
                    out.insert(k.clone(), v);
                }
            }
            if let Some(Value::Array(units)) = out.get_mut("units") {
                units.sort_by_key(|u| u.get("id").map(Value::to_string));
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(normal).collect()),
        Value::Number(n) => match Decimal::from_str(&n.to_string())
            .or_else(|_| Decimal::from_scientific(&n.to_string()))
        {
            Ok(d) => Value::String(format!("number {}", d.normalize())),
            Err(_) => Value::String(format!("number {n}")),
        },
        other => other.clone(),
    }
}

/// A workbook as text: each sheet's cells (`A1 "text"`, `B2 8.5`, `C3 TRUE`), its checks on entry
/// and its notes.
pub fn dump(bytes: &[u8]) -> String {
    let mut book = Xlsx::new(Cursor::new(bytes)).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut part = |name: &str| {
        let mut text = String::new();
        if let Ok(mut f) = zip.by_name(name) {
            f.read_to_string(&mut text).unwrap();
        }
        text
    };
    let mut out = String::new();
    for (i, name) in book.sheet_names().into_iter().enumerate() {
        out.push_str(&format!("== {name} ==\n"));
        let range = book.worksheet_range(&name).unwrap();
        for (r, row) in range.rows().enumerate() {
            let (top, left) = range.start().unwrap();
            for (c, cell) in row.iter().enumerate() {
                let at = cell_name(top + r as u32, left + c as u32);
                let shown = match cell {
                    Data::Empty => continue,
                    Data::String(s) => format!("{s:?}"),
                    Data::Float(f) => f.to_string(),
                    Data::Int(i) => i.to_string(),
                    Data::Bool(b) => b.to_string().to_uppercase(),
                    other => format!("{other:?}"),
                };
                out.push_str(&format!("{at} {shown}\n"));
            }
        }
        let sheet = part(&format!("xl/worksheets/sheet{}.xml", i + 1));
        for v in elements(&sheet, "dataValidation") {
            out.push_str(&format!("check {v}\n"));
        }
        let rels = part(&format!("xl/worksheets/_rels/sheet{}.xml.rels", i + 1));
        if let Some(target) = attribute_after(&rels, "comments", "Target") {
            let comments = part(&format!("xl/{}", target.trim_start_matches("../")));
            for c in comments.split("<comment ").skip(1) {
                let at = attribute(c, "ref").unwrap_or_default();
                let text = texts(c);
                out.push_str(&format!("note {at} {:?}\n", unescape(&text)));
            }
        }
        for cf in elements(&sheet, "cfRule") {
            out.push_str(&format!("colour {cf}\n"));
        }
    }
    out
}

/// The text of every `<t>` element of `xml`, joined.
fn texts(xml: &str) -> String {
    xml.match_indices("<t")
        .filter(|(i, _)| matches!(xml.as_bytes().get(i + 2), Some(b'>' | b' ')))
        .filter_map(|(i, _)| {
            let rest = xml.get(i..)?;
            let start = rest.find('>')? + 1;
            rest.get(start..)?.split("</t>").next()
        })
        .collect()
}

/// Each element `<name …>…</name>` of `xml`, as its attributes and formulas.
fn elements(xml: &str, name: &str) -> Vec<String> {
    let open = format!("<{name} ");
    let close = format!("</{name}>");
    xml.split(&open)
        .skip(1)
        .map(|e| {
            let body = e.split(&close).next().unwrap_or(e);
            let (attrs, inner) = body.split_once('>').unwrap_or((body, ""));
            let formulas: Vec<String> = inner
                .split("<formula")
                .skip(1)
                .filter_map(|f| f.split_once('>').map(|(_, r)| r))
                .filter_map(|f| f.split("</formula").next())
                .map(unescape)
                .collect();
            let attrs: Vec<&str> = attrs
                .split(' ')
                .filter(|a| !a.starts_with("xr:uid") && !a.is_empty())
                .collect();
            format!("{} {}", attrs.join(" "), formulas.join(" | "))
                .trim()
                .to_string()
        })
        .collect()
}

fn attribute(xml: &str, name: &str) -> Option<String> {
    let at = xml.find(&format!("{name}=\""))? + name.len() + 2;
    xml.get(at..)?.split('"').next().map(str::to_string)
}

/// The attribute `name` of the relationship whose type mentions `kind`.
fn attribute_after(rels: &str, kind: &str, name: &str) -> Option<String> {
    rels.split("<Relationship ")
        .find(|r| r.contains(&format!("/{kind}\"")))
        .and_then(|r| attribute(r, name))
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// A cell's name from its row and column (from 0).
pub fn cell_name(row: u32, col: u32) -> String {
    let sheet = String::new();
    duibiao_xlsx::Cell { sheet, row, col }.name()
}

/// The standard at `path` (from the repository's root).
pub fn open(path: &str) -> Standard {
    Standard::open(root().join(path)).unwrap()
}

/// A cell of a hand-made workbook.
pub enum V {
    S(&'static str),
    N(f64),
    F(&'static str),
    /// A number with a number format (`0%`).
    P(f64, &'static str),
}

/// A workbook of these sheets and rows (the same bytes for the same rows).
pub fn workbook(sheets: &[(&str, Vec<Vec<V>>)]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2000, 1, 1).unwrap();
    wb.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&date));
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).unwrap();
        for (r, row) in (0u32..).zip(rows) {
            for (c, v) in (0u16..).zip(row) {
                match v {
                    V::S("") => {}
                    V::S(s) => {
                        ws.write_string(r, c, *s).unwrap();
                    }
                    V::N(n) => {
                        ws.write_number(r, c, *n).unwrap();
                    }
                    V::F(f) => {
                        ws.write_formula(r, c, Formula::new(*f)).unwrap();
                    }
                    V::P(n, format) => {
                        let format = rust_xlsxwriter::Format::new().set_num_format(*format);
                        ws.write_number_with_format(r, c, *n, &format).unwrap();
                    }
                }
            }
        }
    }
    wb.save_to_buffer().unwrap()
}
