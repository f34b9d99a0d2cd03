//! How a standard's facts are laid out in a workbook: a sheet per kind of unit (a row per unit:
//! its id, name and parent, then a column per scored part and fact), a sheet per kind of record
//! (a row per record, keyed by its owner's id), and the sheet of parameters. The template, the
//! converter and the reader all build their columns here, so that what is written is what is
//! read.

use duibiao::{FieldType, Form, FormField, Measure, Place};

/// The sheet of the evaluation date, the standard's slug and the parameters.
pub const PARAMS_SHEET: &str = "参数";

/// The sheet of filling-in notes the template adds; the reader passes over it.
pub const GUIDE_SHEET: &str = "填写说明";

/// The rows of the parameters sheet that are not parameters: the facts file's `standard` and
/// `as_of`, each with the name the sheet shows and the other name it accepts.
pub(crate) const TOP_ROWS: [(&str, &str, &str); 2] = [
    ("standard", "标准代号", "the standard's slug"),
    ("as_of", "评价日期", "the evaluation date"),
];

/// What a column holds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Role {
    /// The unit's id (`编号`).
    Id,
    /// The unit's name (`名称`).
    Name,
    /// The parent's id (`上级编号`).
    Parent,
    /// A record's owner's id (`所有者编号`).
    Owner,
    /// A value of the form.
    Value(FormField),
}

impl Role {
    /// The header the column is written with, and the names it is read by (the first is what
    /// the template writes; the others are accepted).
    fn names(&self) -> &'static [&'static str] {
        match self {
            Role::Id => &["编号", "id"],
            Role::Name => &["名称", "name"],
            Role::Parent => &["上级编号", "上级", "parent"],
            Role::Owner => &["所有者编号", "所有者", "owner"],
            Role::Value(_) => &[],
        }
    }
}

/// One column of a sheet.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Column {
    /// The key the header starts with (`编号`, `6.1`, `一票否决`).
    pub(crate) key: String,
    /// What the column holds.
    pub(crate) role: Role,
}

impl Column {
    fn of(role: Role) -> Column {
        let key = match &role {
            Role::Value(f) => f.key.clone(),
            other => other
                .names()
                .first()
                .copied()
                .unwrap_or_default()
                .to_string(),
        };
        Column { key, role }
    }

    /// Whether a header's key names this column.
    pub(crate) fn answers(&self, key: &str) -> bool {
        match &self.role {
            Role::Value(f) => f.key == key,
            role => role.names().contains(&key),
        }
    }

    /// The header as written: the key (and a scored part's item), and beneath it what to write
    /// (`满分 10 分`, `是/否`).
    pub(crate) fn header(&self) -> String {
        match &self.role {
            Role::Value(f) => match &f.item {
                Some(item) => format!("{} {item}\n{}", self.key, hint(f)),
                None => format!("{}\n{}", self.key, hint(f)),
            },
            Role::Id => "编号\n必填".to_string(),
            Role::Name => "名称".to_string(),
            Role::Parent => "上级编号".to_string(),
            Role::Owner => "所有者编号\n必填".to_string(),
        }
    }
}

/// Whether a sheet holds units or records.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SheetKind {
    /// Units of a kind; the kinds that may be their parents.
    Units { parents: Vec<String> },
    /// Records; the kinds that keep them.
    Records { owners: Vec<String> },
}

/// One sheet of units or records.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Sheet {
    /// The sheet's name: the kind's.
    pub(crate) name: String,
    /// What its rows are.
    pub(crate) kind: SheetKind,
    /// Its columns, in order.
    pub(crate) columns: Vec<Column>,
}

impl Sheet {
    /// The column whose header has this key.
    pub(crate) fn column(&self, key: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.answers(key))
    }
}

/// The sheets of a standard's facts: its kinds of unit (all, or one and the records it keeps)
/// and its kinds of record.
pub(crate) fn sheets(form: &Form, only: Option<&str>) -> Vec<Sheet> {
    let mut out = Vec::new();
    let kinds = form
        .kinds
        .iter()
        .filter(|k| only.is_none_or(|o| o == k.name));
    for k in kinds {
        let mut columns = vec![Column::of(Role::Id), Column::of(Role::Name)];
        if !k.parents.is_empty() {
            columns.push(Column::of(Role::Parent));
        }
        columns.extend(k.fields.iter().cloned().map(Role::Value).map(Column::of));
        out.push(Sheet {
            name: k.name.clone(),
            kind: SheetKind::Units {
                parents: k.parents.clone(),
            },
            columns,
        });
    }
    let records = form
        .records
        .iter()
        .filter(|r| only.is_none_or(|o| r.owners.iter().any(|w| w == o)));
    for r in records {
        let mut columns = vec![Column::of(Role::Owner)];
        columns.extend(r.fields.iter().cloned().map(Role::Value).map(Column::of));
        out.push(Sheet {
            name: r.name.clone(),
            kind: SheetKind::Records {
                owners: r.owners.clone(),
            },
            columns,
        });
    }
    out
}

/// The key a header gives: its text up to the first space or line break (`6.1\n满分 10 分` is
/// `6.1`).
pub(crate) fn header_key(text: &str) -> &str {
    text.trim()
        .split(|c: char| c.is_whitespace())
        .next()
        .unwrap_or_default()
}

/// What to write in a column, in a few words.
pub(crate) fn hint(f: &FormField) -> String {
    if let (Place::Score, Some(max)) = (f.place, f.max) {
        return format!("满分 {max} 分");
    }
    match &f.ty {
        FieldType::Bool => "是/否".into(),
        FieldType::Date => "日期".into(),
        FieldType::Levels(_) => "选择".into(),
        FieldType::Text => "文字".into(),
        FieldType::Number(m) => measure_hint(*m).into(),
        _ => String::new(),
    }
}

fn measure_hint(m: Measure) -> &'static str {
    match m {
        Measure::Count => "整数",
        Measure::Number => "数",
        Measure::Percent => "百分比，如 85%",
        Measure::Money => "元数，或如 15万元",
        Measure::Area => "平方米数，或如 350平方米",
        Measure::Hours => "学时数",
        Measure::Points => "分",
        Measure::Days => "天数",
        Measure::Months => "月数，或如 1年",
        _ => "",
    }
}

/// The note a header carries: the item and part, the clause, the most points and what to write,
/// in Chinese and English.
pub(crate) fn note(f: &FormField) -> String {
    let mut lines = Vec::new();
    if let Some(item) = &f.item {
        lines.push(format!("项目 item：{item}"));
    }
    if let Some(text) = &f.text {
        lines.push(text.clone());
    }
    if let Some(clause) = &f.clause {
        lines.push(format!("出处 clause：{clause}"));
    }
    if let Some(max) = f.max {
        lines.push(format!("0 至 {max} 分 · 0 to {max} points"));
    }
    lines.push(format!("填写 write：{}", type_words(&f.ty)));
    lines.join("\n")
}

/// What a column takes in both languages (`中文 · English`): a scored part's range, or its type.
pub(crate) fn takes(f: &FormField) -> String {
    match (f.place, f.max) {
        (Place::Score, Some(max)) => format!("0 至 {max} 分的数 · points from 0 to {max}"),
        _ => type_words(&f.ty),
    }
}

/// A type in both languages (`中文 · English`), for notes, help and the parameters sheet.
pub(crate) fn type_words(ty: &FieldType) -> String {
    match ty {
        FieldType::Bool => {
            "是 或 否（也可 TRUE/FALSE、1/0） · yes or no (是/否, TRUE/FALSE, 1/0)".into()
        }
        FieldType::Date => "日期，如 2024-06-30 · a date such as 2024-06-30".into(),
        FieldType::Levels(levels) => {
            format!("{} 之一 · one of {}", levels.join("、"), levels.join(", "))
        }
        FieldType::Text => "文字 · text".into(),
        FieldType::Number(m) => format!("{} · {}", measure_hint(*m), measure_en(*m)),
        _ => String::new(),
    }
}

fn measure_en(m: Measure) -> &'static str {
    match m {
        Measure::Count => "a whole number",
        Measure::Number => "a number",
        Measure::Percent => "a percentage such as 85%",
        Measure::Money => "yuan, or such as 15万元",
        Measure::Area => "square metres, or such as 350平方米",
        Measure::Hours => "study hours",
        Measure::Points => "points",
        Measure::Days => "days",
        Measure::Months => "months, or such as 1年",
        _ => "",
    }
}

/// The name of a cell: its column's letters and its row's number, both counted from 0
/// (`(6, 5)` is `F7`).
pub(crate) fn cell_name(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", letters.into_iter().collect::<String>(), row + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_as_spreadsheets_name_them() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(6, 5), "F7");
        assert_eq!(cell_name(9, 25), "Z10");
        assert_eq!(cell_name(0, 26), "AA1");
        assert_eq!(cell_name(1, 701), "ZZ2");
        assert_eq!(cell_name(1, 702), "AAA2");
    }

    #[test]
    fn a_header_key_ends_at_the_first_space() {
        assert_eq!(header_key("6.1\n满分 10 分"), "6.1");
        assert_eq!(header_key(" 一票否决 "), "一票否决");
        assert_eq!(header_key("编号\u{3000}必填"), "编号");
        assert_eq!(header_key(""), "");
    }
}
