//! The committed traceability pages (`docs/standards/<slug>.md`) are what `duibiao doc` writes
//! for the committed standards: a change to a standard must come with its regenerated page.

use duibiao_tests::{read, root, standard};

#[test]
fn traceability_pages_are_current() {
    let dir = root().join("standards");
    let mut slugs: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_string_lossy()
                .strip_suffix(".std")
                .map(String::from)
        })
        .collect();
    slugs.sort();
    assert!(!slugs.is_empty());
    let mut stale = Vec::new();
    for slug in slugs {
        let page = duibiao::traceability::page(&standard(&slug));
        let path = format!("docs/standards/{slug}.md");
        let committed = std::fs::read_to_string(root().join(&path)).unwrap_or_default();
        if committed != page {
            stale.push(format!("{path} (run `duibiao doc standards/{slug}.std`)"));
        }
        // Every citation of the standard appears on its page.
        let text = read(&format!("standards/{slug}.std"));
        for cite in text
            .split("cite \"")
            .skip(1)
            .filter_map(|c| c.split('"').next())
        {
            assert!(
                page.contains(cite),
                "{slug}: citation `{cite}` missing from its page"
            );
        }
    }
    assert!(stale.is_empty(), "stale traceability pages: {stale:#?}");
}
