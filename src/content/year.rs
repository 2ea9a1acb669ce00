//! Loading the year's `_index.md` (SPEC section 3): the campaign, its phases, the notice period
//! and the leadership group.

use crate::content::fields::{Fields, check_title, map_list, text_list_of};
use crate::content::yaml::Node;
use crate::diagnostic::Pos;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::{Deadline, Deadlines, Deputy, Group, Leaders, Notice, Phase, YearInfo};

pub(crate) const KEYS: &[&str] = &[
    "title",
    "basis",
    "notice",
    "phases",
    "deadlines",
    "leaders",
    "group",
];

pub(crate) fn load(
    file: &str,
    root: &Node,
    body: &str,
    body_line: usize,
    diags: &mut Vec<Diagnostic>,
) -> Option<YearInfo> {
    let fields = Fields::new(file, root, Pos::new(1, 1, 3), "年度", KEYS, diags)?;
    let title = fields.text("title", diags);
    if let Some(title) = &title {
        check_title(file, title, diags);
    }
    let basis = fields.opt_text("basis", diags);
    let notice = match fields.node("notice") {
        Some(node) => load_notice(file, fields.pos_of("notice"), node, diags),
        None => {
            fields.missing("notice", diags);
            None
        }
    };
    let phases = match fields.node("phases") {
        Some(node) => load_phases(file, node, diags),
        None => {
            fields.missing("phases", diags);
            None
        }
    };
    let leaders = match fields.node("leaders") {
        Some(node) => load_leaders(file, fields.pos_of("leaders"), node, diags),
        None => {
            fields.missing("leaders", diags);
            None
        }
    };
    let group = match fields.node("group") {
        Some(node) => load_group(file, fields.pos_of("group"), node, diags),
        None => Some(Group::default()),
    };
    let deadlines = match fields.node("deadlines") {
        Some(node) => load_deadlines(file, fields.pos_of("deadlines"), node, diags),
        None => Some(Deadlines::default()),
    };
    Some(YearInfo {
        file: file.to_string(),
        title: title?,
        basis,
        notice: notice?,
        phases: phases?,
        leaders: leaders?,
        group: group?,
        deadlines: deadlines?,
        body: body.to_string(),
        body_line,
    })
}

fn load_notice(
    file: &str,
    anchor: Pos,
    node: &Node,
    diags: &mut Vec<Diagnostic>,
) -> Option<Notice> {
    let fields = Fields::new(
        file,
        node,
        anchor,
        "notice（公示期）",
        &["start", "end", "contact", "number"],
        diags,
    )?;
    let start = fields.date("start", diags);
    let end = fields.date("end", diags);
    let contact = fields.opt_text("contact", diags);
    let number = fields.opt_text("number", diags);
    let (start, end) = (start?, end?);
    if end.value < start.value {
        diags.push(Diagnostic::new(
            Rule::InvalidValue,
            file,
            end.pos,
            format!("公示期结束日 {} 早于开始日 {}", end.value, start.value),
        ));
        return None;
    }
    Some(Notice {
        start,
        end,
        contact,
        number,
    })
}

/// `deadlines:` (the plan's dates, each optional: `YearInfo::deadline` gives the plan's own
/// for one left out).
fn load_deadlines(
    file: &str,
    anchor: Pos,
    node: &Node,
    diags: &mut Vec<Diagnostic>,
) -> Option<Deadlines> {
    let keys = Deadline::ALL.map(Deadline::key);
    let fields = Fields::new(file, node, anchor, "deadlines（截止日期）", &keys, diags)?;
    let before = diags.len();
    let deadlines = Deadlines {
        submit: fields.opt_date("submit", diags),
        form1: fields.opt_date("form1", diags),
        form2: fields.opt_date("form2", diags),
        form3: fields.opt_date("form3", diags),
    };
    // A date that does not parse is an error of its own; the year is not half-read.
    (diags.len() == before).then_some(deadlines)
}

fn load_phases(file: &str, node: &Node, diags: &mut Vec<Diagnostic>) -> Option<Vec<Phase>> {
    let mut phases = Vec::new();
    let mut whole = true;
    for item in map_list(file, "phases", node, diags) {
        let Some(fields) = Fields::new(
            file,
            item,
            item.pos,
            "phases 的一项",
            &["name", "start", "end"],
            diags,
        ) else {
            whole = false;
            continue;
        };
        let (name, start, end) = (
            fields.text("name", diags),
            fields.date("start", diags),
            fields.date("end", diags),
        );
        match (name, start, end) {
            (Some(name), Some(start), Some(end)) => {
                if end.value < start.value {
                    diags.push(Diagnostic::new(
                        Rule::InvalidValue,
                        file,
                        end.pos,
                        format!(
                            "阶段“{}”的结束日 {} 早于开始日 {}",
                            name.value, end.value, start.value
                        ),
                    ));
                }
                phases.push(Phase { name, start, end });
            }
            _ => whole = false,
        }
    }
    whole.then_some(phases)
}

fn load_leaders(
    file: &str,
    anchor: Pos,
    node: &Node,
    diags: &mut Vec<Diagnostic>,
) -> Option<Leaders> {
    let fields = Fields::new(
        file,
        node,
        anchor,
        "leaders（领导）",
        &["principal", "deputies", "discipline"],
        diags,
    )?;
    let principal = fields.text("principal", diags);
    let mut deputies = Vec::new();
    // A deputy entry that is rejected leaves who oversees what unknown: responsibility is
    // silent where it would need to know (src/rules/responsibility.rs).
    let mut partial = fields.misspelt("deputies");
    if let Some(list) = fields.node("deputies") {
        let before = diags.len();
        for item in map_list(file, "deputies", list, diags) {
            let Some(d) = Fields::new(
                file,
                item,
                item.pos,
                "deputies 的一项",
                &["name", "oversees"],
                diags,
            ) else {
                continue;
            };
            let name = d.text("name", diags);
            let oversees = match d.node("oversees") {
                Some(n) => text_list_of(file, "oversees", n, diags),
                None => Vec::new(),
            };
            if let Some(name) = name {
                deputies.push(Deputy { name, oversees });
            }
        }
        partial |= diags.len() > before;
    }
    // Plan 七.(一): 院纪检组织协调; it supervises the principal's own points.
    let discipline = fields.opt_text("discipline", diags);
    Some(Leaders {
        principal: principal?,
        deputies,
        discipline,
        partial,
    })
}

fn load_group(file: &str, anchor: Pos, node: &Node, diags: &mut Vec<Diagnostic>) -> Option<Group> {
    let fields = Fields::new(
        file,
        node,
        anchor,
        "group（领导小组）",
        &["members", "office_director", "office_staff"],
        diags,
    )?;
    Some(Group {
        members: fields.text_list("members", diags),
        office_director: fields.opt_text("office_director", diags),
        office_staff: fields.text_list("office_staff", diags),
    })
}
