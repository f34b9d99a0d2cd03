//! Workbooks over HTTP: facts sent as xlsx (evaluate, a round), their problems at their cells,
//! the zip-bomb guard, and the workbooks to download (a round's results, the evaluation's
//! results on `Accept`, the template), with their names in UTF-8.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use calamine::{Data, Reader, Xlsx};
use common::{demo, root, Server, XLSX};
use serde_json::Value;
use std::io::Cursor;

/// The haiyan standard.
fn haiyan() -> duibiao::Standard {
    duibiao::Standard::open(root().join("standards/haiyan-2021.std")).unwrap()
}

/// The haiyan demo's facts as a workbook.
fn demo_workbook() -> Vec<u8> {
    duibiao_xlsx::facts_to_workbook(&haiyan(), Some("demo.json"), &demo()).unwrap()
}

/// A request's answer: status, headers and bytes.
async fn raw(
    s: &Server,
    method: reqwest::Method,
    path: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let mut req = reqwest::Client::new().request(method, format!("{}{path}", s.base));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let r = req.body(body).send().await.unwrap();
    let (status, headers) = (r.status().as_u16(), r.headers().clone());
    (status, headers, r.bytes().await.unwrap().to_vec())
}

/// Every sheet of a workbook, by name.
fn sheets(bytes: &[u8]) -> Vec<(String, calamine::Range<Data>)> {
    let mut book = Xlsx::new(Cursor::new(bytes)).unwrap();
    let names = book.sheet_names();
    names
        .into_iter()
        .map(|n| {
            let r = book.worksheet_range(&n).unwrap();
            (n, r)
        })
        .collect()
}

/// The workbook `bytes` written again with the cell at `row`, `col` of `sheet` replaced by
/// `text` (values kept as numbers, booleans or text).
fn with_cell(bytes: &[u8], sheet: &str, row: u32, col: u32, text: &str) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, range) in sheets(bytes) {
        let ws = wb.add_worksheet();
        ws.set_name(&name).unwrap();
        let (top, left) = range.start().unwrap_or((0, 0));
        for (r, row_cells) in range.rows().enumerate() {
            for (c, v) in row_cells.iter().enumerate() {
                let (r, c) = (top + r as u32, left + c as u32);
                let cell = if name == sheet && (r, c) == (row, col) {
                    Data::String(text.to_string())
                } else {
                    v.clone()
                };
                let c16 = u16::try_from(c).unwrap();
                match cell {
                    Data::Empty => {}
                    Data::Float(n) => {
                        ws.write_number(r, c16, n).unwrap();
                    }
                    Data::Int(n) => {
                        ws.write_number(r, c16, n as f64).unwrap();
                    }
                    Data::Bool(b) => {
                        ws.write_boolean(r, c16, b).unwrap();
                    }
                    other => {
                        ws.write_string(r, c16, other.to_string()).unwrap();
                    }
                }
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

/// A cell's name (`F7`) from its row and column (from 0).
fn cell_name(row: u32, col: u32) -> String {
    duibiao_xlsx::Cell {
        sheet: String::new(),
        row,
        col,
    }
    .name()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_workbook_is_evaluated_as_its_json_is() {
    let s = Server::standards().await;
    let book = demo_workbook();
    // The docs' workbook (docs/service.md) is the demo's, as `duibiao convert` writes it.
    let docs = std::fs::read(root().join("docs/service/haiyan-2021.xlsx")).unwrap();
    assert!(
        docs == book,
        "docs/service/haiyan-2021.xlsx is not the demo's workbook"
    );
    let json = s.post("/v1/standards/haiyan-2021/evaluate", &demo()).await;
    let xlsx = s
        .send(
            "POST",
            "/v1/standards/haiyan-2021/evaluate",
            Some(XLSX),
            book.clone(),
        )
        .await;
    assert_eq!(xlsx.status, 200, "{xlsx}");
    assert_eq!(xlsx.json["units"], json.json["units"]);
    // application/octet-stream is sniffed: a workbook is read as one.
    let octets = s
        .send(
            "POST",
            "/v1/standards/haiyan-2021/explain?unit=SQ2&file=海盐.xlsx",
            Some("application/octet-stream"),
            book,
        )
        .await;
    assert_eq!(octets.status, 200, "{octets}");
    assert!(octets.json["text"].as_str().unwrap().contains("SQ2"));
    let not_a_book = s
        .send(
            "POST",
            "/v1/standards/haiyan-2021/evaluate",
            Some("application/octet-stream"),
            demo().into_bytes(),
        )
        .await;
    assert_eq!(
        (not_a_book.status, not_a_book.codes()),
        (415, vec!["S0003".to_string()])
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_value_is_a_problem_at_its_sheet_and_cell() {
    let s = Server::standards().await;
    let book = demo_workbook();
    // The first number in SQ2's row of the sheet 社区.
    let (_, range) = sheets(&book)
        .into_iter()
        .find(|(n, _)| n == "社区")
        .unwrap();
    let (top, left) = range.start().unwrap();
    let (r, c) = range
        .rows()
        .enumerate()
        .find(|(_, row)| row.first().is_some_and(|v| *v == "SQ2"))
        .and_then(|(r, row)| {
            let c = row
                .iter()
                .position(|v| matches!(v, Data::Float(_) | Data::Int(_)))?;
            Some((top + r as u32, left + c as u32))
        })
        .unwrap();
    let bad = with_cell(&book, "社区", r, c, "很多");
    let got = s
        .send(
            "POST",
            "/v1/standards/haiyan-2021/evaluate?file=海盐.xlsx",
            Some(XLSX),
            bad,
        )
        .await;
    assert_eq!(got.status, 422, "{got}");
    let cell = cell_name(r, c);
    let at = got.json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["location"]["cell"] == cell.as_str())
        .unwrap_or_else(|| panic!("no problem at 社区!{cell}: {got}"));
    assert_eq!(at["location"]["sheet"], "社区");
    assert_eq!(at["location"]["input"], "海盐.xlsx");
    assert_eq!(at["severity"], "error");

    let garbage = s
        .send(
            "POST",
            "/v1/standards/haiyan-2021/evaluate",
            Some(XLSX),
            b"PK\x03\x04 not really a zip".to_vec(),
        )
        .await;
    assert!(garbage.codes().contains(&"F0021".to_string()), "{garbage}");
    s.stop().await;
}

/// A 150-byte archive whose one entry declares 4 GB unpacked (duibiao-xlsx's fixture).
fn bomb() -> Vec<u8> {
    std::fs::read(root().join("crates/duibiao-xlsx/tests/fixtures/bomb.xlsx")).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_zip_bomb_is_refused_before_it_is_read() {
    let s = Server::standards().await;
    let got = s
        .send(
            "POST",
            "/v1/standards/haiyan-2021/evaluate",
            Some(XLSX),
            bomb(),
        )
        .await;
    assert_eq!(got.codes(), vec!["F0028".to_string()], "{got}");
    let en = got.json["problems"][0]["message"]["en"].as_str().unwrap();
    assert!(en.contains(&(20u64 * (16 << 20)).to_string()), "{en}");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_round_from_a_workbook_keeps_its_facts_as_json_and_gives_its_results_as_a_workbook() {
    let s = Server::standards().await;
    let got = s
        .send(
            "POST",
            "/v1/standards/haiyan-2021/rounds?submitted_by=张三&file=海盐%202021.xlsx",
            Some(XLSX),
            demo_workbook(),
        )
        .await;
    assert_eq!(got.status, 201, "{got}");
    assert_eq!(got.json["round"]["source"], "xlsx");
    assert_eq!(got.json["round"]["file"], "海盐 2021.xlsx");
    let id = got.json["round"]["id"].as_i64().unwrap();
    let stored = s.get(&format!("/v1/rounds/{id}")).await;
    let (_, problems) = haiyan().load_facts(&stored.json["facts"].to_string());
    assert!(problems.is_empty(), "{problems:?}");
    let demo: Value = serde_json::from_str(&demo()).unwrap();
    assert_eq!(
        stored.json["facts"]["units"].as_array().unwrap().len(),
        demo["units"].as_array().unwrap().len()
    );

    let json_round = s
        .post(
            "/v1/standards/haiyan-2021/rounds?submitted_by=李四",
            &common::demo(),
        )
        .await;
    assert_eq!(json_round.json["round"]["source"], "json");
    assert_eq!(json_round.json["round"]["file"], Value::Null);

    let path = format!("/v1/rounds/{id}/results.xlsx");
    let (status, headers, _) = raw(&s, reqwest::Method::HEAD, &path, &[], Vec::new()).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], XLSX);
    let (status, headers, bytes) = raw(&s, reqwest::Method::GET, &path, &[], Vec::new()).await;
    assert_eq!(status, 200);
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.ends_with(&format!(
            "filename*=UTF-8''haiyan-2021-%E7%AC%AC{id}%E8%BD%AE-%E7%BB%93%E6%9E%9C.xlsx"
        )),
        "{disposition}"
    );
    let book = sheets(&bytes);
    let units = &book[0].1;
    let sq2 = units
        .rows()
        .find(|row| row.iter().any(|v| *v == "SQ2"))
        .unwrap_or_else(|| panic!("no SQ2 on {}", book[0].0));
    assert!(sq2.iter().any(|v| *v == "标准型"), "{sq2:?}");
    let missing = s.get("/v1/rounds/999/results.xlsx").await;
    assert_eq!(
        (missing.status, missing.codes()),
        (404, vec!["S0002".to_string()])
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn evaluate_answers_a_workbook_on_accept_and_the_template_is_served() {
    let s = Server::standards().await;
    let (status, headers, bytes) = raw(
        &s,
        reqwest::Method::POST,
        "/v1/standards/haiyan-2021/evaluate?lang=en",
        &[("Content-Type", "application/json"), ("Accept", XLSX)],
        demo().into_bytes(),
    )
    .await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
    assert_eq!(headers["content-type"], XLSX);
    let expected = {
        let s = haiyan();
        let facts = s.load_facts(&demo()).0;
        let o = duibiao::Options::default()
            .detail(duibiao::Detail::Conditions)
            .lang(duibiao::Lang::En);
        let outcome = s.evaluate(&facts, &o).unwrap();
        let progress = s.progress(&facts, &o).unwrap();
        duibiao_xlsx::results_workbook(&outcome, Some(&progress), duibiao::Lang::En).unwrap()
    };
    assert!(
        bytes == expected,
        "the results workbook differs from the library's"
    );

    let (status, headers, bytes) = raw(
        &s,
        reqwest::Method::GET,
        "/v1/standards/haiyan-2021/template.xlsx?kind=社区",
        &[],
        Vec::new(),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        headers["content-disposition"].to_str().unwrap(),
        "attachment; filename=\"haiyan-2021-__-___.xlsx\"; filename*=UTF-8''haiyan-2021-%E7%A4%BE%E5%8C%BA-%E8%AF%84%E5%88%86%E8%A1%A8.xlsx"
    );
    assert!(bytes == duibiao_xlsx::template(&haiyan(), Some("社区")).unwrap());
    let unknown = s
        .get("/v1/standards/haiyan-2021/template.xlsx?kind=村")
        .await;
    assert_eq!(unknown.codes(), vec!["A0007".to_string()], "{unknown}");
    s.stop().await;
}
