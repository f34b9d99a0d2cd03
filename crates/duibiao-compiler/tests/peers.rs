//! A word after `among` that is no kind: `all`, `siblings` and the containing kinds are offered,
//! and a close spelling of a kind is suggested.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use duibiao_compiler::compile;

fn help_of(among: &str) -> (String, Option<String>) {
    let src = format!(
        "standard demo {{ title \"示例\" }}\nkind 街道 contains 小区\nkind 小区\n\
         facts 小区 {{ 满意度: percent }}\nderive 小区 {{ 名次 = peers among {among} }}\n"
    );
    let compiled = compile(&src);
    let [d] = compiled.diagnostics.as_slice() else {
        panic!("{:?}", compiled.diagnostics);
    };
    assert_eq!(d.code(), "E0101");
    let (_, en) = d.help().expect("help");
    (en, d.suggestion.clone())
}

#[test]
fn a_word_that_is_no_kind_is_offered_all_siblings_and_the_containing_kinds() {
    let (help, suggestion) = help_of("全部");
    assert_eq!(suggestion, None);
    assert_eq!(
        help,
        "after `among`, write `all`/`所有` (every unit of the kind), `siblings`/`同级` (those under the same parent), or a kind that contains it: `街道`"
    );
}

#[test]
fn a_close_spelling_of_a_kind_is_suggested() {
    let (help, suggestion) = help_of("街到");
    assert_eq!(suggestion.as_deref(), Some("街道"));
    assert!(
        help.starts_with("did you mean `街道`? after `among`"),
        "{help}"
    );
}
