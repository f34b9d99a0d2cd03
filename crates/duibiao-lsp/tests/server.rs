//! The language server driven over JSON-RPC as an editor drives it, on a real standard
//! (`standards/haiyan-2021.std`): diagnostics after incremental edits in both languages, hover,
//! definition, references, completion, the outline, quick fixes, and a clean shutdown.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use serde_json::{json, Value};

/// The codes, ranges and messages of published diagnostics.
fn summary(published: &Value) -> Vec<(String, Value, String)> {
    published["diagnostics"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_string(),
                d["range"].clone(),
                d["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn range(a: (u32, u32), b: (u32, u32)) -> Value {
    json!({"start": pos(a), "end": pos(b)})
}

/// Applies the one edit of a code action's workspace edit as an incremental change.
fn apply(c: &mut Client, action: &Value, version: i32) -> Value {
    let edits = &action["edit"]["changes"][URI];
    assert_eq!(edits.as_array().map(Vec::len), Some(1), "{action}");
    let r = &edits[0]["range"];
    let at = |p: &Value| {
        (
            p["line"].as_u64().unwrap() as u32,
            p["character"].as_u64().unwrap() as u32,
        )
    };
    c.change(
        version,
        at(&r["start"]),
        at(&r["end"]),
        edits[0]["newText"].as_str().unwrap(),
    )
}

/// The line (from 0) of haiyan-2021's first tier condition reading the parameter
/// `一定量标准型社会组织`, where these tests type, hover and jump.
fn param_line(text: &str) -> u32 {
    text.lines()
        .position(|l| l.contains(">= 一定量标准型社会组织"))
        .expect("the parameter's use") as u32
}

#[test]
fn a_misspelt_name_typed_in_is_reported_and_fixed() {
    let text = standard("haiyan-2021");
    let l = param_line(&text);
    let mut c = Client::start(json!({}), None);
    let caps = &c.initialized["capabilities"];
    assert_eq!(caps["textDocumentSync"], json!(2), "incremental sync");
    assert_eq!(
        caps.get("documentFormattingProvider"),
        None,
        "no formatter wired"
    );
    assert_eq!(c.initialized["serverInfo"]["name"], "duibiao");
    let opened = c.open(&text);
    assert_eq!(opened["diagnostics"], json!([]));
    assert_eq!(opened["version"], json!(1));

    // Delete the `型` of `一定量标准型社会组织` in the streets' tier condition (line 211): after
    // 40 UTF-16 units of the line, though 100 bytes into it.
    let use_at = find(&text, ">= 一定量标准型社会组织", 0, 3);
    assert_eq!(use_at, (l, 35));
    let published = c.change(2, (l, 40), (l, 41), "");
    assert_eq!(published["version"], json!(2));
    let got = summary(&published);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "E0104");
    assert_eq!(got[0].1, range((l, 35), (l, 44)));
    assert_eq!(
        got[0].2,
        "`街道` 的规则中使用了未声明的名称 `一定量标准社会组织`\n帮助：是否应为 `一定量标准型社会组织`？名称须在 `facts`、`derive`、`param`、`requirements` 或 `tiers` 中声明"
    );
    let d = &published["diagnostics"][0];
    assert_eq!(d["severity"], json!(1));
    assert_eq!(d["source"], "duibiao");

    // The quick fix restores the name, and the diagnostic goes away.
    let actions = c.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": URI},
            "range": range((l, 38), (l, 38)),
            "context": {"diagnostics": [d]}
        }),
    );
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["title"].as_str())
        .collect();
    assert_eq!(titles, ["改为 `一定量标准型社会组织`"]);
    assert_eq!(actions[0]["kind"], "quickfix");
    assert_eq!(actions[0]["isPreferred"], json!(true));
    assert_eq!(actions[0]["diagnostics"][0]["code"], "E0104");
    let fixed = apply(&mut c, &actions[0], 3);
    assert_eq!(fixed["diagnostics"], json!([]));
    assert_eq!(c.shutdown(), Ok(()));
}

#[test]
fn messages_in_english_with_lang_en() {
    let text = standard("haiyan-2021");
    let l = param_line(&text);
    for (options, locale) in [
        (json!({"lang": "en"}), Some("zh-CN")),
        (json!(null), Some("en-GB")),
    ] {
        let mut c = Client::start(options, locale);
        c.open(&text);
        let got = summary(&c.change(2, (l, 40), (l, 41), ""));
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, "E0104");
        assert_eq!(got[0].1, range((l, 35), (l, 44)));
        assert_eq!(
            got[0].2,
            "unknown name `一定量标准社会组织` in a rule of `街道`\nhelp: did you mean `一定量标准型社会组织`? declare the name in `facts`, `derive`, `param`, `requirements` or `tiers`"
        );
        assert_eq!(c.shutdown(), Ok(()));
    }
}

#[test]
fn full_width_punctuation_is_fixed_by_its_half_width_form() {
    let text = standard("haiyan-2021");
    let mut c = Client::start(json!({}), None);
    c.open(&text);
    // `score >= 75` becomes `score ＞= 75`, as a Chinese input method types it.
    let at = find(&text, "score >= 75", 0, "score ".len());
    let published = c.change(2, at, (at.0, at.1 + 1), "＞");
    let got = summary(&published);
    assert_eq!(got[0].0, "E0002");
    assert_eq!(got[0].1, range(at, (at.0, at.1 + 1)));
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": range(at, at), "context": {"diagnostics": []}}),
    );
    assert_eq!(actions[0]["title"], "把 `＞` 改为半角 `>`");
    // Only refactorings asked for: no quick fix.
    let none = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": range(at, at), "context": {"diagnostics": [], "only": ["refactor"]}}),
    );
    assert_eq!(none, json!([]));
    assert_eq!(apply(&mut c, &actions[0], 3)["diagnostics"], json!([]));
    assert_eq!(c.shutdown(), Ok(()));
}

#[test]
fn a_keyword_used_as_a_name_can_be_renamed() {
    let text = standard("haiyan-2021");
    let mut c = Client::start(json!({"lang": "en"}), None);
    c.open(&text);
    // Rename the fact `社会组织有效融入` to the keyword `数量`.
    let at = find(&text, "  社会组织有效融入: bool", 0, 2);
    let end = (
        at.0,
        at.1 + "社会组织有效融入".encode_utf16().count() as u32,
    );
    let got = summary(&c.change(2, at, end, "数量"));
    assert_eq!(got[0].0, "E0001");
    assert!(got[0].2.contains("`数量` is a keyword"), "{}", got[0].2);
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": range(at, at), "context": {"diagnostics": []}}),
    );
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["title"].as_str())
        .collect();
    assert_eq!(
        titles,
        [
            "Rename the keyword `数量` to `数量值`",
            "Rename the keyword `数量` to `数量数`"
        ]
    );
    let edit = &actions[0]["edit"]["changes"][URI][0];
    assert_eq!(edit["range"], range(at, (at.0, at.1 + 2)));
    assert_eq!(edit["newText"], "数量值");
    assert_eq!(c.shutdown(), Ok(()));
}

#[test]
fn hover_shows_description_type_and_clause() {
    let text = standard("haiyan-2021");
    let l = param_line(&text);
    let mut c = Client::start(json!({}), None);
    c.open(&text);
    // A parameter, where a tier condition uses it.
    let h = c.at("textDocument/hover", (l, 38));
    assert_eq!(h["range"], range((l, 35), (l, 45)));
    assert_eq!(
        h["contents"]["value"],
        "**一定量标准型社会组织** · 参数\n\n类型：整数\n\n有一定量的标准型社会组织\n\n依据：三、建设要求 街道层面"
    );
    // A fact, at its use in the communities' tiers: its kind, type and the clause's words.
    let h = c.at(
        "textDocument/hover",
        find(&text, ": 社会组织有效融入", 0, 2),
    );
    assert_eq!(
        h["contents"]["value"],
        "**社会组织有效融入** · 填报事项（社区）\n\n类型：是否值\n\n社会组织有效融入社区建设\n\n依据：三、建设要求 社区层面巧搭载体凝聚合力"
    );
    let h = c.at("textDocument/hover", find(&text, "一票否决: bool", 0, 0));
    let v = h["contents"]["value"].as_str().unwrap();
    assert!(
        v.starts_with("**一票否决** · 填报事项（街道、社区、小区、商务楼宇、商圈、社会组织）"),
        "{v}"
    );
    assert!(
        v.ends_with("依据：三、建设要求\n\n> 无相关“一票否决”事项"),
        "{v}"
    );
    // A scorecard item, at its number: its points and the clause the compiler gives it.
    let h = c.at("textDocument/hover", find(&text, "item 4 ", 0, 5));
    let v = h["contents"]["value"].as_str().unwrap();
    assert!(
        v.starts_with("**4 抓实社区专职工作者队伍建设** · 评分项目（街道）\n\n满分：25分"),
        "{v}"
    );
    assert!(
        v.ends_with("依据：附件2 第4项"),
        "the compiler's clause: {v}"
    );
    // A tier named in another kind's aggregate: the tier of each kind aggregated over.
    let h = c.at(
        "textDocument/hover",
        find(&text, "商圈 at 标准型", 0, "商圈 at ".len()),
    );
    let v = h["contents"]["value"].as_str().unwrap();
    assert_eq!(v.matches("**标准型** · 等级").count(), 4, "{v}");
    assert!(
        v.contains("依据：三、建设要求 商圈层面汇聚人气增添活力"),
        "{v}"
    );
    // In English.
    let mut en = Client::start(json!({"lang": "en"}), None);
    en.open(&text);
    let h = en.at("textDocument/hover", (l, 38));
    assert_eq!(
        h["contents"]["value"],
        "**一定量标准型社会组织** · parameter\n\ntype: a count\n\n有一定量的标准型社会组织\n\ncites: 三、建设要求 街道层面"
    );
    // A tier condition's label: its words and the clause of its tier's block.
    let h = c.at("textDocument/hover", find(&text, "所辖示范型比例:", 0, 0));
    assert_eq!(
        h["contents"]["value"],
        "**所辖示范型比例** · 等级条件（街道）\n\n所辖社区、小区、楼宇和商圈完成示范型建设不少于30%\n\n依据：三、建设要求 街道层面龙头带动统筹推进"
    );
    // A keyword: both its spellings.
    let h = c.at("textDocument/hover", find(&text, "tiers 街道", 0, 1));
    assert_eq!(
        h["contents"]["value"],
        "**tiers** · 关键字：`等级` / `tiers`"
    );
    let at = find(&text, "all 社区、小区", 0, 0);
    let h = en.at("textDocument/hover", (at.0, at.1 + 3));
    assert_eq!(h["contents"]["value"], "**all** · keyword: `all` / `所有`");
    assert_eq!(h["range"], range(at, (at.0, at.1 + 3)));
    // Nothing on the words of a comment.
    let h = c.at("textDocument/hover", find(&text, "# 海盐县", 0, 2));
    assert_eq!(h, Value::Null);
    assert_eq!(c.shutdown(), Ok(()));
    assert_eq!(en.shutdown(), Ok(()));
}

#[test]
fn definition_and_references() {
    let text = standard("haiyan-2021");
    let l = param_line(&text);
    let mut c = Client::start(json!({}), None);
    c.open(&text);
    let decl = find(&text, "param 一定量标准型社会组织", 0, "param ".len());
    let decl_range = range(decl, (decl.0, decl.1 + 10));
    let def = c.at("textDocument/definition", (l, 36));
    assert_eq!(def, json!([{"uri": URI, "range": decl_range}]));
    let refs = c.at("textDocument/references", decl);
    assert_eq!(
        refs,
        json!([{"uri": URI, "range": decl_range}, {"uri": URI, "range": range((l, 35), (l, 45))}])
    );
    // A kind: declared once, named by many blocks.
    let def = c.at("textDocument/definition", find(&text, "facts 社区 {", 0, 6));
    let kind = find(&text, "kind 社区", 0, 5);
    assert_eq!(
        def,
        json!([{"uri": URI, "range": range(kind, (kind.0, kind.1 + 2))}])
    );
    let refs = c.at("textDocument/references", kind);
    // In source order: where `街道` contains it, its declaration (second), the blocks of facts,
    // scorecard and tiers, the aggregates and the veto naming it, and the targets counting it
    // or checked on it (附件3's tasks).
    assert_eq!(refs.as_array().map(Vec::len), Some(18), "{refs}");
    assert_eq!(refs[1]["range"], json!(range(kind, (kind.0, kind.1 + 2))));
    // The veto's `blocks 示范型` names the tier `示范型` of each of its six kinds.
    let blocks = find(&text, "blocks 示范型", 0, "blocks ".len());
    let def = c.at("textDocument/definition", blocks);
    assert_eq!(def.as_array().map(Vec::len), Some(6), "{def}");
    assert_eq!(c.shutdown(), Ok(()));
}

#[test]
fn completion_offers_keywords_and_the_names_in_scope() {
    let text = standard("haiyan-2021");
    let mut c = Client::start(json!({}), None);
    c.open(&text);
    // Typing `一定` at the start of a new condition of the streets' 示范型.
    let at = find(&text, "得分90以上: score >= 90", 0, 0);
    c.change(2, at, at, "一定");
    let items = c.at("textDocument/completion", (at.0, at.1 + 2));
    let items = items.as_array().unwrap();
    let label = |l: &str| items.iter().find(|i| i["label"] == l);
    let param = label("一定量标准型社会组织").expect("the parameter");
    assert_eq!(param["kind"], json!(21), "a constant");
    assert_eq!(param["detail"], "参数");
    assert_eq!(
        param["textEdit"]["range"],
        range(at, (at.0, at.1 + 2)),
        "replaces what was typed"
    );
    assert_eq!(
        label("一票否决").expect("a fact of 街道")["detail"],
        "填报事项 · 街道、社区、小区、商务楼宇、商圈、社会组织"
    );
    assert_eq!(
        label("标准型").expect("a tier")["detail"],
        "等级 · 街道、社区、小区、商务楼宇、商圈、社会组织"
    );
    assert!(label("社会组织有效融入").is_none(), "a fact of 社区 only");
    for kw in ["所有", "all", "且", "并且", "and", "评分", "scorecard"] {
        assert_eq!(label(kw).expect(kw)["kind"], json!(14), "{kw} is a keyword");
    }
    assert_eq!(label("所有").unwrap()["detail"], "all");
    // After `at`, only tiers (and keywords).
    let at = find(&text, "得分90以上: score >= 90", 0, 0);
    c.change(3, at, (at.0, at.1 + 2), "all 社区 at ");
    let items = c.at("textDocument/completion", (at.0, at.1 + 10));
    let names: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] != json!(14))
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert_eq!(names, ["标准型", "示范型"]);
    // After `score`, in the communities' tiers (lines the edits above left alone), the entries of
    // the communities' scorecard.
    let after_score = find(&text, "score >= 90", 1, "score ".len());
    let items = c.at("textDocument/completion", after_score);
    let keys: Vec<(&str, &str)> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["label"].as_str().unwrap(), i["detail"].as_str().unwrap()))
        .collect();
    assert_eq!(keys.len(), 5 + 11, "{keys:?}");
    assert_eq!(keys[0], ("6", "深化社区“大党委”工作制度"));
    assert_eq!(
        keys[1],
        (
            "6.1",
            "整合成员单位各自的资源和需求,每年年初列出党建项目清单"
        )
    );
    assert!(
        label("一定量标准型社会组织").unwrap()["sortText"].as_str()
            < label("所有").unwrap()["sortText"].as_str(),
        "names before keywords"
    );
    assert_eq!(c.shutdown(), Ok(()));
}

#[test]
fn the_outline_of_a_standard() {
    let text = standard("haiyan-2021");
    let mut c = Client::start(json!({}), None);
    c.open(&text);
    let out = outline_of(&mut c);
    insta::assert_snapshot!(out);
    assert_eq!(c.shutdown(), Ok(()));
    // In English, blocks are named in English; names stay as written.
    let mut en = Client::start(json!({"lang": "en"}), None);
    en.open(&text);
    let symbols = symbols(&mut en);
    let card = symbols
        .as_array()
        .and_then(|all| all.iter().find(|s| s["name"] == "scorecard 街道"))
        .expect("the street's scorecard, named in English");
    assert_eq!(card["children"][0]["name"], "1 发挥党委龙头作用");
    assert_eq!(en.shutdown(), Ok(()));
}

#[test]
fn unknown_documents_and_methods() {
    let mut c = Client::start(json!({}), None);
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///nowhere.std"}, "position": pos((0, 0))}),
    );
    assert_eq!(r, Value::Null);
    let r = c.call("textDocument/rename", json!({}));
    assert_eq!(r.error.map(|e| e.code), Some(-32601));
    let r = c.call("textDocument/hover", json!({"nonsense": 1}));
    assert_eq!(r.error.map(|e| e.code), Some(-32602));
    assert_eq!(c.shutdown(), Ok(()));
}

#[test]
fn formatting_with_a_formatter_given() {
    fn trailing(s: &str) -> Option<String> {
        Some(s.lines().map(|l| format!("{}\n", l.trim_end())).collect())
    }
    let opts = duibiao_lsp::Options {
        formatter: Some(trailing),
    };
    let mut c = Client::start_with(json!({}), None, opts);
    assert_eq!(
        c.initialized["capabilities"]["documentFormattingProvider"],
        json!(true)
    );
    c.open("standard x {}\nkind 小区   \n");
    let edits = c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": URI}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(
        edits,
        json!([{"range": range((1, 7), (1, 10)), "newText": ""}])
    );
    assert_eq!(c.shutdown(), Ok(()));
}

#[test]
fn every_name_of_every_bundled_standard_leads_to_its_declaration() {
    for slug in [
        "haiyan-2021",
        "jiaxing-2016",
        "zhuji-2018",
        "quality-2020",
        "chunjiang-365",
        "shengzhou-2015",
    ] {
        // The smallest, the star rating shengzhou-2015, uses 30 names; the others over 50.
        names_lead_to_their_declarations(slug, &standard(slug), 29);
    }
}

/// The rating rules' names too: a named scorecard read by the score formula, tier levels in caps
/// and limits, `tier` facts.
#[test]
fn every_name_of_the_star_rating_example_leads_to_its_declaration() {
    let text = repo_file("docs/tutorial/star-demo.std");
    names_lead_to_their_declarations("star-demo", &text, 15);
}

/// Floors are in the outline as `比例下限 TIER` (here on `无`, no tier), beside the limit, and the
/// names of the floor example lead to their declarations.
#[test]
fn floors_are_in_the_outline() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/tutorial/floor-demo.std"),
    )
    .unwrap();
    let mut c = Client::start(json!({}), None);
    c.open(&text);
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert!(names.contains(&"限额 五星"), "{names:?}");
    assert_eq!(
        names.iter().filter(|n| **n == "比例下限 无").count(),
        2,
        "{names:?}"
    );
}

#[test]
fn requirements_in_groups() {
    let text = standard("chunjiang-365");
    let mut c = Client::start(json!({}), None);
    c.open(&text);
    let h = c.at(
        "textDocument/hover",
        find(&text, "    有场所: 活动室有场所", 0, 4),
    );
    assert_eq!(
        h["contents"]["value"],
        "**有场所** · 要求（机关事业单位）\n\n类型：是否值\n\n有场所\n\n依据：二、（一）2 建设“标准”阵地 机关（事业）单位党组织板块"
    );
    // The fact it reads: its description, and the clause's words.
    let h = c.at(
        "textDocument/hover",
        find(&text, "有场所: 活动室有场所", 0, "有场所: ".len()),
    );
    let v = h["contents"]["value"].as_str().unwrap();
    assert!(
        v.starts_with("**活动室有场所** · 填报事项（机关事业单位）"),
        "{v}"
    );
    assert!(
        v.ends_with("> 实现“六个有”，即有场所、有设施、有标志、有党旗、有书报、有制度"),
        "{v}"
    );
    // In the outline, the category holds its groups, which hold their requirements.
    let symbols = symbols(&mut c);
    let category = symbols
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "标准阵地")
        .expect("the category");
    assert_eq!(category["children"][0]["name"], "六个有");
    assert_eq!(category["children"][0]["children"][0]["name"], "有场所");
    assert_eq!(
        category["children"][0]["children"].as_array().map(Vec::len),
        Some(6)
    );
    assert_eq!(c.shutdown(), Ok(()));
}
