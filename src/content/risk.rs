//! Loading one risk point (SPEC section 4) from its front matter into a `RiskPoint`.

use crate::content::fields::{
    Fields, RESERVED_IDS, check_title, is_valid_id, reserved_name, shorten, text_list_of,
    windows_device_name,
};
use crate::content::yaml::Node;
use crate::diagnostic::Pos;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::{
    Approval, Defence, Located, Measures, Optional, Rejected, Review, RiskPoint, Term,
};

pub const KEYS: &[&str] = &[
    "id",
    "title",
    "level",
    "post",
    "holder",
    "category",
    "likelihood",
    "impact",
    "grade",
    "owner",
    "supervisor",
    "sanzhong_yida",
    "measures",
    "scope",
    "review",
];

pub(crate) const REVIEW_KEYS: &[&str] = &[
    Approval::Submitted.key(),
    Approval::Dept.key(),
    Approval::Office.key(),
    Approval::Board.key(),
    FILED,
];

/// The key under `review:` of a 单位 point's filing with the city bureau (报市卫生局纪检组备案,
/// plan 六.(三).4.(3)).
pub(crate) const FILED: &str = "filed";

/// What the loader knows about the file besides its front matter.
pub(crate) struct Origin<'a> {
    pub(crate) file: &'a str,
    pub(crate) dept: Option<&'a str>,
    pub(crate) body: &'a str,
    pub(crate) body_line: usize,
}

/// The point's `id`: a text of the form SPEC section 1 gives, and no reserved name.
fn load_id(fields: &Fields, file: &str, diags: &mut Vec<Diagnostic>) -> Option<Located<String>> {
    fields.text("id", diags).and_then(|id| {
        if let Some(word) = reserved_name(&id.value, RESERVED_IDS) {
            diags.push(
                Diagnostic::new(
                    Rule::InvalidValue,
                    file,
                    id.pos,
                    format!(
                        "编号“{}”不能用：{word} 是保留名称，风险点页面 {}.html 会与{} {word}.html 冲突",
                        id.value,
                        id.value,
                        crate::content::fields::reserved_id_page(word)
                    ),
                )
                .with_hint("请换一个编号，例如 CWK-03（大小写不同也算同名）"),
            );
            None
        } else if let Some(device) = windows_device_name(&id.value) {
            diags.push(
                Diagnostic::new(
                    Rule::InvalidValue,
                    file,
                    id.pos,
                    format!(
                        "编号“{}”不能用：{device} 是 Windows 的设备保留名，风险点页面 {}.html 在 Windows 上无法写入",
                        id.value, id.value
                    ),
                )
                .with_hint("请换一个编号，例如 CWK-03（CON、PRN、AUX、NUL、COM1–COM9、LPT1–LPT9 都不能单独作编号，大小写不同也算）"),
            );
            None
        } else if is_valid_id(&id.value) {
            Some(id)
        } else {
            diags.push(
                Diagnostic::new(
                    Rule::InvalidValue,
                    file,
                    id.pos,
                    format!("编号“{}”格式不对", shorten(&id.value)),
                )
                .with_hint(
                    "编号由字母、数字、-、_ 组成，以字母或数字开头，最长 40 个字符，例如 CWK-03",
                ),
            );
            None
        }
    })
}

/// Reads a point. Every problem is reported; the point is returned only when every field it
/// needs for the later rules was read (a point with a bad level cannot be graded).
pub(crate) fn load(origin: &Origin, root: &Node, diags: &mut Vec<Diagnostic>) -> Option<RiskPoint> {
    let file = origin.file;
    // Messages about the point name it by its id when it has a readable one.
    let context = match root.as_map().and_then(|entries| {
        entries
            .iter()
            .find(|(k, _)| k.name == "id")
            .and_then(|(_, v)| v.as_text())
            .map(|id| id.trim().to_string())
            .filter(|id| is_valid_id(id))
    }) {
        Some(id) => format!("风险点 {id}"),
        None => "风险点".to_string(),
    };
    let fields = Fields::new(file, root, Pos::new(1, 1, 3), &context, KEYS, diags)?;

    let id = load_id(&fields, file, diags);
    let title = fields.text("title", diags);
    if let Some(title) = &title {
        check_title(file, title, diags);
    }
    let level = fields.term("level", diags);
    let is_post = level
        .as_ref()
        .is_some_and(|l| l.value == crate::model::Level::Post);
    let post = if is_post {
        fields.text("post", diags)
    } else {
        fields.opt_text("post", diags)
    };
    let holder = if is_post {
        fields.text("holder", diags)
    } else {
        fields.opt_text("holder", diags)
    };
    let category = fields.term("category", diags);
    let likelihood = fields.term("likelihood", diags);
    let impact = fields.term("impact", diags);
    let declared_grade = fields.opt_term("grade", diags);
    let mut rejected = Rejected::default();
    if declared_grade.is_none() && (fields.gives("grade") || fields.misspelt("grade")) {
        rejected.insert(Optional::Grade);
    }
    let owner = fields.text("owner", diags);
    let supervisor = fields.text("supervisor", diags);
    let sanzhong_yida = fields.opt_term("sanzhong_yida", diags);
    let measures = match fields.entry("measures") {
        Some((key, node)) => load_measures(file, key.pos, node, &mut rejected, diags),
        None => {
            fields.missing("measures", diags);
            None
        }
    };
    let scope = fields.opt_term("scope", diags);
    let review = match fields.node("review") {
        Some(node) => load_review(file, fields.pos_of("review"), node, &mut rejected, diags),
        None => {
            if fields.misspelt("review") {
                Approval::ALL
                    .into_iter()
                    .for_each(|step| rejected.insert(Optional::Approval(step)));
            }
            Review::default()
        }
    };

    // Each binding above has reported its own problems; a point is whole only if all were read.
    Some(RiskPoint {
        file: file.to_string(),
        dept: origin.dept.map(str::to_string),
        id: id?,
        title: title?,
        level: level?,
        post,
        holder,
        category: category?,
        likelihood: likelihood?,
        impact: impact?,
        declared_grade,
        owner: owner?,
        supervisor: supervisor?,
        sanzhong_yida,
        measures: measures?,
        scope,
        review,
        body: origin.body.to_string(),
        body_line: origin.body_line,
        rejected,
    })
}

/// The lines of defence; a line whose key is misspelt or whose list could not be read
/// (reported) is marked in `rejected`, every line when an unknown key names none of them.
fn load_measures(
    file: &str,
    key_pos: Pos,
    node: &Node,
    rejected: &mut Rejected,
    diags: &mut Vec<Diagnostic>,
) -> Option<Located<Measures>> {
    let known: Vec<&str> = Defence::ALL
        .iter()
        .flat_map(|d| std::iter::once(d.term()).chain(d.aliases().iter().copied()))
        .collect();
    let before = diags.len();
    let fields = Fields::new(file, node, key_pos, "measures（防控措施）", &known, diags)?;
    let unknown = diags.len() > before;
    let mut measures = Measures::default();
    let mut named_any = false;
    for defence in Defence::ALL {
        let names = std::iter::once(defence.term()).chain(defence.aliases().iter().copied());
        let mut items = Vec::new();
        let before = diags.len();
        let mut misspelt = false;
        for name in names {
            misspelt |= fields.misspelt(name);
            if let Some(node) = fields.node(name) {
                items.extend(text_list_of(file, name, node, diags));
            }
        }
        if misspelt || diags.len() > before {
            named_any |= misspelt;
            rejected.insert(Optional::Defence(*defence));
        }
        if !items.is_empty() {
            measures.lines.push((*defence, items));
        }
    }
    if unknown && !named_any {
        // An unknown key that is none of them (reported): it may be meant for any line.
        Defence::ALL
            .iter()
            .for_each(|d| rejected.insert(Optional::Defence(*d)));
    }
    Some(Located::new(measures, key_pos))
}

/// The approvals; a step whose date or key was rejected (reported) is marked in `rejected`.
fn load_review(
    file: &str,
    key_pos: Pos,
    node: &Node,
    rejected: &mut Rejected,
    diags: &mut Vec<Diagnostic>,
) -> Review {
    let Some(fields) = Fields::new(file, node, key_pos, "review（审批）", REVIEW_KEYS, diags)
    else {
        // Not a mapping (reported): no approval could be read.
        Approval::ALL
            .into_iter()
            .for_each(|step| rejected.insert(Optional::Approval(step)));
        return Review {
            key: Some(key_pos),
            ..Review::default()
        };
    };
    // 报市卫生局纪检组备案 (plan 六.(三).4.(3)): no approval, so never "not approved".
    let filed = fields.opt_date(FILED, diags);
    let mut date = |step: Approval| {
        let date = fields.opt_date(step.key(), diags);
        if date.is_none() && (fields.gives(step.key()) || fields.misspelt(step.key())) {
            rejected.insert(Optional::Approval(step));
        }
        date
    };
    Review {
        key: Some(key_pos),
        submitted: date(Approval::Submitted),
        dept: date(Approval::Dept),
        office: date(Approval::Office),
        board: date(Approval::Board),
        filed,
    }
}
