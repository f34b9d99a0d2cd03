//! The language's keywords, each with its English and Chinese spellings, as the grammar
//! (`grammar/standard.pest`) reads them: for tools that offer or explain them, such as an
//! editor's completion.

/// One keyword: its English spelling and its Chinese spellings (`and` is `并且` or `且`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keyword {
    /// The English spelling.
    pub en: &'static str,
    /// The Chinese spellings, the usual one first.
    pub zh: &'static [&'static str],
}

/// Every keyword, in the grammar's order.
pub const KEYWORDS: &[Keyword] = &[
    Keyword {
        en: "standard",
        zh: &["标准"],
    },
    Keyword {
        en: "title",
        zh: &["标题"],
    },
    Keyword {
        en: "issuer",
        zh: &["发文机关"],
    },
    Keyword {
        en: "number",
        zh: &["文号"],
    },
    Keyword {
        en: "source",
        zh: &["来源"],
    },
    Keyword {
        en: "effective",
        zh: &["有效期"],
    },
    Keyword {
        en: "kind",
        zh: &["单位"],
    },
    Keyword {
        en: "contains",
        zh: &["包含"],
    },
    Keyword {
        en: "facts",
        zh: &["填报"],
    },
    Keyword {
        en: "param",
        zh: &["参数"],
    },
    Keyword {
        en: "derive",
        zh: &["计算"],
    },
    Keyword {
        en: "requirements",
        zh: &["要求"],
    },
    Keyword {
        en: "group",
        zh: &["分组"],
    },
    Keyword {
        en: "scorecard",
        zh: &["评分"],
    },
    Keyword {
        en: "total",
        zh: &["总分"],
    },
    Keyword {
        en: "item",
        zh: &["项目"],
    },
    Keyword {
        en: "part",
        zh: &["分项"],
    },
    Keyword {
        en: "max",
        zh: &["满分"],
    },
    Keyword {
        en: "tiers",
        zh: &["等级"],
    },
    Keyword {
        en: "requires",
        zh: &["基于"],
    },
    Keyword {
        en: "veto",
        zh: &["否决"],
    },
    Keyword {
        en: "blocks",
        zh: &["阻止"],
    },
    Keyword {
        en: "cite",
        zh: &["依据"],
    },
    Keyword {
        en: "text",
        zh: &["原文"],
    },
    Keyword {
        en: "score",
        zh: &["得分"],
    },
    Keyword {
        en: "all",
        zh: &["所有"],
    },
    Keyword {
        en: "any",
        zh: &["任一"],
    },
    Keyword {
        en: "count",
        zh: &["数量"],
    },
    Keyword {
        en: "share",
        zh: &["比例"],
    },
    Keyword {
        en: "sum",
        zh: &["合计"],
    },
    Keyword {
        en: "of",
        zh: &["的"],
    },
    Keyword {
        en: "direct",
        zh: &["直属"],
    },
    Keyword {
        en: "at",
        zh: &["达到"],
    },
    Keyword {
        en: "where",
        zh: &["满足"],
    },
    Keyword {
        en: "ifnone",
        zh: &["若无"],
    },
    Keyword {
        en: "if",
        zh: &["如果"],
    },
    Keyword {
        en: "then",
        zh: &["则"],
    },
    Keyword {
        en: "else",
        zh: &["否则"],
    },
    Keyword {
        en: "and",
        zh: &["并且", "且"],
    },
    Keyword {
        en: "or",
        zh: &["或者", "或"],
    },
    Keyword {
        en: "not",
        zh: &["非"],
    },
    Keyword {
        en: "true",
        zh: &["是"],
    },
    Keyword {
        en: "false",
        zh: &["否"],
    },
    Keyword {
        en: "when",
        zh: &["仅当"],
    },
    Keyword {
        en: "as_of",
        zh: &["评价日期"],
    },
    Keyword {
        en: "target",
        zh: &["目标"],
    },
    Keyword {
        en: "on",
        zh: &["针对"],
    },
    Keyword {
        en: "overall",
        zh: &["全域"],
    },
    Keyword {
        en: "due",
        zh: &["截至"],
    },
    Keyword {
        en: "soft",
        zh: &["力争"],
    },
    Keyword {
        en: "quota",
        zh: &["指标表"],
    },
    Keyword {
        en: "columns",
        zh: &["各期"],
    },
    Keyword {
        en: "consequence",
        zh: &["兑现"],
    },
    Keyword {
        en: "amount",
        zh: &["数额"],
    },
    Keyword {
        en: "split",
        zh: &["分担"],
    },
    Keyword {
        en: "omit",
        zh: &["未编码"],
    },
    Keyword {
        en: "reason",
        zh: &["原因"],
    },
    Keyword {
        en: "rank",
        zh: &["排名"],
    },
    Keyword {
        en: "peers",
        zh: &["同类数"],
    },
    Keyword {
        en: "among",
        zh: &["比较范围"],
    },
    Keyword {
        en: "siblings",
        zh: &["同级"],
    },
    Keyword {
        en: "ties",
        zh: &["并列时"],
    },
    Keyword {
        en: "shared",
        zh: &["名次相同"],
    },
    Keyword {
        en: "by_id",
        zh: &["按编号"],
    },
    Keyword {
        en: "ascending",
        zh: &["升序"],
    },
    Keyword {
        en: "unrated",
        zh: &["不定级"],
    },
    Keyword {
        en: "cap",
        zh: &["封顶"],
    },
    Keyword {
        en: "unless",
        zh: &["除非"],
    },
    Keyword {
        en: "limit",
        zh: &["限额"],
    },
    Keyword {
        en: "floor",
        zh: &["比例下限"],
    },
    Keyword {
        en: "by",
        zh: &["按"],
    },
    Keyword {
        en: "round",
        zh: &["取整"],
    },
    Keyword {
        en: "down",
        zh: &["向下"],
    },
    Keyword {
        en: "up",
        zh: &["向上"],
    },
    Keyword {
        en: "nearest",
        zh: &["四舍五入"],
    },
    Keyword {
        en: "records",
        zh: &["记录"],
    },
    Keyword {
        en: "guide",
        zh: &["指导比例"],
    },
    Keyword {
        en: "about",
        zh: &["约"],
    },
    Keyword {
        en: "or_below",
        zh: &["及以下"],
    },
];

#[cfg(test)]
mod tests {
    use super::KEYWORDS;

    /// Every spelling is a keyword of the grammar, and the grammar has no other: a name cannot be
    /// any of these words, and a word that is not one of these is a name.
    #[test]
    fn the_grammar_reads_every_spelling_as_a_keyword() {
        for k in KEYWORDS {
            for w in std::iter::once(&k.en).chain(k.zh) {
                assert!(crate::parser::is_keyword(w), "`{w}` is not a keyword");
            }
        }
        assert_eq!(KEYWORDS.len(), 79);
        for w in ["绿化面积", "kinds", "标准型", "scores"] {
            assert!(!crate::parser::is_keyword(w), "`{w}` is a keyword");
        }
    }
}
