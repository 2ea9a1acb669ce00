//! Loading a department's `_index.md` (SPEC section 3): name, head, liaison, key area, and
//! the duties of its posts (附表1's 一岗双责).

use crate::content::fields::Fields;
use crate::content::yaml::Node;
use crate::diagnostic::Pos;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::{Department, Located, PostDuties};

pub(crate) const KEYS: &[&str] = &["name", "head", "liaison", "key_area", "duties"];

/// The keys of one post's duties: 岗位职责 and 廉政职责 (附表1 注1).
pub(crate) const DUTY_KEYS: &[&str] = &["post", "integrity"];

pub(crate) fn load(
    slug: &str,
    file: &str,
    root: &Node,
    body: &str,
    body_line: usize,
    diags: &mut Vec<Diagnostic>,
) -> Option<Department> {
    let fields = Fields::new(file, root, Pos::new(1, 1, 3), "科室", KEYS, diags)?;
    let name = fields.text("name", diags);
    let head = fields.text("head", diags);
    // Plan 三: 各科室确定一位联络员.
    let liaison = fields.text("liaison", diags);
    let key_area = fields.opt_term("key_area", diags);
    let duties = match fields.entry("duties") {
        Some((_, node)) => load_duties(file, node, diags),
        None => Vec::new(),
    };
    Some(Department {
        slug: slug.to_string(),
        file: file.to_string(),
        name: name?,
        head: head?,
        liaison: liaison?,
        key_area,
        duties,
        body: body.to_string(),
        body_line,
    })
}

/// `duties:` maps each post (as the department's 岗位 points name it) to its 岗位职责 (`post`)
/// and 廉政职责 (`integrity`), which fill 附表1's 一岗双责 rows (plan 七.(一): 切实履行“一岗
/// 双责”). Each problem is reported; the posts read whole are kept.
fn load_duties(file: &str, node: &Node, diags: &mut Vec<Diagnostic>) -> Vec<PostDuties> {
    let Some(entries) = node.as_map() else {
        diags.push(
            Diagnostic::new(
                Rule::InvalidValue,
                file,
                node.pos,
                format!(
                    "duties（一岗双责）应按岗位写成键值表，实际是{}",
                    node.kind_name()
                ),
            )
            .with_hint("例如：\nduties:\n  出纳:\n    post: 岗位职责……\n    integrity: 廉政职责……"),
        );
        return Vec::new();
    };
    let mut duties: Vec<PostDuties> = Vec::new();
    for (post, value) in entries {
        let name = post.name.trim();
        if duties.iter().any(|d| d.post.value == name) {
            diags.push(Diagnostic::new(
                Rule::InvalidValue,
                file,
                post.pos,
                format!("duties 中岗位“{name}”重复列出"),
            ));
            continue;
        }
        let context = format!("duties 的岗位“{name}”");
        let Some(fields) = Fields::new(file, value, post.pos, &context, DUTY_KEYS, diags) else {
            continue;
        };
        duties.push(PostDuties {
            post: Located::new(name.to_string(), post.pos),
            duty: fields.opt_text("post", diags),
            integrity: fields.opt_text("integrity", diags),
        });
    }
    duties
}
