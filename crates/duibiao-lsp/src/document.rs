//! An open `.std` file: its text as the editor has it, kept up to date edit by edit
//! (incremental sync), and the compiler's analysis of that text.

use crate::line_index::LineIndex;
use duibiao_compiler::{analyze, Analysis, SourceLimits};
use duibiao_syntax::ast::{File, Span};
use lsp_types::TextDocumentContentChangeEvent;

/// An open document and what the compiler made of it.
#[derive(Debug)]
pub struct Document {
    /// The text, as the editor has it.
    pub text: String,
    /// The editor's version of it.
    pub version: i32,
    /// Where its lines start.
    pub lines: LineIndex,
    /// The compiler's analysis of the current text.
    pub analysis: Analysis,
    /// While the current text does not parse (the writer is in the middle of an edit), the
    /// syntax tree of the last one that did: the names it declares are still offered.
    last_parsed: Option<File>,
}

impl Document {
    /// A document opened with `text`.
    pub fn new(text: String, version: i32) -> Self {
        let lines = LineIndex::new(&text);
        let analysis = analyze(&text, &SourceLimits::default());
        Document {
            text,
            version,
            lines,
            analysis,
            last_parsed: None,
        }
    }

    /// Applies the editor's changes in order (each range is in the text as the changes before it
    /// left it), then analyzes the new text.
    pub fn apply(&mut self, changes: Vec<TextDocumentContentChangeEvent>, version: i32) {
        for change in changes {
            match change.range {
                Some(range) => {
                    let Span { start, end } = self.lines.span(&self.text, range);
                    self.text.replace_range(start..end, &change.text);
                }
                None => self.text = change.text,
            }
            self.lines = LineIndex::new(&self.text);
        }
        self.version = version;
        let analysis = analyze(&self.text, &SourceLimits::default());
        let previous = std::mem::replace(&mut self.analysis, analysis);
        if self.analysis.file.is_some() {
            self.last_parsed = None;
        } else if previous.file.is_some() {
            self.last_parsed = previous.file;
        }
    }

    /// The syntax tree of the current text, or of the last text that parsed while the current
    /// one does not.
    pub fn last_parsed(&self) -> Option<&File> {
        self.analysis.file.as_ref().or(self.last_parsed.as_ref())
    }

    /// The byte offset of a protocol position.
    pub fn offset(&self, pos: lsp_types::Position) -> usize {
        self.lines.offset(&self.text, pos)
    }

    /// The protocol range of a byte span.
    pub fn range(&self, span: Span) -> lsp_types::Range {
        self.lines.range(&self.text, span)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::{Position, Range};

    fn edit(range: ((u32, u32), (u32, u32)), text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(
                Position::new(range.0 .0, range.0 .1),
                Position::new(range.1 .0, range.1 .1),
            )),
            range_length: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn edits_apply_in_order_at_utf16_positions() {
        let mut d = Document::new("kind 小区\nfacts 小区 { 面积: area }\n".into(), 1);
        // Insert `绿化` before `面积` (line 1, after `facts 小区 { `: 11 units), then replace
        // `area` — whose position the first edit moved by two units.
        d.apply(
            vec![
                edit(((1, 11), (1, 11)), "绿化"),
                edit(((1, 17), (1, 21)), "面积"),
            ],
            2,
        );
        assert_eq!(d.text, "kind 小区\nfacts 小区 { 绿化面积: 面积 }\n");
        assert_eq!(d.version, 2);
        // Deleting across a line break.
        d.apply(vec![edit(((0, 7), (1, 0)), " ")], 3);
        assert_eq!(d.text, "kind 小区 facts 小区 { 绿化面积: 面积 }\n");
        // A whole-text change.
        d.apply(
            vec![TextDocumentContentChangeEvent {
                range: None,
                range_length: None,
                text: "kind 社区\n".into(),
            }],
            4,
        );
        assert_eq!(d.text, "kind 社区\n");
        assert_eq!(d.offset(Position::new(0, 7)), "kind 社区".len());
        assert_eq!(d.offset(Position::new(0, 6)), "kind 社".len());
    }

    #[test]
    fn the_last_parsed_tree_survives_an_edit_that_breaks_the_syntax() {
        let mut d = Document::new("standard x {}\nkind 小区\n".into(), 1);
        assert!(d.analysis.file.is_some());
        d.apply(vec![edit(((1, 7), (1, 7)), " {")], 2);
        assert!(d.analysis.file.is_none());
        assert!(d.analysis.compiled.has_errors());
        let kept = d.last_parsed().map(|f| f.decls.len());
        assert_eq!(kept, Some(1));
        // Another edit that does not parse keeps it; one that parses replaces it.
        d.apply(vec![edit(((1, 9), (1, 9)), " {")], 3);
        assert_eq!(d.last_parsed().map(|f| f.decls.len()), Some(1));
        d.apply(
            vec![TextDocumentContentChangeEvent {
                range: None,
                range_length: None,
                text: "standard x {}\nkind 小区\nkind 社区\n".into(),
            }],
            4,
        );
        assert_eq!(d.last_parsed().map(|f| f.decls.len()), Some(2));
        assert!(d.last_parsed.is_none());
    }
}
