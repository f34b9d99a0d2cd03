fn main() {
    let p = std::env::args().nth(1).unwrap_or_default();
    let src = std::fs::read_to_string(p).unwrap_or_default();
    match duibiao_syntax::parse(&src) {
        Ok(f) => println!("{} decls", f.decls.len()),
        Err(e) => println!("{e:?}"),
    }
}
