//! From text to syntax tree: the pest grammar in `grammar/standard.pest`, then a walk over its
//! pairs that builds the typed tree of [`crate::ast`].

use crate::ast::*;
use crate::error::{Expected, SyntaxError, SyntaxErrorKind};
use crate::prescan::{prescan, SourceLimits, MAX_TERMS};
use pest::iterators::Pair;
use pest::Parser as _;
use rust_decimal::Decimal;

#[derive(pest_derive::Parser)]
#[grammar = "../../grammar/standard.pest"]
struct StdParser;

type P<'a> = Pair<'a, Rule>;

/// The children of a pair, without punctuation (named in the grammar only for error messages).
type Kids<'a> =
    std::iter::Peekable<std::iter::Filter<pest::iterators::Pairs<'a, Rule>, fn(&P<'a>) -> bool>>;

fn not_punctuation(p: &Pair<'_, Rule>) -> bool {
    !matches!(
        p.as_rule(),
        Rule::colon
            | Rule::comma
            | Rule::lparen
            | Rule::rparen
            | Rule::lbrace
            | Rule::rbrace
            | Rule::semi
    )
}

fn kids<'a>(p: P<'a>) -> Kids<'a> {
    let keep: fn(&P<'a>) -> bool = not_punctuation;
    p.into_inner().filter(keep).peekable()
}

/// Parses a whole `.std` file within the default [`SourceLimits`]. On failure, returns every
/// problem the scan before parsing found, or the first place the grammar could not go on.
pub fn parse(src: &str) -> Result<File, Vec<SyntaxError>> {
    parse_with(src, &SourceLimits::default())
}

/// As [`parse`], within `limits`.
pub fn parse_with(src: &str, limits: &SourceLimits) -> Result<File, Vec<SyntaxError>> {
    // The grammar is recursive; nesting is bounded by the scan before parsing, and the parse
    // runs on a stack large enough for that bound whatever thread calls it.
    stacker::grow(PARSE_STACK, || parse_on_stack(src, limits))
}

/// Stack for one parse: enough for the deepest nesting the scan before parsing lets through.
const PARSE_STACK: usize = 64 * 1024 * 1024;

fn parse_on_stack(src: &str, limits: &SourceLimits) -> Result<File, Vec<SyntaxError>> {
    let pre = prescan(src, limits);
    if !pre.is_empty() {
        return Err(pre);
    }
    let mut pairs = match StdParser::parse(Rule::file, src) {
        Ok(p) => p,
        Err(e) => return Err(resume_after(src, convert_error(src, 0, e))),
    };
    let file = pairs.next().ok_or_else(|| {
        vec![SyntaxError {
            kind: SyntaxErrorKind::Unexpected {
                expected: vec![Expected {
                    zh: "`standard` / `标准`".into(),
                    en: "`standard` / `标准`".into(),
                }],
                found: None,
                keyword: None,
            },
            span: Span::new(0, 0),
        }]
    })?;
    let mut b = Builder { errors: Vec::new() };
    let ast = b.file(file);
    if b.errors.is_empty() {
        Ok(ast)
    } else {
        Err(b.errors)
    }
}

/// The span of a pair without the white space and comments that the grammar's implicit
/// separators let it swallow at its end.
fn span(p: &P) -> Span {
    let s = p.as_span();
    let mut text = s.as_str();
    loop {
        text = text.trim_end();
        let line_start = text.rfind('\n').map_or(0, |i| i + 1);
        match comment_start(&text[line_start..]) {
            Some(c) => text = &text[..line_start + c],
            None => break,
        }
    }
    Span::new(s.start(), s.start() + text.len())
}

/// Where a `#` comment starts in one line, outside strings.
fn comment_start(line: &str) -> Option<usize> {
    let (mut ascii, mut cjk) = (false, 0usize);
    for (i, c) in line.char_indices() {
        match c {
            '"' if cjk == 0 => ascii = !ascii,
            '“' if !ascii => cjk += 1,
            '”' if !ascii => cjk = cjk.saturating_sub(1),
            '#' if !ascii && cjk == 0 => return Some(i),
            _ => {}
        }
    }
    None
}

/// Words a policy writer knows for the grammar's rule names, in Chinese and in English.
fn describe(rule: Rule) -> Option<(&'static str, &'static str)> {
    let keyword = |k: &'static str| Some((k, k));
    match rule {
        Rule::kw_standard => keyword("`standard` / `标准`"),
        Rule::kw_kind => keyword("`kind` / `单位`"),
        Rule::kw_facts => keyword("`facts` / `填报`"),
        Rule::kw_param => keyword("`param` / `参数`"),
        Rule::kw_derive => keyword("`derive` / `计算`"),
        Rule::kw_requirements => keyword("`requirements` / `要求`"),
        Rule::kw_scorecard => keyword("`scorecard` / `评分`"),
        Rule::kw_tiers => keyword("`tiers` / `等级`"),
        Rule::kw_veto => keyword("`veto` / `否决`"),
        Rule::kw_total => keyword("`total` / `总分`"),
        Rule::kw_item => keyword("`item` / `项目`"),
        Rule::kw_part => keyword("`part` / `分项`"),
        Rule::kw_max => keyword("`max` / `满分`"),
        Rule::kw_blocks => keyword("`blocks` / `阻止`"),
        Rule::kw_contains => keyword("`contains` / `包含`"),
        Rule::kw_requires => keyword("`requires` / `基于`"),
        Rule::kw_cite => keyword("`cite` / `依据`"),
        Rule::kw_text => keyword("`text` / `原文`"),
        Rule::kw_then => keyword("`then` / `则`"),
        Rule::kw_else => keyword("`else` / `否则`"),
        Rule::kw_group => keyword("`group` / `分组`"),
        Rule::kw_at => keyword("`at` / `达到`"),
        Rule::kw_where => keyword("`where` / `满足`"),
        Rule::kw_of => keyword("`of` / `的`"),
        Rule::kw_if_none => keyword("`ifnone` / `若无`"),
        Rule::kw_and => keyword("`and` / `且`"),
        Rule::kw_or => keyword("`or` / `或`"),
        Rule::kw_when => keyword("`when` / `仅当`"),
        Rule::kw_on => keyword("`on` / `针对`"),
        Rule::kw_overall => keyword("`overall` / `全域`"),
        Rule::kw_due => keyword("`due` / `截至`"),
        Rule::kw_columns => keyword("`columns` / `各期`"),
        Rule::kw_amount => keyword("`amount` / `数额`"),
        Rule::kw_reason => keyword("`reason` / `原因`"),
        Rule::kw_among => keyword("`among` / `比较范围`"),
        Rule::kw_ties => keyword("`ties` / `并列时`"),
        Rule::scope => Some((
            "排名范围（`siblings` 同级、`all` 所有，或上级单位类型）",
            "peers (`siblings`, `all`, or a containing kind)",
        )),
        Rule::tie_rule => Some((
            "并列规则（`shared` 名次相同、`by_id` 按编号）",
            "a tie rule (`shared` or `by_id`)",
        )),
        Rule::dated_values | Rule::dated_value => {
            Some(("分期的值（`起始日 .. 截止日: 值`）", "values by period (`from .. to: value`)"))
        }
        Rule::quota_row => Some(("指标行（`\"单位\": 值, 值, …`）", "a quota row (`\"unit\": value, value, …`)")),
        Rule::colon => keyword("`:`"),
        Rule::comma => keyword("`,`"),
        Rule::lparen => keyword("`(`"),
        Rule::rparen => keyword("`)`"),
        Rule::lbrace => keyword("`{`"),
        Rule::rbrace => keyword("`}`"),
        Rule::header_field
        | Rule::title_field
        | Rule::issuer_field
        | Rule::number_field
        | Rule::source_field
        | Rule::effective_field => Some((
            "文件头字段（`title` 标题、`issuer` 发文机关、`number` 文号、`source` 来源、`effective` 有效期）",
            "a header field (`title`, `issuer`, `number`, `source`, `effective`)",
        )),
        Rule::ident | Rule::name | Rule::kind_list => Some(("名称", "a name")),
        Rule::slug => Some(("标识，例如 `haiyan-2021`", "an identifier such as `haiyan-2021`")),
        Rule::string | Rule::doc | Rule::ascii_string | Rule::cjk_string => {
            Some(("带引号的文字", "a string in quotes"))
        }
        Rule::date => Some(("日期，例如 `2021-06-30`", "a date such as `2021-06-30`")),
        Rule::int | Rule::item_key => Some(("整数", "a whole number")),
        Rule::decimal | Rule::quantity => Some(("数", "a number")),
        Rule::literal => Some(("值（数、日期、`true` 或 `false`）", "a value (number, date, `true` or `false`)")),
        Rule::type_expr | Rule::simple_type | Rule::enum_type => Some((
            "类型（`bool` 是否、`int` 整数、`decimal` 小数、`percent` 百分比、`money` 金额、`area` 面积、`hours` 学时数、`points` 分值、`days` 天数、`date` 日期、`enum(…)` 档次）",
            "a type (`bool`, `int`, `decimal`, `percent`, `money`, `area`, `hours`, `points`, `days`, `date`, `enum(…)`)",
        )),
        Rule::expr
        | Rule::or_expr
        | Rule::and_expr
        | Rule::not_expr
        | Rule::cmp_expr
        | Rule::sum_expr
        | Rule::prod_expr
        | Rule::unary
        | Rule::if_expr
        | Rule::aggregate
        | Rule::call
        | Rule::score_ref => Some(("表达式", "an expression")),
        Rule::cmp_op => Some(("比较（`>=`、`不少于` 等）", "a comparison (`>=`, `不少于`, …)")),
        Rule::add_op | Rule::mul_op => Some(("运算符", "an operator")),
        Rule::citation => keyword("`cite \"…\"`"),
        Rule::fact_decl => Some(("填报项（`名称: 类型`）", "a fact (`名称: 类型`)")),
        Rule::derived => Some(("计算值（`名称 = 表达式`）", "a derived value (`名称 = 表达式`)")),
        Rule::requirement | Rule::group => Some((
            "要求（`名称: 条件`）或 `group` 分组",
            "a requirement (`名称: 条件`) or `group`",
        )),
        Rule::item => keyword("`item` / `项目`"),
        Rule::part => keyword("`part` / `分项`"),
        Rule::tier => Some(("等级（`名称 { 条件 … }`）", "a tier (`名称 { 条件 … }`)")),
        Rule::condition => Some(("条件", "a condition")),
        Rule::kind_decl
        | Rule::facts_decl
        | Rule::param_decl
        | Rule::derive_decl
        | Rule::requirements_decl
        | Rule::scorecard_decl
        | Rule::tiers_decl
        | Rule::veto_decl
        | Rule::target_decl
        | Rule::quota_decl
        | Rule::consequence_decl
        | Rule::omit_decl => Some((
            "声明（`kind`、`facts`、`param`、`derive`、`requirements`、`scorecard`、`tiers`、`veto`、`target`、`quota`、`consequence`、`omit`）",
            "a declaration (`kind`, `facts`, `param`, `derive`, `requirements`, `scorecard`, `tiers`, `veto`, `target`, `quota`, `consequence`, `omit`)",
        )),
        Rule::EOI => Some(("文件结尾", "the end of the file")),
        _ => None,
    }
}

/// Most syntax errors reported for one file.
const MAX_SYNTAX_ERRORS: usize = 20;

/// Declaration keywords a line may start with, where parsing resumes after an error.
const DECL_KEYWORDS: &[&str] = &[
    "kind",
    "facts",
    "param",
    "derive",
    "requirements",
    "scorecard",
    "tiers",
    "veto",
    "单位",
    "填报",
    "参数",
    "计算",
    "要求",
    "评分",
    "等级",
    "否决",
];

/// After the first syntax error, resumes at each following line that starts a declaration, so
/// that every syntax error of the file is reported at once.
fn resume_after(src: &str, first: SyntaxError) -> Vec<SyntaxError> {
    let mut errors = vec![first];
    while errors.len() < MAX_SYNTAX_ERRORS {
        let after = errors.last().map_or(0, |e| e.span.start);
        let Some(start) = next_declaration(src, after) else {
            break;
        };
        match StdParser::parse(Rule::decls, &src[start..]) {
            Ok(_) => break,
            Err(e) => {
                let err = convert_error(&src[start..], start, e);
                if err.span.start <= after {
                    break;
                }
                errors.push(err);
            }
        }
    }
    errors
}

/// The byte offset of the first line after `pos` that starts with a declaration keyword.
fn next_declaration(src: &str, pos: usize) -> Option<usize> {
    let mut offset = src[pos..].find('\n')? + pos + 1;
    while offset < src.len() {
        let line = &src[offset..];
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        let word: String = line[indent..]
            .chars()
            .take_while(|c| !c.is_whitespace())
            .collect();
        if DECL_KEYWORDS.contains(&word.as_str()) {
            return Some(offset + indent);
        }
        offset += line.find('\n')? + 1;
    }
    None
}

/// The keyword `rest` starts with, if any, unless it starts a declaration (then the likelier
/// mistake is an unclosed block before it).
fn leading_keyword(rest: &str) -> Option<String> {
    let p = StdParser::parse(Rule::keyword, rest).ok()?.next()?;
    let word = p.as_str();
    (!DECL_KEYWORDS.contains(&word)).then(|| word.to_string())
}

/// Converts a pest error in `src` (which starts at byte `base` of the file).
fn convert_error(src: &str, base: usize, e: pest::error::Error<Rule>) -> SyntaxError {
    let pos = match e.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    };
    let mut expected: Vec<Expected> = Vec::new();
    if let pest::error::ErrorVariant::ParsingError { positives, .. } = &e.variant {
        for (zh, en) in positives.iter().filter_map(|r| describe(*r)) {
            if !expected.iter().any(|x| x.en == en) {
                expected.push(Expected {
                    zh: zh.to_string(),
                    en: en.to_string(),
                });
            }
        }
    }
    let rest = src.get(pos..).unwrap_or("");
    let found: Option<String> = if rest.is_empty() {
        None
    } else {
        let word: String = rest
            .chars()
            .take_while(|c| !c.is_whitespace())
            .take(12)
            .collect();
        Some(if word.is_empty() {
            rest.chars().take(1).collect()
        } else {
            word
        })
    };
    let len = found.as_ref().map_or(0, |f| f.len());
    // A keyword where a name could stand is the likeliest mistake: say so.
    let keyword = if expected.iter().any(|e| e.en == "a name") {
        leading_keyword(rest)
    } else {
        None
    };
    SyntaxError {
        kind: SyntaxErrorKind::Unexpected {
            expected,
            found,
            keyword,
        },
        span: Span::new(base + pos, base + pos + len),
    }
}

struct Builder {
    errors: Vec<SyntaxError>,
}

impl Builder {
    fn err(&mut self, kind: SyntaxErrorKind, span: Span) {
        self.errors.push(SyntaxError { kind, span });
    }

    fn file(&mut self, p: P) -> File {
        let mut header = None;
        let mut decls = Vec::new();
        for c in kids(p) {
            match c.as_rule() {
                Rule::header => header = Some(self.header(c)),
                Rule::EOI => {}
                _ => decls.push(self.decl(c)),
            }
        }
        File {
            header: header.unwrap_or(Header {
                slug: Ident {
                    name: String::new(),
                    span: Span::default(),
                },
                title: None,
                issuer: None,
                number: None,
                source: None,
                effective: None,
                span: Span::default(),
            }),
            decls,
        }
    }

    fn header(&mut self, p: P) -> Header {
        let sp = span(&p);
        let mut it = kids(p);
        it.next(); // keyword
        let slug = it.next().map(ident).unwrap_or(Ident {
            name: String::new(),
            span: sp,
        });
        let mut h = Header {
            slug,
            title: None,
            issuer: None,
            number: None,
            source: None,
            effective: None,
            span: sp,
        };
        for f in it {
            let Some(f) = kids(f).next() else {
                continue;
            };
            let rule = f.as_rule();
            let mut inner = kids(f).skip(1);
            match rule {
                Rule::effective_field => {
                    let from = inner.next().and_then(|d| self.date(d));
                    let to = inner.next().and_then(|d| self.date(d));
                    if let (Some(a), Some(b)) = (from, to) {
                        if h.effective.is_some() {
                            let span = Span::new(a.span.start, b.span.end);
                            self.err(SyntaxErrorKind::DuplicateField("effective".into()), span);
                        }
                        h.effective = Some((a, b));
                    }
                }
                _ => {
                    let t = inner.next().map(text);
                    let (slot, field) = match rule {
                        Rule::title_field => (&mut h.title, "title"),
                        Rule::issuer_field => (&mut h.issuer, "issuer"),
                        Rule::number_field => (&mut h.number, "number"),
                        _ => (&mut h.source, "source"),
                    };
                    if slot.is_some() {
                        let span = t.as_ref().map_or(sp, |x| x.span);
                        self.err(SyntaxErrorKind::DuplicateField(field.into()), span);
                    }
                    *slot = t;
                }
            }
        }
        h
    }

    fn decl(&mut self, p: P) -> Decl {
        match p.as_rule() {
            Rule::kind_decl => Decl::Kind(self.kind_decl(p)),
            Rule::facts_decl => Decl::Facts(self.facts_decl(p)),
            Rule::param_decl => Decl::Param(self.param_decl(p)),
            Rule::derive_decl => Decl::Derive(self.derive_decl(p)),
            Rule::requirements_decl => Decl::Requirements(self.requirements_decl(p)),
            Rule::scorecard_decl => Decl::Scorecard(self.scorecard_decl(p)),
            Rule::tiers_decl => Decl::Tiers(self.tiers_decl(p)),
            Rule::target_decl => Decl::Target(self.target_decl(p)),
            Rule::quota_decl => Decl::Quota(self.quota_decl(p)),
            Rule::consequence_decl => Decl::Consequence(self.consequence_decl(p)),
            Rule::omit_decl => {
                let sp = span(&p);
                let mut it = kids(p);
                it.next();
                let clause = it.next().map(text).unwrap_or(Text {
                    value: String::new(),
                    span: sp,
                });
                it.next();
                let reason = it.next().map(text).unwrap_or(Text {
                    value: String::new(),
                    span: sp,
                });
                Decl::Omit(OmitDecl {
                    clause,
                    reason,
                    span: sp,
                })
            }
            _ => Decl::Veto(self.veto_decl(p)),
        }
    }

    /// Reads the optional trailing `doc` and `citation` of a rule.
    fn annotation<'a>(&mut self, it: &mut Kids<'a>) -> Annotation {
        let mut ann = Annotation::default();
        if let Some(p) = it.next_if(|p| p.as_rule() == Rule::doc) {
            ann.doc = kids(p).next().map(text);
        }
        if let Some(p) = it.next_if(|p| p.as_rule() == Rule::citation) {
            ann.cite = Some(citation(p));
        }
        ann
    }

    fn kind_decl(&mut self, p: P) -> KindDecl {
        let sp = span(&p);
        let mut it = kids(p);
        it.next(); // kind
        let name = next_ident(&mut it, sp);
        let mut contains = Vec::new();
        if it.next_if(|p| p.as_rule() == Rule::kw_contains).is_some() {
            if let Some(l) = it.next() {
                contains = kind_list(l);
            }
        }
        let ann = self.annotation(&mut it);
        KindDecl {
            name,
            contains,
            ann,
            span: sp,
        }
    }

    fn facts_decl(&mut self, p: P) -> FactsDecl {
        let sp = span(&p);
        let mut it = kids(p);
        it.next();
        let kinds = it.next().map(kind_list).unwrap_or_default();
        let facts = it
            .map(|f| {
                let fsp = span(&f);
                let mut fi = kids(f);
                let name = next_ident(&mut fi, fsp);
                let ty = fi
                    .next()
                    .map(type_expr)
                    .unwrap_or(TypeExpr::Simple(SimpleType::Bool, fsp));
                let ann = self.annotation(&mut fi);
                FactDecl {
                    name,
                    ty,
                    ann,
                    span: fsp,
                }
            })
            .collect();
        FactsDecl {
            kinds,
            facts,
            span: sp,
        }
    }

    fn param_decl(&mut self, p: P) -> ParamDecl {
        let sp = span(&p);
        let mut it = kids(p);
        it.next();
        let name = next_ident(&mut it, sp);
        let ty = it
            .next_if(|p| p.as_rule() == Rule::type_expr)
            .map(type_expr);
        let value = match it.next_if(|p| matches!(p.as_rule(), Rule::literal | Rule::dated_values))
        {
            Some(v) if v.as_rule() == Rule::literal => self.literal(v).map(ParamValue::Fixed),
            Some(v) => Some(ParamValue::Dated(
                kids(v)
                    .filter_map(|dv| {
                        let mut d = kids(dv);
                        let from = d.next().and_then(|x| self.date(x))?;
                        let to = d.next().and_then(|x| self.date(x))?;
                        let value = d.next().and_then(|x| self.literal(x))?;
                        Some((from, to, value))
                    })
                    .collect(),
            )),
            None => None,
        };
        let ann = self.annotation(&mut it);
        ParamDecl {
            name,
            ty,
            value,
            ann,
            span: sp,
        }
    }

    fn derive_decl(&mut self, p: P) -> DeriveDecl {
        let sp = span(&p);
        let mut it = kids(p);
        it.next();
        let kinds = it.next().map(kind_list).unwrap_or_default();
        let values = it
            .map(|d| {
                let dsp = span(&d);
                let mut di = kids(d);
                let name = next_ident(&mut di, dsp);
                let ty = di
                    .next_if(|p| p.as_rule() == Rule::type_expr)
                    .map(type_expr);
                let expr = self.next_expr(&mut di, dsp);
                let ann = self.annotation(&mut di);
                DerivedDecl {
                    name,
                    ty,
                    expr,
                    ann,
                    span: dsp,
                }
            })
            .collect();
        DeriveDecl {
            kinds,
            values,
            span: sp,
        }
    }

    fn requirements_decl(&mut self, p: P) -> RequirementsDecl {
        let sp = span(&p);
        let mut it = kids(p);
        it.next();
        let kinds = it.next().map(kind_list).unwrap_or_default();
        let group = self.group_body(&mut it, sp);
        RequirementsDecl { kinds, group }
    }

    fn group_body<'a>(&mut self, it: &mut Kids<'a>, sp: Span) -> Group {
        let name = next_ident(it, sp);
        let ann = self.annotation(it);
        let mut members = Vec::new();
        for m in it {
            let msp = span(&m);
            match m.as_rule() {
                Rule::group => {
                    let mut gi = kids(m);
                    gi.next(); // group keyword
                    members.push(GroupMember::Group(self.group_body(&mut gi, msp)));
                }
                _ => {
                    let mut ri = kids(m);
                    let name = next_ident(&mut ri, msp);
                    let expr = self.next_expr(&mut ri, msp);
                    let when = if ri.next_if(|p| p.as_rule() == Rule::kw_when).is_some() {
                        Some(self.next_expr(&mut ri, msp))
                    } else {
                        None
                    };
                    let ann = self.annotation(&mut ri);
                    members.push(GroupMember::Requirement(Box::new(RequirementDecl {
                        name,
                        expr,
                        when,
                        ann,
                        span: msp,
                    })));
                }
            }
        }
        Group {
            name,
            ann,
            members,
            span: sp,
        }
    }

    fn scorecard_decl(&mut self, p: P) -> ScorecardDecl {
        let sp = span(&p);
        let mut it = kids(p);
        it.next();
        let kinds = it.next().map(kind_list).unwrap_or_default();
        it.next(); // total
        let total = self.next_quantity(&mut it, sp);
        let ann = self.annotation(&mut it);
        let items = it.map(|i| self.item(i)).collect();
        ScorecardDecl {
            kinds,
            total,
            ann,
            items,
            span: sp,
        }
    }

    fn item(&mut self, p: P) -> ItemDecl {
        let sp = span(&p);
        let mut it = kids(p);
        it.next(); // item
        let number = self.next_int(&mut it, sp);
        let title = it.next().map(text).unwrap_or(Text {
            value: String::new(),
            span: sp,
        });
        it.next(); // max
        let max = self.next_quantity(&mut it, sp);
        let ann = self.annotation(&mut it);
        let parts = it
            .map(|pp| {
                let psp = span(&pp);
                let mut pi = kids(pp);
                pi.next(); // part
                let number = self.next_int(&mut pi, psp);
                let text = pi.next().map(text).unwrap_or(Text {
                    value: String::new(),
                    span: psp,
                });
                let points = self.next_quantity(&mut pi, psp);
                let cite = pi.next().map(citation);
                PartDecl {
                    number,
                    text,
                    points,
                    cite,
                    span: psp,
                }
            })
            .collect();
        ItemDecl {
            number,
            title,
            max,
            ann,
            parts,
            span: sp,
        }
    }

    fn tiers_decl(&mut self, p: P) -> TiersDecl {
        let sp = span(&p);
        let mut it = kids(p);
        it.next();
        let kinds = it.next().map(kind_list).unwrap_or_default();
        let ann = self.annotation(&mut it);
        let tiers = it
            .map(|t| {
                let tsp = span(&t);
                let mut ti = kids(t);
                let name = next_ident(&mut ti, tsp);
                let mut requires = Vec::new();
                if ti.next_if(|p| p.as_rule() == Rule::kw_requires).is_some() {
                    requires = ti.next().map(kind_list).unwrap_or_default();
                }
                let ann = self.annotation(&mut ti);
                let conditions = ti.map(|c| self.condition(c)).collect();
                TierDecl {
                    name,
                    requires,
                    ann,
                    conditions,
                    span: tsp,
                }
            })
            .collect();
        TiersDecl {
            kinds,
            ann,
            tiers,
            span: sp,
        }
    }

    fn condition(&mut self, p: P) -> ConditionDecl {
        let sp = span(&p);
        let mut it = kids(p);
        let label = it.next_if(|p| p.as_rule() == Rule::ident).map(ident);
        let expr = self.next_expr(&mut it, sp);
        let ann = self.annotation(&mut it);
        ConditionDecl {
            label,
            expr,
            ann,
            span: sp,
        }
    }

    fn veto_decl(&mut self, p: P) -> VetoDecl {
        let sp = span(&p);
        let mut it = kids(p);
        it.next();
        let kinds = it.next().map(kind_list).unwrap_or_default();
        let name = next_ident(&mut it, sp);
        let expr = self.next_expr(&mut it, sp);
        it.next(); // blocks
        let blocks = it.next().map(kind_list).unwrap_or_default();
        let ann = self.annotation(&mut it);
        VetoDecl {
            kinds,
            name,
            expr,
            blocks,
            ann,
            span: sp,
        }
    }

    fn target_decl(&mut self, p: P) -> TargetDecl {
        let sp = span(&p);
        let mut it = kids(p);
        it.next(); // target
        let name = next_ident(&mut it, sp);
        let scope = if it.next_if(|p| p.as_rule() == Rule::kw_overall).is_some() {
            TargetScope::Overall
        } else {
            it.next(); // on
            TargetScope::Kinds(it.next().map(kind_list).unwrap_or_default())
        };
        it.next(); // due
        let due = if it.next_if(|p| p.as_rule() == Rule::kw_quota).is_some() {
            Due::Quota(next_ident(&mut it, sp))
        } else {
            match it.next().and_then(|d| self.date(d)) {
                Some(d) => Due::Date(d),
                None => Due::Quota(Ident {
                    name: String::new(),
                    span: sp,
                }),
            }
        };
        let soft = it.next_if(|p| p.as_rule() == Rule::kw_soft).is_some();
        let expr = self.next_expr(&mut it, sp);
        let ann = self.annotation(&mut it);
        TargetDecl {
            name,
            scope,
            due,
            soft,
            expr,
            ann,
            span: sp,
        }
    }

    fn quota_decl(&mut self, p: P) -> QuotaDecl {
        let sp = span(&p);
        let mut it = kids(p);
        it.next(); // quota
        let name = next_ident(&mut it, sp);
        let ty = it
            .next()
            .map(type_expr)
            .unwrap_or(TypeExpr::Simple(SimpleType::Int, sp));
        it.next(); // on
        let kind = next_ident(&mut it, sp);
        let ann = self.annotation(&mut it);
        it.next(); // columns
        let mut columns = Vec::new();
        while let Some(d) = it.next_if(|p| p.as_rule() == Rule::date) {
            if let Some(d) = self.date(d) {
                columns.push(d);
            }
        }
        let rows = it
            .map(|r| {
                let rsp = span(&r);
                let mut ri = kids(r);
                let unit = match ri.next() {
                    Some(u) if u.as_rule() == Rule::string => {
                        let t = text(u);
                        Ident {
                            name: t.value,
                            span: t.span,
                        }
                    }
                    Some(u) => ident(u),
                    None => Ident {
                        name: String::new(),
                        span: rsp,
                    },
                };
                let values = ri.filter_map(|l| self.literal(l)).collect();
                QuotaRow {
                    unit,
                    values,
                    span: rsp,
                }
            })
            .collect();
        QuotaDecl {
            name,
            ty,
            kind,
            ann,
            columns,
            rows,
            span: sp,
        }
    }

    fn consequence_decl(&mut self, p: P) -> ConsequenceDecl {
        let sp = span(&p);
        let mut it = kids(p);
        it.next(); // consequence
        let name = next_ident(&mut it, sp);
        it.next(); // on
        let kinds = it.next().map(kind_list).unwrap_or_default();
        it.next(); // when
        let when = self.next_expr(&mut it, sp);
        it.next(); // amount
        let amount = self.next_expr(&mut it, sp);
        let mut split = Vec::new();
        if it.next_if(|p| p.as_rule() == Rule::kw_split).is_some() {
            while let Some(sh) = it.next_if(|p| p.as_rule() == Rule::share) {
                let ssp = span(&sh);
                let mut si = kids(sh);
                let who = next_ident(&mut si, ssp);
                let q = self.next_quantity(&mut si, ssp);
                split.push((who, q));
            }
        }
        let ann = self.annotation(&mut it);
        ConsequenceDecl {
            name,
            kinds,
            when,
            amount,
            split,
            ann,
            span: sp,
        }
    }

    // ------------------------------------------------------------ pieces

    fn next_expr<'a>(&mut self, it: &mut Kids<'a>, sp: Span) -> Expr {
        match it.next() {
            Some(e) => self.expr(e),
            None => Expr {
                kind: ExprKind::Literal(Literal::Bool(false, sp)),
                span: sp,
            },
        }
    }

    fn next_int<'a>(&mut self, it: &mut Kids<'a>, sp: Span) -> (u32, Span) {
        match it.next() {
            Some(p) => {
                let s = span(&p);
                match p.as_str().parse::<u32>() {
                    Ok(n) => (n, s),
                    Err(_) => {
                        self.err(SyntaxErrorKind::InvalidNumber(p.as_str().into()), s);
                        (0, s)
                    }
                }
            }
            None => (0, sp),
        }
    }

    fn next_quantity<'a>(&mut self, it: &mut Kids<'a>, sp: Span) -> Quantity {
        it.next().map(|q| self.quantity(q)).unwrap_or(Quantity {
            number: Decimal::ZERO,
            unit: UnitSuffix::None,
            span: sp,
        })
    }

    fn quantity(&mut self, p: P) -> Quantity {
        let sp = span(&p);
        let raw = p.as_str().trim().to_string();
        let mut it = kids(p);
        let num = it.next();
        let number = match num.as_ref().map(|n| Decimal::from_str_exact(n.as_str())) {
            Some(Ok(d)) => d,
            _ => {
                self.err(SyntaxErrorKind::InvalidNumber(raw), sp);
                Decimal::ZERO
            }
        };
        let unit = match it.next().map(|u| u.as_str().to_string()).as_deref() {
            None => UnitSuffix::None,
            Some("%" | "％") => UnitSuffix::Percent,
            Some("平方米" | "m²" | "m2" | "㎡") => UnitSuffix::SquareMetre,
            Some("万元") => UnitSuffix::WanYuan,
            Some("元") => UnitSuffix::Yuan,
            Some("学时" | "小时") => UnitSuffix::Hours,
            Some("分") => UnitSuffix::Points,
            Some("天") => UnitSuffix::Days,
            Some(_) => UnitSuffix::Count,
        };
        Quantity {
            number,
            unit,
            span: sp,
        }
    }

    fn date(&mut self, p: P) -> Option<DateLit> {
        let sp = span(&p);
        match chrono::NaiveDate::parse_from_str(p.as_str(), "%Y-%m-%d") {
            Ok(date) => Some(DateLit { date, span: sp }),
            Err(_) => {
                self.err(SyntaxErrorKind::InvalidDate(p.as_str().into()), sp);
                None
            }
        }
    }

    fn literal(&mut self, p: P) -> Option<Literal> {
        let sp = span(&p);
        let inner = kids(p).next()?;
        Some(match inner.as_rule() {
            Rule::kw_true => Literal::Bool(true, sp),
            Rule::kw_false => Literal::Bool(false, sp),
            Rule::date => Literal::Date(self.date(inner)?),
            _ => Literal::Quantity(self.quantity(inner)),
        })
    }

    fn expr(&mut self, p: P) -> Expr {
        let sp = span(&p);
        match p.as_rule() {
            Rule::expr => match kids(p).next() {
                Some(i) => self.expr(i),
                None => self.bad(sp),
            },
            Rule::or_expr | Rule::and_expr => {
                let is_or = p.as_rule() == Rule::or_expr;
                let operands: Vec<Expr> = kids(p)
                    .filter(|c| !matches!(c.as_rule(), Rule::kw_and | Rule::kw_or))
                    .map(|c| self.expr(c))
                    .collect();
                self.flatten(operands, is_or, sp)
            }
            Rule::not_expr => {
                let mut nots = 0usize;
                let mut inner = None;
                for c in kids(p) {
                    if c.as_rule() == Rule::kw_not {
                        nots += 1;
                    } else {
                        inner = Some(self.expr(c));
                    }
                }
                let e = inner.unwrap_or_else(|| self.bad(sp));
                // `not not x` is `x`, also under unknowns.
                if nots % 2 == 1 {
                    Expr {
                        kind: ExprKind::Not(Box::new(e)),
                        span: sp,
                    }
                } else {
                    e
                }
            }
            Rule::cmp_expr => {
                let mut it = kids(p);
                let lhs = match it.next() {
                    Some(l) => self.expr(l),
                    None => return self.bad(sp),
                };
                match (it.next(), it.next()) {
                    (Some(op), Some(rhs)) => {
                        let op = cmp_op(op.as_str());
                        let rhs = self.expr(rhs);
                        Expr {
                            kind: ExprKind::Compare(op, Box::new(lhs), Box::new(rhs)),
                            span: sp,
                        }
                    }
                    _ => lhs,
                }
            }
            Rule::sum_expr | Rule::prod_expr => {
                let mut it = kids(p);
                let mut acc = match it.next() {
                    Some(f) => self.expr(f),
                    None => return self.bad(sp),
                };
                let mut count = 1usize;
                while let (Some(op), Some(rhs)) = (it.next(), it.next()) {
                    count += 1;
                    if count > MAX_TERMS {
                        self.err(SyntaxErrorKind::TooLong { limit: MAX_TERMS }, sp);
                        return acc;
                    }
                    let op = match op.as_str() {
                        "+" => BinOp::Add,
                        "-" => BinOp::Sub,
                        "*" | "×" => BinOp::Mul,
                        _ => BinOp::Div,
                    };
                    let rhs = self.expr(rhs);
                    let s = Span::new(acc.span.start, rhs.span.end);
                    acc = Expr {
                        kind: ExprKind::Binary(op, Box::new(acc), Box::new(rhs)),
                        span: s,
                    };
                }
                acc
            }
            Rule::unary => {
                let mut negs = 0usize;
                let mut inner = None;
                for c in kids(p) {
                    if c.as_rule() == Rule::neg {
                        negs += 1;
                    } else {
                        inner = Some(self.expr(c));
                    }
                }
                let e = inner.unwrap_or_else(|| self.bad(sp));
                if negs % 2 == 1 {
                    Expr {
                        kind: ExprKind::Neg(Box::new(e)),
                        span: sp,
                    }
                } else {
                    e
                }
            }
            Rule::name => {
                let id = kids(p).next().map(ident).unwrap_or(Ident {
                    name: String::new(),
                    span: sp,
                });
                Expr {
                    kind: ExprKind::Name(id),
                    span: sp,
                }
            }
            Rule::literal => match self.literal(p) {
                Some(l) => Expr {
                    kind: ExprKind::Literal(l),
                    span: sp,
                },
                None => self.bad(sp),
            },
            Rule::score_ref => {
                let key = kids(p)
                    .find(|c| c.as_rule() == Rule::item_key)
                    .map(|k| (k.as_str().to_string(), span(&k)));
                Expr {
                    kind: ExprKind::Score(key),
                    span: sp,
                }
            }
            Rule::call => {
                let mut it = kids(p);
                // The name is an identifier or `max` (also a keyword).
                let f = it.next().map(ident).unwrap_or(Ident {
                    name: String::new(),
                    span: sp,
                });
                let args = it.map(|a| self.expr(a)).collect();
                Expr {
                    kind: ExprKind::Call(f, args),
                    span: sp,
                }
            }
            Rule::if_expr => {
                let mut parts: Vec<Expr> = kids(p)
                    .filter(|c| c.as_rule() == Rule::expr)
                    .map(|c| self.expr(c))
                    .collect();
                if parts.len() != 3 {
                    return self.bad(sp);
                }
                let e = parts.pop();
                let t = parts.pop();
                let c = parts.pop();
                match (c, t, e) {
                    (Some(c), Some(t), Some(e)) => Expr {
                        kind: ExprKind::If(Box::new(c), Box::new(t), Box::new(e)),
                        span: sp,
                    },
                    _ => self.bad(sp),
                }
            }
            Rule::aggregate => self.aggregate(p),
            Rule::as_of => Expr {
                kind: ExprKind::AsOf,
                span: sp,
            },
            Rule::rank => {
                let mut it = kids(p);
                it.next(); // rank
                let value = Box::new(self.next_expr(&mut it, sp));
                let ascending = it.next_if(|p| p.as_rule() == Rule::kw_ascending).is_some();
                it.next(); // among
                let scope = it.next().map(scope).unwrap_or(Scope::Siblings);
                it.next(); // ties
                let ties = match it.next().and_then(|t| kids(t).next()).map(|t| t.as_rule()) {
                    Some(Rule::kw_by_id) => Ties::ById,
                    _ => Ties::Shared,
                };
                Expr {
                    kind: ExprKind::Rank(Rank {
                        value,
                        ascending,
                        scope,
                        ties,
                    }),
                    span: sp,
                }
            }
            Rule::peers => {
                let mut it = kids(p);
                it.next(); // peers
                it.next(); // among
                Expr {
                    kind: ExprKind::Peers(it.next().map(scope).unwrap_or(Scope::Siblings)),
                    span: sp,
                }
            }
            _ => self.bad(sp),
        }
    }

    fn aggregate(&mut self, p: P) -> Expr {
        let sp = span(&p);
        let mut it = kids(p);
        let op = match it.next().and_then(|o| kids(o).next()).map(|k| k.as_rule()) {
            Some(Rule::kw_all) => AggOp::All,
            Some(Rule::kw_any) => AggOp::Any,
            Some(Rule::kw_count) => AggOp::Count,
            Some(Rule::kw_share) => AggOp::Share,
            _ => AggOp::Sum,
        };
        let direct = it.next_if(|p| p.as_rule() == Rule::kw_direct).is_some();
        let kinds = it.next().map(kind_list).unwrap_or_default();
        let mut agg = Aggregate {
            op,
            direct,
            kinds,
            at: None,
            filter: None,
            of: None,
            if_none: None,
        };
        while let Some(k) = it.next() {
            match k.as_rule() {
                Rule::kw_at => agg.at = it.next().map(ident),
                Rule::kw_where => agg.filter = it.next().map(|e| Box::new(self.expr(e))),
                Rule::kw_of => agg.of = it.next().map(|e| Box::new(self.expr(e))),
                Rule::kw_if_none => agg.if_none = it.next().and_then(|l| self.literal(l)),
                _ => {}
            }
        }
        Expr {
            kind: ExprKind::Aggregate(agg),
            span: sp,
        }
    }

    fn flatten(&mut self, mut operands: Vec<Expr>, is_or: bool, sp: Span) -> Expr {
        if operands.len() == 1 {
            if let Some(e) = operands.pop() {
                return e;
            }
        }
        Expr {
            kind: if is_or {
                ExprKind::Or(operands)
            } else {
                ExprKind::And(operands)
            },
            span: sp,
        }
    }

    /// A placeholder after an error already reported (the grammar guarantees the shape, so this
    /// is only reached on malformed trees).
    fn bad(&mut self, sp: Span) -> Expr {
        Expr {
            kind: ExprKind::Literal(Literal::Bool(false, sp)),
            span: sp,
        }
    }
}

fn ident(p: P) -> Ident {
    Ident {
        name: p.as_str().to_string(),
        span: span(&p),
    }
}

fn next_ident<'a>(it: &mut Kids<'a>, sp: Span) -> Ident {
    it.next().map(ident).unwrap_or(Ident {
        name: String::new(),
        span: sp,
    })
}

fn scope(p: P) -> Scope {
    match kids(p).next() {
        Some(s) if s.as_rule() == Rule::kw_all => Scope::All,
        Some(s) if s.as_rule() == Rule::ident => Scope::Within(ident(s)),
        _ => Scope::Siblings,
    }
}

fn kind_list(p: P) -> Vec<Ident> {
    kids(p).map(ident).collect()
}

fn text(p: P) -> Text {
    let sp = span(&p);
    // `string` wraps one of the two quoted forms; strip one quote character on each side.
    let raw = p.as_str();
    let mut chars = raw.chars();
    chars.next();
    chars.next_back();
    Text {
        value: chars.as_str().to_string(),
        span: sp,
    }
}

fn citation(p: P) -> Citation {
    let sp = span(&p);
    let mut it = kids(p);
    it.next(); // cite
    let clause = it.next().map(text).unwrap_or(Text {
        value: String::new(),
        span: sp,
    });
    it.next(); // text keyword
    let t = it.next().map(text);
    Citation { clause, text: t }
}

fn type_expr(p: P) -> TypeExpr {
    let sp = span(&p);
    let Some(inner) = kids(p).next() else {
        return TypeExpr::Simple(SimpleType::Bool, sp);
    };
    match inner.as_rule() {
        Rule::enum_type => TypeExpr::Enum(kids(inner).map(ident).collect(), sp),
        _ => TypeExpr::Simple(
            match inner.as_str() {
                "bool" | "是否" => SimpleType::Bool,
                "int" | "整数" => SimpleType::Int,
                "decimal" | "小数" => SimpleType::Decimal,
                "percent" | "百分比" => SimpleType::Percent,
                "money" | "金额" => SimpleType::Money,
                "area" | "面积" => SimpleType::Area,
                "hours" | "学时数" => SimpleType::Hours,
                "points" | "分值" => SimpleType::Points,
                "days" | "天数" => SimpleType::Days,
                _ => SimpleType::Date,
            },
            sp,
        ),
    }
}

fn cmp_op(s: &str) -> CmpOp {
    match s {
        ">=" | "≥" | "不少于" | "不低于" | "不小于" | "至少" => CmpOp::Ge,
        "<=" | "≤" | "不超过" | "不高于" | "不大于" | "至多" => CmpOp::Le,
        ">" | "超过" | "高于" | "大于" | "多于" => CmpOp::Gt,
        "<" | "低于" | "少于" | "小于" | "不满" => CmpOp::Lt,
        "!=" | "≠" | "不等于" => CmpOp::Ne,
        _ => CmpOp::Eq,
    }
}

/// Reads a quantity as a facts file may write it: `350`, `8.5`, `30%`, `-1%`, `350平方米`,
/// `15万元`. A minus sign directly before the digits negates it (what `duibiao` itself writes
/// for a negative percentage, so every value it prints reads back). Returns `None` when the text
/// is not exactly one quantity.
pub fn parse_quantity(text: &str) -> Option<Quantity> {
    let text = text.trim();
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => (true, rest),
        _ => (false, text),
    };
    let mut pairs = StdParser::parse(Rule::quantity, text).ok()?;
    let p = pairs.next()?;
    if p.as_str().len() != text.len() {
        return None;
    }
    let mut b = Builder { errors: Vec::new() };
    let mut q = b.quantity(p);
    if negative {
        q.number = -q.number;
    }
    b.errors.is_empty().then_some(q)
}
