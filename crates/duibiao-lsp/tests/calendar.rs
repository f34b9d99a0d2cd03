//! Hover names calendar years and months: a derived value of months has their type and unit, a
//! date moved by a year stays a date, in both languages.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use serde_json::json;

const TEXT: &str = "standard calendar {\n  title \"日历年月\"\n}\n\nkind 支部\n\n\
    facts 支部 {\n  成立日期: date \"党支部成立日期\"\n}\n\n\
    derive 支部 {\n  期限 = 1年 + 6个月 \"一年半\"\n  到期日 = 成立日期 + 期限 \"到期的日期\"\n}\n";

fn hover(lang: &str, needle: &str) -> String {
    let mut c = Client::start(json!({"lang": lang}), None);
    let opened = c.open(TEXT);
    assert_eq!(opened["diagnostics"], json!([]), "{opened}");
    let h = c.at("textDocument/hover", find(TEXT, needle, 0, 0));
    let shown = h["contents"]["value"].as_str().unwrap_or("").to_string();
    assert_eq!(c.shutdown(), Ok(()));
    shown
}

#[test]
fn hover_names_calendar_months_and_the_dates_they_move() {
    assert_eq!(
        hover("zh", "期限 ="),
        "**期限** · 计算值（支部）\n\n类型：年月数（日历月） · 单位：个月\n\n一年半"
    );
    assert_eq!(
        hover("en", "期限 ="),
        "**期限** · derived value (支部)\n\ntype: calendar months · unit: months\n\n一年半"
    );
    assert_eq!(
        hover("zh", "到期日 ="),
        "**到期日** · 计算值（支部）\n\n类型：日期\n\n到期的日期"
    );
}
