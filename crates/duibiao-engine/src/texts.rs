//! Text facts (`text` / `文本`, a record's reason): strings the units report for display only,
//! kept beside the forest, out of the inputs that evaluation reads.

use std::collections::BTreeMap;

/// The text facts of a forest's units, by unit id (in id order, so that two forests' texts
/// compare and print alike): for each unit with any, its texts by field (the place of the text
/// fact among its kind's texts).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Texts {
    by_unit: BTreeMap<String, Vec<(usize, String)>>,
}

impl Texts {
    /// The text of field `field` of the unit with id `unit`, when it reported one.
    pub fn get(&self, unit: &str, field: usize) -> Option<&str> {
        self.by_unit
            .get(unit)?
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, t)| t.as_str())
    }

    /// Sets the text of field `field` of unit `unit` (a later value replaces an earlier one).
    pub fn set(&mut self, unit: &str, field: usize, text: String) {
        let texts = self.by_unit.entry(unit.to_string()).or_default();
        match texts.iter_mut().find(|(f, _)| *f == field) {
            Some(slot) => slot.1 = text,
            None => texts.push((field, text)),
        }
    }

    /// Whether no unit reported a text.
    pub fn is_empty(&self) -> bool {
        self.by_unit.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::Texts;

    #[test]
    fn a_text_is_found_by_unit_and_field_and_a_later_one_replaces_it() {
        let mut texts = Texts::default();
        assert!(texts.is_empty());
        texts.set("A#1", 0, "参加志愿服务".into());
        texts.set("A#1", 1, "第二".into());
        texts.set("A#1", 0, "改过".into());
        assert_eq!(texts.get("A#1", 0), Some("改过"));
        assert_eq!(texts.get("A#1", 1), Some("第二"));
        assert_eq!(texts.get("A#2", 0), None);
        assert_eq!(texts.get("A#1", 2), None);
        assert!(!texts.is_empty());
    }
}
