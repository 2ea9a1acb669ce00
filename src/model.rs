//! Domain types of the programme: levels, categories, grades, scopes, dates, risk points,
//! departments and years. Enumerations hold the plan's Chinese terms as their canonical text;
//! everything past loading works with these types, never with raw strings.

use std::fmt;

use serde::Serialize;

use crate::diagnostic::Pos;

/// A value and the position of the YAML value it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub(crate) pos: Pos,
}

impl<T> Located<T> {
    pub(crate) fn new(value: T, pos: Pos) -> Located<T> {
        Located { value, pos }
    }
}

/// The half-width form of a full-width ASCII character (`Ａ` → `A`, `３` → `3`).
fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        c => c,
    }
}

/// An enumeration of the plan read from its Chinese term (or an accepted alias).
pub trait Term: Sized + Copy + 'static {
    /// Every value in the plan's order.
    const ALL: &'static [Self];
    /// The canonical Chinese term.
    fn term(self) -> &'static str;
    /// Other spellings accepted on input.
    fn aliases(self) -> &'static [&'static str] {
        &[]
    }
    /// The value `text` names. Latin aliases are read without case and in full-width forms
    /// too (`ａ级`, `Ｃ`, `３`): a Chinese input method types them so.
    fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let found = Self::ALL
            .iter()
            .copied()
            .find(|v| v.term() == text || v.aliases().contains(&text));
        if found.is_some() || text.is_ascii() {
            return found;
        }
        let folded: String = text.chars().map(half_width).collect();
        Self::ALL
            .iter()
            .copied()
            .find(|v| v.aliases().iter().any(|a| a.eq_ignore_ascii_case(&folded)))
    }
    /// "a | b | c", for messages; a value's one-character Latin aliases follow it in brackets
    /// (`一级（A、1）`), so that the hint says every short spelling it accepts.
    fn choices() -> String {
        Self::ALL
            .iter()
            .map(|v| {
                let short: Vec<&str> = v
                    .aliases()
                    .iter()
                    .copied()
                    .filter(|a| {
                        a.len() == 1
                            && a.bytes()
                                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
                    })
                    .collect();
                if short.is_empty() {
                    v.term().to_string()
                } else {
                    format!("{}（{}）", v.term(), short.join("、"))
                }
            })
            .collect::<Vec<_>>()
            .join(" | ")
    }
}

macro_rules! terms {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $term:literal $([$($alias:literal),*])?),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }
        impl Term for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];
            fn term(self) -> &'static str {
                match self { $($name::$variant => $term),+ }
            }
            fn aliases(self) -> &'static [&'static str] {
                match self { $($name::$variant => &[$($($alias),*)?]),+ }
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.term())
            }
        }
        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.term())
            }
        }
    };
}

terms! {
    /// The three levels (三个层次, plan 四): post, department, hospital.
    Level { Post => "岗位", Department => "科室", Unit => "单位" }
}

terms! {
    /// Risk categories (plan 六.(二)); 思想道德 applies to posts only (六.(二).1).
    Category {
        PostDuty => "岗位职责风险",
        Process => "业务流程风险",
        Institution => "制度机制风险",
        Environment => "外部环境风险",
        Ethics => "思想道德风险",
    }
}

terms! {
    /// 发生机率 (plan 六.(二).4).
    Likelihood { High => "高", FairlyHigh => "较高", Low => "较小" }
}

terms! {
    /// 危害程度 (plan 六.(二).4). The values stay the short words liaisons type; the plan's own
    /// wording (`Impact::wording`) is accepted too, and is what pages show.
    Impact {
        Severe => "严重",
        Serious => "较重" ["较为严重"],
        Ordinary => "一般" ["一般影响或一定经济损失", "不良影响或一定经济损失"],
    }
}

terms! {
    /// 风险等级: 一级 is the most severe. Ordered so that `One < Two < Three`.
    Grade {
        One => "一级" ["A", "a", "1", "1级", "A级"],
        Two => "二级" ["B", "b", "2", "2级", "B级"],
        Three => "三级" ["C", "c", "3", "3级", "C级"],
    }
}

terms! {
    /// The three lines of defence (三道防线, plan 四 and 六.(三)).
    Defence {
        Prevention => "前期预防",
        // The plan says both 中期监控 and 事中监控, 后期处置 and 后期处理 (六.(三) and 六.(三).5).
        Monitoring => "中期监控" ["事中监控"],
        Disposal => "后期处置" ["后期处理"],
    }
}

terms! {
    /// Who may see a point in the notice.
    Scope { Hospital => "全院", Department => "科室", Hidden => "不公示" }
}

terms! {
    /// 三重一大 (plan 六.(二).3).
    SanzhongYida {
        Decision => "重大事项决策",
        Appointment => "重要人事任免",
        Project => "重大项目安排",
        Funds => "大额资金使用",
    }
}

terms! {
    /// The key areas of the programme (plan 五).
    KeyArea {
        Engineering => "工程管理",
        Personnel => "人事",
        Finance => "财务",
        General => "总务",
        Procurement => "药品及医疗器械采购",
        Other => "其他",
    }
}

terms! {
    /// Roles of the responsibility table (分级管理, plan 六.(三).5), as `site.yaml` names them.
    Role {
        Principal => "主要领导",
        Deputy => "分管领导",
        Head => "科室负责人",
        Holder => "岗位人员",
        Anyone => "指定人员",
    }
}

impl Likelihood {
    /// Plan 六.(二).4: 发生机率高 → 一级, 较高 → 二级, 较小 → 三级.
    pub(crate) fn grade(self) -> Grade {
        match self {
            Likelihood::High => Grade::One,
            Likelihood::FairlyHigh => Grade::Two,
            Likelihood::Low => Grade::Three,
        }
    }
}

impl Impact {
    /// Plan 六.(二).4: 严重 (a crime) → 一级, 较重 (a sanction) → 二级, 一般 → 三级.
    pub(crate) fn grade(self) -> Grade {
        match self {
            Impact::Severe => Grade::One,
            Impact::Serious => Grade::Two,
            Impact::Ordinary => Grade::Three,
        }
    }

    /// The degree as the plan words it (六.(二).4: 一旦发生可能造成严重伤害后果 / 较为严重伤害
    /// 后果 / 不良影响或者一定经济损失), for pages: the value 较重 read beside plan 四's
    /// "一级较重" (the gravest grade) made a 二级 impact look like a 一级 one.
    pub(crate) fn wording(self) -> &'static str {
        match self {
            Impact::Severe => "严重",
            Impact::Serious => "较为严重",
            Impact::Ordinary => "一般影响或一定经济损失",
        }
    }
}

impl Grade {
    /// The grade from likelihood and impact: the more severe of the two (plan 六.(二).4: "或者").
    pub(crate) fn computed(likelihood: Likelihood, impact: Impact) -> Grade {
        likelihood.grade().min(impact.grade())
    }

    /// 1, 2 or 3.
    pub(crate) fn number(self) -> u8 {
        match self {
            Grade::One => 1,
            Grade::Two => 2,
            Grade::Three => 3,
        }
    }

    /// The plan's letter (附表1 注4: A 级、B 级、C 级).
    pub(crate) fn letter(self) -> &'static str {
        match self {
            Grade::One => "A",
            Grade::Two => "B",
            Grade::Three => "C",
        }
    }

    /// The colour's Chinese name: 一级 red, 二级 orange, 三级 yellow.
    pub(crate) fn colour_name(self) -> &'static str {
        match self {
            Grade::One => "红",
            Grade::Two => "橙",
            Grade::Three => "黄",
        }
    }
}

/// A calendar date (ISO `YYYY-MM-DD`), validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub(crate) year: u16,
    pub(crate) month: u8,
    pub(crate) day: u8,
}

impl Date {
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        let mut parts = text.split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        // Digits only: `str::parse` would also take a sign (`+022`, `+5`).
        let digits = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit());
        if parts.next().is_some() || !digits(y, 4) || !digits(m, 2) || !digits(d, 2) {
            return None;
        }
        let date = Date {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
            day: d.parse().ok()?,
        };
        // There is no year 0 in the civil calendar (1 BC is followed by AD 1).
        (date.year >= 1
            && date.month >= 1
            && date.month <= 12
            && date.day >= 1
            && date.day <= date.days_in_month())
        .then_some(date)
    }

    fn days_in_month(self) -> u8 {
        match self.month {
            2 if self.year.is_multiple_of(4)
                && (!self.year.is_multiple_of(100) || self.year.is_multiple_of(400)) =>
            {
                29
            }
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    /// Days since 1970-01-01 (civil calendar), for timelines.
    pub(crate) fn days(self) -> i64 {
        let (y, m, d) = (
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        );
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The civil date of a day count since 1970-01-01: the inverse of `days` (H. Hinnant's
    /// algorithm). `None` outside the years a `Date` can hold.
    pub(crate) fn from_days(days: i64) -> Option<Date> {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Some(Date {
            year: u16::try_from(year).ok()?,
            month: u8::try_from(month).ok()?,
            day: u8::try_from(day).ok()?,
        })
    }

    /// "2022年7月6日".
    pub fn chinese(self) -> String {
        format!("{}年{}月{}日", self.year, self.month, self.day)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The approval chain of a point (plan 六.(三).4), each step with its date.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Review {
    /// Where the `review` key stands, if the point has one.
    pub(crate) key: Option<Pos>,
    pub(crate) submitted: Option<Located<Date>>,
    /// 科室集体审定, the head signs.
    pub(crate) dept: Option<Located<Date>>,
    /// 领导小组办公室审定 / 党政组织审核.
    pub(crate) office: Option<Located<Date>>,
    /// 班子会议审定.
    pub(crate) board: Option<Located<Date>>,
    /// 报市卫生局纪检组备案: a 单位 point's measures, once the board approved them, are filed
    /// with the city bureau (plan 六.(三).4.(3)). Not an approval: publication does not wait
    /// for it, and it may fall after the notice.
    pub(crate) filed: Option<Located<Date>>,
}

/// One step of the approval chain (plan 六.(三).4), in its required order: 填报, then
/// 科室集体审定 (the head signs, 六.(三).4.(1)), 领导小组办公室审定 (六.(三).4.(2)), 班子会议审定
/// (六.(三).4.(3)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Approval {
    Submitted,
    Dept,
    Office,
    Board,
}

/// The office step, named by both of the plan's words for it: the point 报医院党政组织审核
/// (六.(二).2), its measures 上报医院领导小组办公室审定 (六.(三).4.(2)).
pub(crate) const OFFICE_STEP: &str = "领导小组办公室审定（党政组织审核）";

impl Approval {
    pub(crate) const ALL: [Approval; 4] = [
        Approval::Submitted,
        Approval::Dept,
        Approval::Office,
        Approval::Board,
    ];

    /// The key under `review:` in a risk file.
    pub(crate) const fn key(self) -> &'static str {
        match self {
            Approval::Submitted => "submitted",
            Approval::Dept => "dept",
            Approval::Office => "office",
            Approval::Board => "board",
        }
    }

    /// The step under `review:` whose key is `key`.
    pub(crate) fn of_key(key: &str) -> Option<Approval> {
        Approval::ALL.into_iter().find(|s| s.key() == key)
    }

    /// The step's name on the notice and in messages.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Approval::Submitted => "填报",
            Approval::Dept => "科室集体审定",
            Approval::Office => OFFICE_STEP,
            Approval::Board => "班子会议审定",
        }
    }
}

impl Level {
    /// The approvals a point of this level needs before it may be published (SPEC section 5,
    /// from plan 六.(三).4: posts are 科室集体审定; departments also 领导小组办公室审定; the
    /// hospital's measures 经医院班子会议审定后在全院范围内公示).
    pub(crate) fn required_approvals(self) -> &'static [Approval] {
        match self {
            Level::Post => &[Approval::Dept],
            Level::Department => &[Approval::Dept, Approval::Office],
            Level::Unit => &[Approval::Board],
        }
    }
}

impl Review {
    /// The steps in their required order, each with its date.
    pub(crate) fn steps(&self) -> [(Approval, Option<&Located<Date>>); 4] {
        [
            (Approval::Submitted, self.submitted.as_ref()),
            (Approval::Dept, self.dept.as_ref()),
            (Approval::Office, self.office.as_ref()),
            (Approval::Board, self.board.as_ref()),
        ]
    }

    /// Whether any step (or the filing) has a date.
    pub(crate) fn any_dated(&self) -> bool {
        self.steps().iter().any(|(_, date)| date.is_some()) || self.filed.is_some()
    }
}

/// The measures of a point, by line of defence, in the plan's order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Measures {
    pub(crate) lines: Vec<(Defence, Vec<Located<String>>)>,
}

impl Measures {
    pub(crate) fn of(&self, defence: Defence) -> &[Located<String>] {
        self.lines
            .iter()
            .find(|(d, _)| *d == defence)
            .map(|(_, items)| items.as_slice())
            .unwrap_or(&[])
    }

    pub(crate) fn count(&self) -> usize {
        self.lines.iter().map(|(_, items)| items.len()).sum()
    }
}

/// One risk point (风险点): one Markdown file.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskPoint {
    /// Path relative to the site root.
    pub file: String,
    /// The department folder it sits in; `None` for `unit/`.
    pub dept: Option<String>,
    pub id: Located<String>,
    pub title: Located<String>,
    pub level: Located<Level>,
    pub(crate) post: Option<Located<String>>,
    pub(crate) holder: Option<Located<String>>,
    pub(crate) category: Located<Category>,
    pub(crate) likelihood: Located<Likelihood>,
    pub(crate) impact: Located<Impact>,
    pub(crate) declared_grade: Option<Located<Grade>>,
    pub(crate) owner: Located<String>,
    pub(crate) supervisor: Located<String>,
    pub(crate) sanzhong_yida: Option<Located<SanzhongYida>>,
    pub(crate) measures: Located<Measures>,
    pub(crate) scope: Option<Located<Scope>>,
    pub(crate) review: Review,
    pub body: String,
    /// The file line on which the body starts.
    pub(crate) body_line: usize,
    /// Optional fields the file gives that were rejected (each reported where it stands).
    pub(crate) rejected: Rejected,
}

/// An optional field of a point that the rules read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Optional {
    Grade,
    Approval(Approval),
    /// A line of defence under `measures` (a misspelt key, a list that could not be read).
    Defence(Defence),
}

/// The optional fields of a point that its file gives but that were rejected: a value that
/// does not parse, a misspelt key, a `review` that is not a mapping. Each has its own
/// diagnostic; the rules that read the field are silent about it, so that one mistake is one
/// message (a malformed `office` date is not also "not approved", an unreadable grade does not
/// also bring responsibility errors for the grade it fell back to).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Rejected(u16);

impl Rejected {
    fn bit(field: Optional) -> u16 {
        match field {
            Optional::Grade => 1,
            Optional::Approval(step) => 2 << (step as u16),
            Optional::Defence(line) => 64 << (line as u16),
        }
    }

    /// Whether any line of defence was rejected.
    pub(crate) fn any_defence(self) -> bool {
        Defence::ALL
            .iter()
            .any(|d| self.contains(Optional::Defence(*d)))
    }

    pub(crate) fn insert(&mut self, field: Optional) {
        self.0 |= Rejected::bit(field);
    }

    pub(crate) fn contains(self, field: Optional) -> bool {
        self.0 & Rejected::bit(field) != 0
    }
}

impl RiskPoint {
    pub(crate) fn computed_grade(&self) -> Grade {
        Grade::computed(self.likelihood.value, self.impact.value)
    }

    /// The declared grade, or the computed one when none is declared.
    pub(crate) fn grade(&self) -> Grade {
        self.declared_grade
            .as_ref()
            .map_or_else(|| self.computed_grade(), |g| g.value)
    }

    /// The leader whose own risk this is (领导班子成员, plan 六.(二): 按岗位、科室、单位、领导班子
    /// 成员排查岗位风险): the `holder` of a 单位 point.
    pub(crate) fn leader(&self) -> Option<&Located<String>> {
        match self.level.value {
            Level::Unit => self.holder.as_ref(),
            Level::Post | Level::Department => None,
        }
    }

    /// Declared graver than computed (SPEC `over-graded`, allowed): 提级管理.
    pub(crate) fn raised(&self) -> bool {
        self.grade() < self.computed_grade()
    }

    /// The approvals its level needs before publication that have no date yet, in order.
    pub(crate) fn missing_approvals(&self) -> Vec<Approval> {
        let required = self.level.value.required_approvals();
        self.review
            .steps()
            .iter()
            .filter(|(step, date)| required.contains(step) && date.is_none())
            .map(|(step, _)| *step)
            .collect()
    }

    /// Whether the grade can be relied on: it was not rejected (an unreadable or misspelt
    /// `grade`, reported there) and is not milder than computed (`under-graded`). Rules that
    /// depend on the grade (responsibility, the lines of defence) are silent otherwise: their
    /// advice would follow a grade that must change.
    pub(crate) fn grade_is_settled(&self) -> bool {
        !self.rejected.contains(Optional::Grade) && self.grade() <= self.computed_grade()
    }

    /// Whether every approval its level needs has a date: the point may be published (plan
    /// 六.(二).4: 须经逐级严格评定审核……并在一定范围内公示).
    pub fn is_approved(&self) -> bool {
        self.missing_approvals().is_empty()
    }
}

/// A department (科室): `content/YEAR/SLUG/_index.md`.
#[derive(Debug, Clone, PartialEq)]
pub struct Department {
    pub slug: String,
    pub file: String,
    pub name: Located<String>,
    pub(crate) head: Located<String>,
    pub(crate) liaison: Located<String>,
    pub(crate) key_area: Option<Located<KeyArea>>,
    /// 一岗双责 of each post (附表1: 岗位职责, 廉政职责), by post name, in the file's order.
    pub(crate) duties: Vec<PostDuties>,
    pub body: String,
    pub(crate) body_line: usize,
}

impl Department {
    /// The duties written for `post`, if any.
    pub(crate) fn duties_of(&self, post: &str) -> Option<&PostDuties> {
        self.duties.iter().find(|d| d.post.value == post)
    }
}

/// A post's two duties (plan 七.(一): 切实履行“一岗双责”; 附表1 注1: 岗位职责指个人所在岗位的
/// 职权及承担的工作任务；廉政职责指个人立足岗位落实党风廉政建设责任制的责任和义务).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PostDuties {
    /// The post, as the department's 岗位 points name it.
    pub(crate) post: Located<String>,
    /// 岗位职责.
    pub(crate) duty: Option<Located<String>>,
    /// 廉政职责.
    pub(crate) integrity: Option<Located<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Notice {
    pub(crate) start: Located<Date>,
    pub(crate) end: Located<Date>,
    pub(crate) contact: Option<Located<String>>,
    /// 文号, shown under the notice's title (`院纪办〔2022〕5号`).
    pub(crate) number: Option<Located<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Phase {
    pub(crate) name: Located<String>,
    pub(crate) start: Located<Date>,
    pub(crate) end: Located<Date>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Deputy {
    pub(crate) name: Located<String>,
    pub(crate) oversees: Vec<Located<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Leaders {
    /// 主要领导 (组长).
    pub(crate) principal: Located<String>,
    /// 分管领导 and the departments each is in charge of.
    pub(crate) deputies: Vec<Deputy>,
    /// Who answers for 纪检 (院纪检组织协调, plan 七.(一)): the supervisor of the principal's
    /// own risk points, whom the principal cannot supervise.
    pub(crate) discipline: Option<Located<String>>,
    /// Some entry of `deputies` was rejected (reported in the year's file): who else is a
    /// 分管领导, and of what, is not known.
    pub(crate) partial: bool,
}

impl Leaders {
    /// Whether `name` is a member of the leadership (领导班子成员, plan 六.(二)): the principal,
    /// a deputy, or the discipline lead.
    pub(crate) fn is_leader(&self, name: &str) -> bool {
        self.principal.value == name
            || self.deputies.iter().any(|d| d.name.value == name)
            || self.discipline.as_ref().is_some_and(|d| d.value == name)
    }

    /// How the notice names a leader's part: 主要领导, 分管领导 or 纪检.
    pub(crate) fn role_of(&self, name: &str) -> Option<&'static str> {
        if self.principal.value == name {
            Some("主要领导")
        } else if self.deputies.iter().any(|d| d.name.value == name) {
            Some("分管领导")
        } else if self.discipline.as_ref().is_some_and(|d| d.value == name) {
            Some("纪检负责人")
        } else {
            None
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Group {
    pub(crate) members: Vec<Located<String>>,
    pub(crate) office_director: Option<Located<String>>,
    pub(crate) office_staff: Vec<Located<String>>,
}

/// The plan's deadlines as the year file gives them (`deadlines:`); each one it leaves out
/// is the plan's (`YearInfo::deadline`).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Deadlines {
    pub(crate) submit: Option<Located<Date>>,
    pub(crate) form1: Option<Located<Date>>,
    pub(crate) form2: Option<Located<Date>>,
    pub(crate) form3: Option<Located<Date>>,
}

/// A deadline of the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Deadline {
    /// The points are found and filed with the programme office (六.(二).5: 认真填写……识别防控
    /// 表……报医院廉能管理工作领导小组).
    Submit,
    /// 附表1 报市局领导小组 (附表1 注5: 于 7 月 5 日前).
    Form1,
    /// 附表2 报市局领导小组 (附表2 注5: 于 7 月 5 日前).
    Form2,
    /// 附表3 报市局领导小组 (附表3 注5: 于 7 月 20 日前).
    Form3,
}

/// Where a deadline's date comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DeadlineSource {
    /// `deadlines:` of the year file, at this position.
    File(Pos),
    /// The end of the year's 组织实施 phase (`Deadline::Submit` when the file gives none).
    ImplementationPhase,
    /// The plan's own date in the year.
    Plan,
}

impl Deadline {
    pub(crate) const ALL: [Deadline; 4] = [
        Deadline::Submit,
        Deadline::Form1,
        Deadline::Form2,
        Deadline::Form3,
    ];

    /// The key under `deadlines:` in the year file.
    pub(crate) const fn key(self) -> &'static str {
        match self {
            Deadline::Submit => "submit",
            Deadline::Form1 => "form1",
            Deadline::Form2 => "form2",
            Deadline::Form3 => "form3",
        }
    }

    /// What is due, in the pages' and messages' words.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Deadline::Submit => "填报",
            Deadline::Form1 => "附表1 报市局",
            Deadline::Form2 => "附表2 报市局",
            Deadline::Form3 => "附表3 报市局",
        }
    }

    /// The plan's (month, day) for a form: the notes of 附表1 and 附表2 say 于 7 月 5 日前上报
    /// 市局领导小组, those of 附表3 于 7 月 20 日前. (The plan's 填报 date, 六.(二).5's 于 5 月 22
    /// 日前, is not a default: see `YearInfo::deadline`.)
    pub(crate) const fn plan_date(self) -> (u8, u8) {
        match self {
            Deadline::Submit => (5, 22),
            Deadline::Form1 | Deadline::Form2 => (7, 5),
            Deadline::Form3 => (7, 20),
        }
    }

    /// The form whose points' approvals this deadline bounds (附表1 lists the 岗位 points, 附表2
    /// the 科室 points, 附表3 the 单位 points).
    pub(crate) fn of_level(level: Level) -> Deadline {
        match level {
            Level::Post => Deadline::Form1,
            Level::Department => Deadline::Form2,
            Level::Unit => Deadline::Form3,
        }
    }
}

/// The year's own file: `content/YEAR/_index.md`.
#[derive(Debug, Clone, PartialEq)]
pub struct YearInfo {
    pub(crate) file: String,
    pub(crate) title: Located<String>,
    pub(crate) basis: Option<Located<String>>,
    pub(crate) notice: Notice,
    pub(crate) phases: Vec<Phase>,
    pub(crate) leaders: Leaders,
    pub(crate) group: Group,
    pub(crate) deadlines: Deadlines,
    pub body: String,
    pub(crate) body_line: usize,
}

/// The name of the phase in which risk points are found and reported (实施方案 六.(二)),
/// against whose end lateness is measured (SPEC section 3).
pub(crate) const IMPLEMENTATION_PHASE: &str = "组织实施";

impl YearInfo {
    /// The 组织实施 phase, against which lateness is measured (SPEC section 3).
    pub(crate) fn implementation_phase(&self) -> Option<&Phase> {
        self.phases
            .iter()
            .find(|p| p.name.value == IMPLEMENTATION_PHASE)
    }

    /// The date of a deadline and where it comes from: the year file's `deadlines:`; else for
    /// `Submit` the end of the 组织实施 phase (when points are to be found, 六.(二); the `late`
    /// rule has always measured against it, and the plan's 5 月 22 日 falls on that phase's
    /// second day, which reads as a slip), and none without such a phase; else, for the forms,
    /// the plan's date in the notice's year.
    pub(crate) fn deadline(&self, which: Deadline) -> Option<(Date, DeadlineSource)> {
        let given = match which {
            Deadline::Submit => &self.deadlines.submit,
            Deadline::Form1 => &self.deadlines.form1,
            Deadline::Form2 => &self.deadlines.form2,
            Deadline::Form3 => &self.deadlines.form3,
        };
        if let Some(date) = given {
            return Some((date.value, DeadlineSource::File(date.pos)));
        }
        if which == Deadline::Submit {
            return self
                .implementation_phase()
                .map(|phase| (phase.end.value, DeadlineSource::ImplementationPhase));
        }
        let (month, day) = which.plan_date();
        let date = Date {
            year: self.notice.start.value.year,
            month,
            day,
        };
        Some((date, DeadlineSource::Plan))
    }

    /// The deputy in charge of a department, if any.
    pub(crate) fn deputy_of(&self, slug: &str) -> Option<&Deputy> {
        self.leaders
            .deputies
            .iter()
            .find(|d| d.oversees.iter().any(|s| s.value == slug))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grade_is_the_more_severe_of_likelihood_and_impact() {
        use Impact::*;
        use Likelihood::*;
        // Plan 六.(二).4, case by case: "或者" means either factor alone sets the grade.
        let table = [
            (High, Severe, Grade::One),
            (High, Serious, Grade::One),
            (High, Ordinary, Grade::One),
            (FairlyHigh, Severe, Grade::One),
            (FairlyHigh, Serious, Grade::Two),
            (FairlyHigh, Ordinary, Grade::Two),
            (Low, Severe, Grade::One),
            (Low, Serious, Grade::Two),
            (Low, Ordinary, Grade::Three),
        ];
        for (l, i, g) in table {
            assert_eq!(Grade::computed(l, i), g, "{l} × {i}");
        }
    }

    #[test]
    fn grade_aliases() {
        for (text, grade) in [
            ("A", Grade::One),
            ("2", Grade::Two),
            ("三级", Grade::Three),
            ("c", Grade::Three),
        ] {
            assert_eq!(Grade::parse(text), Some(grade), "{text}");
        }
        assert_eq!(Grade::parse("四级"), None);
        assert_eq!(Grade::parse("D"), None);
        assert_eq!(
            Grade::choices(),
            "一级（A、1） | 二级（B、2） | 三级（C、3）"
        );
        assert_eq!(Defence::choices(), "前期预防 | 中期监控 | 后期处置");
        // Regression: what a Chinese input method types was refused (`Ｃ`, `３`, `ｂ级`).
        for (text, grade) in [
            ("Ｃ", Grade::Three),
            ("３", Grade::Three),
            ("ｂ级", Grade::Two),
        ] {
            assert_eq!(Grade::parse(text), Some(grade), "{text}");
        }
        assert_eq!(Grade::parse("Ｄ"), None);
    }

    #[test]
    fn dates_are_validated() {
        assert_eq!(
            Date::parse("2022-07-06").map(|d| d.to_string()),
            Some("2022-07-06".into())
        );
        assert!(Date::parse("2022-02-29").is_none());
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2022-7-6").is_none());
        // Regression: `str::parse` took a sign, so these passed as 2022-05-03.
        assert!(Date::parse("+022-05-03").is_none());
        assert!(Date::parse("2022-+5-+3").is_none());
        assert!(Date::parse("2022-05-+3").is_none());
        assert!(Date::parse("0000-01-01").is_none());
        assert!(Date::parse("0001-01-01").is_some());
        assert!(Date::parse("2022-13-01").is_none());
        assert!(Date::parse("二〇二二").is_none());
        assert_eq!(Date::parse("1970-01-02").unwrap().days(), 1);
        for text in [
            "1970-01-01",
            "2000-02-29",
            "2022-07-06",
            "2023-12-31",
            "2100-03-01",
        ] {
            let date = Date::parse(text).unwrap();
            assert_eq!(Date::from_days(date.days()), Some(date), "{text}");
        }
        assert_eq!(
            Date::parse("2022-07-06").unwrap().days() - Date::parse("2022-06-25").unwrap().days(),
            11
        );
    }
}
