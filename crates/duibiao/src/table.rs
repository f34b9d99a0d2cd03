//! The table `duibiao eval` prints: one row per unit (id, name, kind, score, tier), then the
//! standard's guide distributions and its fingerprint. Written a block of rows at a time, with
//! nothing per unit but the block's one buffer of cells; blocks are rendered in parallel.

use crate::{Lang, Live, SummaryView};
use std::fmt::Write as _;
use std::io::{self, Write};

/// The widest a column is padded to, in terminal columns: a longer cell (a name of thousands of
/// characters) is written whole but does not widen every other row.
const MAX_WIDTH: usize = 40;

/// Units whose rows are aligned together: columns are as wide as their widest cell within a
/// block (the first block holds the header too), so a table of up to this many units is aligned
/// as one, and a larger one is written without reading every unit twice.
pub const BLOCK_ROWS: usize = 4096;

/// The width of `s` in terminal columns (a non-ASCII character, Chinese, takes two).
fn width(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// The cells of a block of rows, five a row, in one buffer.
#[derive(Default)]
struct Block {
    text: String,
    /// Where each cell ends in `text`, and its width.
    ends: Vec<(usize, usize)>,
    widths: [usize; 5],
}

impl Block {
    fn rows(&self) -> usize {
        self.ends.len() / 5
    }

    /// Ends the cell written last to `text`.
    fn end_cell(&mut self) {
        let start = self.ends.last().map_or(0, |&(end, _)| end);
        let column = self.ends.len() % 5;
        let w = width(&self.text[start..]);
        self.widths[column] = self.widths[column].max(w.min(MAX_WIDTH));
        self.ends.push((self.text.len(), w));
    }

    fn header(&mut self, lang: Lang) {
        let cells = match lang {
            Lang::Zh => ["编号", "名称", "类型", "得分", "等级"],
            Lang::En => ["id", "name", "kind", "score", "tier"],
        };
        for c in cells {
            self.text.push_str(c);
            self.end_cell();
        }
    }

    /// One unit's row: id, name, kind, score, tier (with the tiers still unknown).
    fn row(&mut self, u: &SummaryView<'_>, lang: Lang) {
        let unknown = match lang {
            Lang::Zh => "未知",
            Lang::En => "unknown",
        };
        self.text.push_str(u.id());
        self.end_cell();
        self.text.push_str(u.name().unwrap_or_default());
        self.end_cell();
        self.text.push_str(u.kind());
        self.end_cell();
        // Writing to a `String` cannot fail.
        let _ = match (u.score(), u.score_total()) {
            (Some(s), _) => write!(self.text, "{s}"),
            (None, Some(_)) => self.text.write_str(unknown),
            (None, None) if u.formula() => self.text.write_str(unknown),
            (None, None) => self.text.write_str("—"),
        };
        self.end_cell();
        let _ = duibiao_engine::explain::write_tier_text(
            &mut self.text,
            u.tier(),
            u.tiers(),
            u.rated(),
            lang.into(),
        );
        self.end_cell();
    }

    /// Writes the block's rows, each cell padded to its column's width.
    fn write(&self, out: &mut Vec<u8>) -> io::Result<()> {
        let mut line = String::new();
        let mut start = 0;
        for r in 0..self.rows() {
            line.clear();
            for (column, &(end, w)) in self.ends[r * 5..r * 5 + 5].iter().enumerate() {
                let cell = &self.text[start..end];
                start = end;
                if column > 0 {
                    line.push_str("  ");
                }
                line.push_str(cell);
                let pad = self.widths[column].saturating_sub(w);
                line.extend(std::iter::repeat_n(' ', pad));
            }
            out.write_all(line.trim_end().as_bytes())?;
            out.write_all(b"\n")?;
        }
        Ok(())
    }
}

/// The rows of units, a block at a time.
struct Rows<'a> {
    live: &'a Live,
    lang: Lang,
}

impl crate::protocol::stream::Render for Rows<'_> {
    fn render(&self, range: std::ops::Range<usize>, out: &mut Vec<u8>) -> io::Result<()> {
        let mut block = Block::default();
        if range.start == 0 {
            block.header(self.lang);
        }
        for u in range.filter_map(|i| self.live.summary_view_at(i)) {
            block.row(&u, self.lang);
        }
        block.write(out)
    }
}

/// Writes the `eval` table of `live` to `out`: a header and a row per unit in the facts' order
/// (records, reported by their owners, have none), aligned by blocks of [`BLOCK_ROWS`] units
/// (rendered in parallel on the threads `live` may use, and written in order); then, after a
/// blank line, the standard's guide distributions, if any; then its fingerprint.
pub fn write_table(out: &mut impl Write, live: &Live, lang: Lang) -> io::Result<()> {
    let rows = Rows { live, lang };
    // At least one part: a table without units still has its header.
    crate::protocol::stream::write_parts(
        out,
        live.places().max(1),
        BLOCK_ROWS,
        live.threads(),
        &rows,
    )?;
    // The guide distributions, after a blank line: reported, never a verdict.
    let guides = live.guides();
    if !guides.is_empty() {
        writeln!(out)?;
    }
    for g in &guides {
        write!(out, "{}", crate::guide_text(g, lang))?;
    }
    writeln!(
        out,
        "{} {}",
        match lang {
            Lang::Zh => "标准指纹",
            Lang::En => "fingerprint",
        },
        live.standard().fingerprint()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Options, Standard, Threads};

    /// The display column where each cell of `line` starts (cells are separated by at least two
    /// spaces; no cell of a generated forest holds two spaces).
    fn starts(line: &str) -> Vec<usize> {
        let mut out = vec![0];
        let mut column = 0;
        let mut spaces = 0;
        for c in line.chars() {
            if c == ' ' {
                spaces += 1;
            } else {
                if spaces >= 2 {
                    out.push(column);
                }
                spaces = 0;
            }
            column += width(&c.to_string());
        }
        out
    }

    #[test]
    fn large_tables_are_aligned_block_by_block_on_any_threads() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../standards/haiyan-2021.std"
        );
        let source = std::fs::read_to_string(path).unwrap();
        let s = Standard::compile("haiyan-2021.std", &source).unwrap();
        let units = BLOCK_ROWS + 900;
        let mut facts = Vec::new();
        crate::generate::write_forest(&s, units, 7, &Default::default(), &mut facts).unwrap();
        let text = String::from_utf8(facts).unwrap();
        let mut tables = Vec::new();
        for threads in [Threads::Single, Threads::Shared] {
            let (loaded, problems) = s.load_facts(&text);
            assert!(problems.is_empty());
            let live = s.live(loaded, &Options::new().threads(threads)).unwrap();
            let mut out = Vec::new();
            write_table(&mut out, &live, Lang::Zh).unwrap();
            tables.push(String::from_utf8(out).unwrap());
        }
        assert_eq!(tables[0], tables[1]);
        let lines: Vec<&str> = tables[0].lines().collect();
        // The header, a row per unit, the fingerprint.
        assert_eq!(lines.len(), units + 2);
        // The header names every column, so its cells are not the rows' (their names are empty).
        let (first, second) = lines[1..units + 1].split_at(BLOCK_ROWS);
        for block in [first, second] {
            // Every row of a block starts its score at the same column (ids and kinds are never
            // wider than the cap); the names are empty, so id and kind precede it.
            let at: Vec<usize> = block.iter().map(|l| starts(l)[2]).collect();
            assert!(at.iter().all(|&c| c == at[0]), "{at:?}");
        }
        assert!(lines[units + 1].starts_with("标准指纹 sha256:"));
    }
}
