//! Loading a department's `_index.md` (SPEC section 3): name, head, liaison, key area.

use crate::content::fields::Fields;
use crate::content::yaml::Node;
use crate::diagnostic::Diagnostic;
use crate::diagnostic::Pos;
use crate::model::Department;

pub const KEYS: &[&str] = &["name", "head", "liaison", "key_area"];

pub fn load(
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
    Some(Department {
        slug: slug.to_string(),
        file: file.to_string(),
        name: name?,
        head: head?,
        liaison: liaison?,
        key_area,
        body: body.to_string(),
        body_line,
    })
}
