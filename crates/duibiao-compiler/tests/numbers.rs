//! A number too large once converted (an amount in 万元 beyond about 7.9×10^24) is `E0005`, with
//! help saying how large a number may be.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use duibiao_compiler::compile;

#[test]
fn a_number_out_of_range_says_how_large_a_number_may_be() {
    let src = "standard n { title \"n\" }\nkind 社区\nfacts 社区 {\n  经费: money\n}\n\
               requirements 社区 经费要求 {\n  经费足: 经费 >= 8000000000000000000000000万元\n}\n";
    let compiled = compile(src);
    let d = compiled
        .diagnostics
        .iter()
        .find(|d| d.code() == "E0005")
        .expect("E0005");
    let (zh, en) = d.help().expect("help");
    assert!(zh.contains("7.9×10^24 万元"), "{zh}");
    assert!(en.contains("at most about 7.9×10^24 万元"), "{en}");
}
