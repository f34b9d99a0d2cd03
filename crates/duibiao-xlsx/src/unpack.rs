//! The guard against ZIP bombs: before a workbook is read, the sizes its archive declares for
//! its entries, unpacked, and the number of its entries are checked against a limit, so that a
//! small upload cannot make the reader unpack gigabytes. A workbook beyond it is `F0028`, and
//! nothing of it is read.

use duibiao::codes::Code;
use duibiao::{Location, Problem, Problems};
use std::io::Cursor;

/// How many times the limit on a facts text (or a request body) a workbook may hold unpacked:
/// a workbook's XML is several times larger than the JSON of the same facts, rarely twenty.
pub const UNPACKED_FACTOR: u64 = 20;

/// The most bytes any workbook may hold unpacked, whatever the limit on facts (1 GiB): far
/// beyond what Excel or LibreOffice write for a sheet of a million rows, and few enough to read.
pub const MAX_UNPACKED: u64 = 1 << 30;

/// The most entries (files) a workbook's archive may have: a sheet is a few, and no standard
/// has thousands of kinds.
pub const MAX_ENTRIES: usize = 10_000;

/// The most bytes a workbook may hold unpacked when the facts (or body) limit is `limit` bytes:
/// [`UNPACKED_FACTOR`] times it, and at most [`MAX_UNPACKED`].
pub fn unpacked_limit(limit: usize) -> u64 {
    u64::try_from(limit)
        .unwrap_or(u64::MAX)
        .saturating_mul(UNPACKED_FACTOR)
        .min(MAX_UNPACKED)
}

/// Checks the archive `bytes` (`input` names it) before it is read: at most [`MAX_ENTRIES`]
/// entries, declaring at most `max_unpacked` bytes unpacked in all (`F0028` otherwise). An
/// archive whose directory cannot be read is left to the reader, which says why (`F0021`).
pub fn check_unpacked(
    input: Option<&str>,
    bytes: &[u8],
    max_unpacked: u64,
) -> Result<(), Problems> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    if archive.len() > MAX_ENTRIES {
        return Err(Problems::one(too_many(input, archive.len())));
    }
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let Ok(entry) = archive.by_index_raw(i) else {
            return Ok(());
        };
        total = total.saturating_add(entry.size());
        if total > max_unpacked {
            return Err(Problems::one(too_large(input, entry.name(), max_unpacked)));
        }
    }
    Ok(())
}

/// `F0028`: an archive of more entries than [`MAX_ENTRIES`].
fn too_many(input: Option<&str>, found: usize) -> Problem {
    Problem::error(
        Code::F0028,
        format!("工作簿（xlsx）中有 {found} 个文件，超出上限 {MAX_ENTRIES}，没有读取"),
        format!("the workbook (xlsx) holds {found} files, beyond the limit of {MAX_ENTRIES}, and was not read"),
    )
    .with_help(
        "用 Excel、WPS 或 LibreOffice 另存为 .xlsx 后再试；这不像是一个填写好的工作簿",
        "save it as .xlsx from Excel, WPS or LibreOffice and try again; this does not look like a filled-in workbook",
    )
    .at(Location::data(input, None, None))
}

/// `F0028`: an archive declaring more than `limit` bytes unpacked (`entry` took it beyond).
fn too_large(input: Option<&str>, entry: &str, limit: u64) -> Problem {
    Problem::error(
        Code::F0028,
        format!(
            "工作簿（xlsx）解压后超过 {limit} 字节的上限（到 `{entry}` 时），没有读取"
        ),
        format!(
            "the workbook (xlsx) unpacks to more than the limit of {limit} bytes (at `{entry}`), and was not read"
        ),
    )
    .with_help(
        format!(
            "把数据分成几个工作簿提交；上限是数据大小上限的 {UNPACKED_FACTOR} 倍（最多 1 GiB）"
        ),
        format!(
            "submit the data as several workbooks; the limit is {UNPACKED_FACTOR} times the limit on facts (1 GiB at most)"
        ),
    )
    .at(Location::data(input, None, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 150-byte archive whose one entry declares 4,000,000,000 bytes unpacked.
    const BOMB: &[u8] = include_bytes!("../tests/fixtures/bomb.xlsx");

    #[test]
    fn an_entry_declaring_more_than_the_limit_is_f0028() {
        let p =
            check_unpacked(Some("bomb.xlsx"), BOMB, unpacked_limit(1 << 20)).expect_err("a bomb");
        assert_eq!(p.0.len(), 1);
        assert_eq!(p.0[0].code, "F0028");
        assert!(
            p.0[0].message.en.contains("sheet1.xml"),
            "{}",
            p.0[0].message.en
        );
    }

    #[test]
    fn an_entry_within_the_limit_passes() {
        assert!(check_unpacked(None, BOMB, 4_000_000_000).is_ok());
        assert!(check_unpacked(None, b"PK\x03\x04 no directory", 0).is_ok());
        assert_eq!(unpacked_limit(1 << 20), 20 << 20);
        assert_eq!(unpacked_limit(usize::MAX), MAX_UNPACKED);
        let cli = unpacked_limit(duibiao::Limits::default().facts_bytes);
        assert!(check_unpacked(None, BOMB, cli).is_err());
    }
}
