//! The six kinds of unit: their names, their scorecards' parts (附件2) and which kind contains
//! which.

/// The kinds of unit, in the standard's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// 街道
    Jiedao = 0,
    /// 社区
    Shequ = 1,
    /// 小区
    Xiaoqu = 2,
    /// 商务楼宇
    Louyu = 3,
    /// 商圈
    Shangquan = 4,
    /// 社会组织
    Shehuizuzhi = 5,
}

/// How many kinds there are.
pub const KINDS: usize = 6;

/// The most scored parts any kind has.
pub const MAX_PARTS: usize = 11;

/// 附件2 一、街道层面: the score keys and their points.
const JIEDAO_PARTS: &[(&str, u32)] = &[
    ("1.1", 10),
    ("1.2", 10),
    ("2.1", 5),
    ("2.2", 15),
    ("3.1", 10),
    ("3.2", 5),
    ("4.1", 10),
    ("4.2", 10),
    ("4.3", 5),
    ("5.1", 10),
    ("5.2", 10),
];
/// 附件2 二、社区层面.
const SHEQU_PARTS: &[(&str, u32)] = &[
    ("6.1", 10),
    ("6.2", 10),
    ("7.1", 10),
    ("7.2", 10),
    ("8.1", 10),
    ("8.2", 10),
    ("9.1", 5),
    ("9.2", 10),
    ("10.1", 5),
    ("10.2", 10),
    ("10.3", 10),
];
/// 附件2 三、小区层面 (item 14 is scored as a whole).
const XIAOQU_PARTS: &[(&str, u32)] = &[
    ("11.1", 10),
    ("11.2", 10),
    ("12.1", 10),
    ("12.2", 10),
    ("13.1", 5),
    ("13.2", 5),
    ("13.3", 10),
    ("14", 20),
    ("15.1", 10),
    ("15.2", 10),
];
/// 附件2 四、商务楼宇层面 (item 19 is scored as a whole).
const LOUYU_PARTS: &[(&str, u32)] = &[
    ("16.1", 15),
    ("16.2", 5),
    ("17.1", 10),
    ("17.2", 10),
    ("18.1", 10),
    ("18.2", 10),
    ("19", 20),
    ("20.1", 10),
    ("20.2", 5),
    ("20.3", 5),
];
/// 附件2 五、商圈层面 (item 24 is scored as a whole).
const SHANGQUAN_PARTS: &[(&str, u32)] = &[
    ("21.1", 5),
    ("21.2", 10),
    ("21.3", 5),
    ("22.1", 10),
    ("22.2", 5),
    ("22.3", 10),
    ("23.1", 10),
    ("23.2", 10),
    ("24", 15),
    ("25.1", 10),
    ("25.2", 10),
];
/// 附件2 六、社会组织层面.
const SHEHUIZUZHI_PARTS: &[(&str, u32)] = &[
    ("26.1", 10),
    ("26.2", 10),
    ("26.3", 10),
    ("27.1", 10),
    ("27.2", 10),
    ("27.3", 10),
    ("27.4", 10),
    ("28.1", 10),
    ("28.2", 10),
    ("28.3", 10),
];

impl Kind {
    /// Every kind, in the standard's order.
    pub const ALL: [Kind; KINDS] = [
        Kind::Jiedao,
        Kind::Shequ,
        Kind::Xiaoqu,
        Kind::Louyu,
        Kind::Shangquan,
        Kind::Shehuizuzhi,
    ];

    /// The kind's name in the standard.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Jiedao => "街道",
            Kind::Shequ => "社区",
            Kind::Xiaoqu => "小区",
            Kind::Louyu => "商务楼宇",
            Kind::Shangquan => "商圈",
            Kind::Shehuizuzhi => "社会组织",
        }
    }

    /// The kind named `name`.
    pub fn from_name(name: &str) -> Option<Kind> {
        Some(match name {
            "街道" => Kind::Jiedao,
            "社区" => Kind::Shequ,
            "小区" => Kind::Xiaoqu,
            "商务楼宇" => Kind::Louyu,
            "商圈" => Kind::Shangquan,
            "社会组织" => Kind::Shehuizuzhi,
            _ => return None,
        })
    }

    /// The scored parts of the kind's scorecard: key and points, in order.
    pub fn parts(self) -> &'static [(&'static str, u32)] {
        match self {
            Kind::Jiedao => JIEDAO_PARTS,
            Kind::Shequ => SHEQU_PARTS,
            Kind::Xiaoqu => XIAOQU_PARTS,
            Kind::Louyu => LOUYU_PARTS,
            Kind::Shangquan => SHANGQUAN_PARTS,
            Kind::Shehuizuzhi => SHEHUIZUZHI_PARTS,
        }
    }

    /// Whether a unit of this kind may be the parent of a unit of kind `child`
    /// (`kind 街道 contains 社区, 商务楼宇, 商圈, 社会组织`, `kind 社区 contains 小区`).
    pub fn contains(self, child: Kind) -> bool {
        matches!(
            (self, child),
            (
                Kind::Jiedao,
                Kind::Shequ | Kind::Louyu | Kind::Shangquan | Kind::Shehuizuzhi
            ) | (Kind::Shequ, Kind::Xiaoqu)
        )
    }

    /// The height of the kind in the containment hierarchy: a parent is always higher than its
    /// children, so evaluating by increasing height is bottom-up.
    pub(super) fn height(self) -> usize {
        match self {
            Kind::Jiedao => 2,
            Kind::Shequ => 1,
            Kind::Xiaoqu | Kind::Louyu | Kind::Shangquan | Kind::Shehuizuzhi => 0,
        }
    }
}
