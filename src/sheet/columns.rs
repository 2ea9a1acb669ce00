//! The columns of a department's workbook, defined once for `template` (which writes them),
//! `import` (which reads them back) and `export` (whose ledger shares their names, widths and
//! kinds): 附表1 (岗位), 附表2 (科室) and 附表3 (单位) as far as the front matter needs them.
//!
//! A column is a field of SPEC section 4 with the header the ledger already uses for it
//! (`render::ledger::HEADER`), how wide it is, and what kind of value it holds: free text, one
//! of the plan's terms (a drop-down list), a date, the measures of one line of defence, or the
//! grade computed from likelihood and impact (a formula, never read back).

use crate::model::{
    Approval, Category, Defence, Grade, Impact, Level, Likelihood, OFFICE_STEP, SanzhongYida,
    Scope, Term,
};

/// What a column holds: a key of the front matter (or the computed grade beside `grade`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Field {
    Id,
    Title,
    Post,
    Holder,
    Category,
    Likelihood,
    Impact,
    Grade,
    /// The grade computed from likelihood and impact: a formula, never imported.
    ComputedGrade,
    Owner,
    Supervisor,
    SanzhongYida,
    Measure(Defence),
    Scope,
    Review(Approval),
    /// 单位 only: the date the measures were filed with the city bureau (`review.filed`, plan
    /// 六.(三).4.(3)). Not a column of the ledger.
    Filed,
}

/// How a column's cells are written and read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    /// One of the plan's terms, chosen from a drop-down list.
    Coded,
    Date,
    /// One measure per line inside the cell.
    Measures,
    Computed,
}

impl Field {
    /// The header, as the ledger (`render::ledger::HEADER`) names the same field.
    pub(crate) fn header(self) -> &'static str {
        match self {
            Field::Id => "编号",
            Field::Title => "标题",
            Field::Post => "岗位",
            Field::Holder => "在岗人员",
            Field::Category => "风险类别",
            Field::Likelihood => "发生机率",
            Field::Impact => "危害程度",
            Field::Grade => "风险等级",
            Field::ComputedGrade => "计算等级",
            Field::Owner => "直接负责管理落实",
            Field::Supervisor => "负责监督",
            Field::SanzhongYida => "三重一大",
            Field::Measure(d) => d.term(),
            Field::Scope => "公示范围",
            Field::Review(Approval::Submitted) => "填报日期",
            Field::Review(Approval::Dept) => "科室集体审定",
            Field::Review(Approval::Office) => OFFICE_STEP,
            Field::Review(Approval::Board) => "班子会议审定",
            Field::Filed => "报市卫生局纪检组备案",
        }
    }

    /// The front matter key this column fills (`measures` and `review` for their parts).
    pub(crate) fn key(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Title => "title",
            Field::Post => "post",
            Field::Holder => "holder",
            Field::Category => "category",
            Field::Likelihood => "likelihood",
            Field::Impact => "impact",
            Field::Grade | Field::ComputedGrade => "grade",
            Field::Owner => "owner",
            Field::Supervisor => "supervisor",
            Field::SanzhongYida => "sanzhong_yida",
            Field::Measure(_) => "measures",
            Field::Scope => "scope",
            Field::Review(_) | Field::Filed => "review",
        }
    }

    pub(crate) fn kind(self) -> Kind {
        match self {
            Field::Category
            | Field::Likelihood
            | Field::Impact
            | Field::Grade
            | Field::SanzhongYida
            | Field::Scope => Kind::Coded,
            Field::ComputedGrade => Kind::Computed,
            Field::Measure(_) => Kind::Measures,
            Field::Review(_) | Field::Filed => Kind::Date,
            Field::Id
            | Field::Title
            | Field::Post
            | Field::Holder
            | Field::Owner
            | Field::Supervisor => Kind::Text,
        }
    }

    /// Width in characters: wide enough for the plan's terms and a few CJK names, measures
    /// and titles wide and wrapped.
    pub(crate) fn width(self) -> f64 {
        match self {
            Field::Title => 34.0,
            Field::Measure(_) => 44.0,
            Field::Category | Field::Owner => 16.0,
            Field::SanzhongYida => 14.0,
            Field::Review(Approval::Office) | Field::Filed => 24.0,
            Field::Review(_) => 13.0,
            _ => 11.0,
        }
    }

    /// Whether the text is wrapped in its cell (long text, several measures).
    pub(crate) fn wraps(self) -> bool {
        matches!(self, Field::Title | Field::Measure(_))
    }

    /// The values of a coded column at `level`: what the drop-down list offers. Terms a level
    /// may not carry are left out (思想道德风险 is for posts, plan 六.(二).1; a 单位 point is
    /// published hospital-wide, never to one department and never 不公示, plan 六.(二).3).
    pub(crate) fn choices(self, level: Level) -> Vec<&'static str> {
        fn terms<T: Term>() -> Vec<&'static str> {
            T::ALL.iter().map(|t| t.term()).collect()
        }
        match self {
            Field::Category => Category::ALL
                .iter()
                .filter(|c| level == Level::Post || **c != Category::Ethics)
                .map(|c| c.term())
                .collect(),
            Field::Likelihood => terms::<Likelihood>(),
            Field::Impact => terms::<Impact>(),
            Field::Grade => terms::<Grade>(),
            Field::SanzhongYida => terms::<SanzhongYida>(),
            Field::Scope => Scope::ALL
                .iter()
                .filter(|s| level != Level::Unit || **s == Scope::Hospital)
                .map(|s| s.term())
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The canonical term of a coded column's value typed another accepted way (`B`, `２`,
    /// `b级` for 二级): what `check --fix` would write. `None` when it is no term of the column.
    pub(crate) fn canonical(self, text: &str) -> Option<&'static str> {
        fn term<T: Term>(text: &str) -> Option<&'static str> {
            T::parse(text).map(Term::term)
        }
        match self {
            Field::Category => term::<Category>(text),
            Field::Likelihood => term::<Likelihood>(text),
            Field::Impact => term::<Impact>(text),
            Field::Grade => term::<Grade>(text),
            Field::SanzhongYida => term::<SanzhongYida>(text),
            Field::Scope => term::<Scope>(text),
            _ => None,
        }
    }

    /// The field of a ledger or template header.
    pub(crate) fn of_header(header: &str) -> Option<Field> {
        ALL_FIELDS.iter().copied().find(|f| f.header() == header)
    }
}

const ALL_FIELDS: [Field; 21] = [
    Field::Id,
    Field::Title,
    Field::Post,
    Field::Holder,
    Field::Category,
    Field::Likelihood,
    Field::Impact,
    Field::Grade,
    Field::ComputedGrade,
    Field::Owner,
    Field::Supervisor,
    Field::SanzhongYida,
    Field::Measure(Defence::Prevention),
    Field::Measure(Defence::Monitoring),
    Field::Measure(Defence::Disposal),
    Field::Scope,
    Field::Review(Approval::Submitted),
    Field::Review(Approval::Dept),
    Field::Review(Approval::Office),
    Field::Review(Approval::Board),
    Field::Filed,
];

/// The columns of the sheet of `level`, in order: 附表1 (岗位) has the post and its holder,
/// 附表3 (单位) the leader whose own point it is (`holder`, plan 六.(二)), the 三重一大 matter
/// and the filing date; every sheet has all four approval dates, so that no date a file holds
/// is lost on the way through the workbook.
pub(crate) fn columns(level: Level) -> Vec<Field> {
    let mut fields = vec![Field::Id, Field::Title];
    match level {
        Level::Post => fields.extend([Field::Post, Field::Holder]),
        Level::Unit => fields.push(Field::Holder),
        Level::Department => {}
    }
    fields.extend([
        Field::Category,
        Field::Likelihood,
        Field::Impact,
        Field::Grade,
        Field::ComputedGrade,
        Field::Owner,
        Field::Supervisor,
    ]);
    if level == Level::Unit {
        fields.push(Field::SanzhongYida);
    }
    fields.extend(Defence::ALL.iter().map(|d| Field::Measure(*d)));
    fields.push(Field::Scope);
    fields.extend(Approval::ALL.map(Field::Review));
    if level == Level::Unit {
        fields.push(Field::Filed);
    }
    fields
}

/// The sheet of a level: its name (the level's term) and the plan's form it stands for.
pub(crate) fn form_title(level: Level) -> &'static str {
    match level {
        Level::Post => "附表1 个人风险岗位廉能识别防控表",
        Level::Department => "附表2 科（室）风险岗位廉能识别防控表",
        Level::Unit => "附表3 风险岗位廉能识别防控表",
    }
}

/// The levels whose sheets a department's workbook has: 岗位 and 科室 for a department, 单位
/// for the hospital's own folder (`unit`).
pub(crate) fn levels_of(slug: &str) -> &'static [Level] {
    if slug == "unit" {
        &[Level::Unit]
    } else {
        &[Level::Post, Level::Department]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_header_is_the_ledgers_name_for_it() {
        for level in Level::ALL {
            for field in columns(*level) {
                if field == Field::Filed {
                    assert_eq!(Field::of_header(field.header()), Some(field));
                    continue;
                }
                assert!(
                    crate::render::ledger::HEADER.contains(&field.header()),
                    "{} is not a ledger column",
                    field.header()
                );
                assert_eq!(Field::of_header(field.header()), Some(field));
            }
        }
    }

    #[test]
    fn coded_columns_offer_only_what_the_level_may_carry() {
        assert!(
            Field::Category
                .choices(Level::Post)
                .contains(&"思想道德风险")
        );
        assert!(
            !Field::Category
                .choices(Level::Department)
                .contains(&"思想道德风险")
        );
        assert_eq!(Field::Scope.choices(Level::Unit), ["全院"]);
        assert_eq!(Field::Grade.choices(Level::Post), ["一级", "二级", "三级"]);
        assert_eq!(Field::Grade.canonical("ｂ级"), Some("二级"));
        assert_eq!(Field::Grade.canonical("四级"), None);
        assert_eq!(Field::Title.canonical("一级"), None);
        for level in Level::ALL {
            for field in columns(*level) {
                assert_eq!(
                    field.kind() == Kind::Coded,
                    !field.choices(*level).is_empty(),
                    "{}",
                    field.header()
                );
            }
        }
    }
}
