//! The limits on a facts file: its size, its number of units, and the length of a unit's id and
//! name. Each has a default that every real file stays far below and can be raised by whoever
//! loads the facts; what goes beyond one is reported (`F0018`), never a crash or an exhausted
//! memory. The depth of the unit tree needs no limit of its own: kinds may not contain each other
//! (`E0103`), so a tree is never deeper than the standard has kinds.

use serde::Serialize;

/// The limits a facts file is loaded within.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct FactsLimits {
    /// Largest facts text, in bytes (default 2 GiB: about 8 million units of the largest
    /// standard's facts).
    pub bytes: usize,
    /// Most units (default 10,000,000: twice the grassroots Party organisations of a nation;
    /// never more than `u32::MAX`, as a forest keeps its units' indices in 4 bytes).
    pub units: usize,
    /// Longest unit id, in characters (default 256).
    pub id_chars: usize,
    /// Longest unit name, in characters (default 1,024).
    pub name_chars: usize,
}

impl Default for FactsLimits {
    fn default() -> Self {
        FactsLimits {
            bytes: 2 * 1024 * 1024 * 1024,
            units: 10_000_000,
            id_chars: 256,
            name_chars: 1024,
        }
    }
}

impl FactsLimits {
    /// The most units loaded: [`FactsLimits::units`], never above `u32::MAX` (a forest keeps its
    /// units' indices in 4 bytes; so many units would take hundreds of gigabytes).
    pub(crate) fn most_units(&self) -> usize {
        self.units.min(u32::MAX as usize)
    }

    /// These limits with `which` set to `value`.
    pub fn with(mut self, which: FactsLimit, value: usize) -> Self {
        *match which {
            FactsLimit::Bytes => &mut self.bytes,
            FactsLimit::Units => &mut self.units,
            FactsLimit::IdChars => &mut self.id_chars,
            FactsLimit::NameChars => &mut self.name_chars,
        } = value;
        self
    }
}

/// One of the [`FactsLimits`], named in the problem that goes beyond it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FactsLimit {
    /// The size of the facts text.
    Bytes,
    /// The number of units.
    Units,
    /// The length of a unit's id.
    IdChars,
    /// The length of a unit's name.
    NameChars,
}

impl FactsLimit {
    /// The limit's name, as every interface spells it (`--limit units=…` on the command line,
    /// `limits.units` in the protocol).
    pub fn name(self) -> &'static str {
        match self {
            FactsLimit::Bytes => "facts_bytes",
            FactsLimit::Units => "units",
            FactsLimit::IdChars => "id_chars",
            FactsLimit::NameChars => "name_chars",
        }
    }

    /// What goes beyond the limit, in English: `found` is the size, count or length found (for
    /// units, how many were left out), `max` the limit.
    pub fn message_en(self, max: usize, found: usize) -> String {
        let name = self.name();
        match self {
            FactsLimit::Bytes => format!(
                "the facts are {found} bytes, more than the limit `{name}` of {max}; nothing is loaded"
            ),
            FactsLimit::Units => format!(
                "{found} units beyond the limit `{name}` of {max} units are not loaded"
            ),
            FactsLimit::IdChars => format!(
                "the id has {found} characters, more than the limit `{name}` of {max}; the unit is ignored"
            ),
            FactsLimit::NameChars => format!(
                "the name has {found} characters, more than the limit `{name}` of {max}; only its first {max} are kept"
            ),
        }
    }

    /// [`FactsLimit::message_en`] in Chinese.
    pub fn message_zh(self, max: usize, found: usize) -> String {
        let name = self.name();
        match self {
            FactsLimit::Bytes => {
                format!("数据有 {found} 字节，超过上限 `{name}`（{max} 字节），未载入任何内容")
            }
            FactsLimit::Units => {
                format!("超过上限 `{name}`（{max} 个单位）的 {found} 个单位未载入")
            }
            FactsLimit::IdChars => format!(
                "单位编号有 {found} 个字符，超过上限 `{name}`（{max} 个字符），该单位被忽略"
            ),
            FactsLimit::NameChars => format!(
                "名称有 {found} 个字符，超过上限 `{name}`（{max} 个字符），只保留前 {max} 个字符"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The units loaded follow the limit up to the most a forest can index, and no further.
    #[test]
    fn the_most_units_are_those_a_forest_can_index() {
        let limits = FactsLimits::default();
        assert_eq!(limits.most_units(), 10_000_000);
        let most = |n| limits.with(FactsLimit::Units, n).most_units();
        assert_eq!(most(3), 3);
        assert_eq!(most(u32::MAX as usize), u32::MAX as usize);
        assert_eq!(most(usize::MAX), u32::MAX as usize);
    }
}
