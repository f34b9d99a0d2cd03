//! The committed header `include/duibiao.h` is what cbindgen makes of the crate now; run with
//! `DUIBIAO_BLESS=1` to write it again after changing the ABI.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[test]
fn the_header_is_current() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let config = cbindgen::Config::from_file(format!("{dir}/cbindgen.toml")).unwrap();
    let mut made = Vec::new();
    cbindgen::Builder::new()
        .with_crate(dir)
        .with_config(config)
        .generate()
        .unwrap()
        .write(&mut made);
    let path = format!("{dir}/include/duibiao.h");
    if std::env::var_os("DUIBIAO_BLESS").is_some() {
        std::fs::write(&path, &made).unwrap();
    }
    let committed = std::fs::read(&path).unwrap_or_default();
    assert!(
        committed == made,
        "{path} is stale: run `DUIBIAO_BLESS=1 cargo test -p duibiao-c --test header`"
    );
}
