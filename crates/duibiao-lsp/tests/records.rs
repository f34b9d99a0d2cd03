//! Dated records in the editor: the kind of record and its fields in names and the outline.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use serde_json::json;

/// Dated records: the kind of record named by aggregates, its fields and the owner's fact read in
/// its filter lead to their declarations, and the outline holds the declaration with its fields.
#[test]
fn the_records_of_the_points_example_in_names_and_outline() {
    let text = repo_file("docs/tutorial/points-demo.std");
    names_lead_to_their_declarations("points-demo", &text, 12);
    let mut c = Client::start(json!({}), None);
    c.open(&text);
    let out = outline_of(&mut c);
    assert!(
        out.contains(
            "5 积分记录 [三、积分管理] 12:6\n  8 日期 [填报事项] 13:2\n  8 分值 [填报事项] 14:2\n  8 事由 [填报事项] 15:2\n"
        ),
        "{out}"
    );
    assert_eq!(c.shutdown(), Ok(()));
}
