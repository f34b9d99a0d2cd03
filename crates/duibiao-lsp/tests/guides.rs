//! Guide distributions in the editor: a guide's tier leads to its declaration, and every guide
//! is in the outline.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use serde_json::json;

/// A guide's tier leads to the tier's declaration, and every guide is in the outline, named by
/// its tier, with its citation.
#[test]
fn the_guides_of_the_guide_example() {
    let text = repo_file("docs/tutorial/guide-demo.std");
    names_lead_to_their_declarations("guide-demo", &text, 8);
    let mut c = Client::start(json!({}), None);
    c.open(&text);
    let out = outline_of(&mut c);
    let guides: Vec<&str> = out.lines().filter(|l| l.contains("指导比例")).collect();
    assert_eq!(
        guides,
        [
            "24 指导比例 五星 [四、(二)] 37:8",
            "24 指导比例 四星 [四、(二)] 38:8",
            "24 指导比例 三星 [四、(二)] 39:8",
            "24 指导比例 二星 及以下 [四、(二)] 40:8",
        ],
        "{out}"
    );
    assert_eq!(c.shutdown(), Ok(()));
}
