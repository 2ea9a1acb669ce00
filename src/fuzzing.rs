//! What the fuzz targets check (fuzz/, run with `cargo fuzz`, docs/security.md), as plain
//! functions, so that `cargo test` replays the checked-in corpus with the same checks
//! (tests/fuzz_corpus.rs). Each returns `Err` with what went wrong; a panic is a failure too.
//!
//! - `yaml`: the front matter fast path (src/content/yaml/fast.rs) gives serde-saphyr's tree
//!   whenever it gives one, and neither parser panics.
//! - `markdown`: rendering a body never panics; `check` refuses exactly the bodies `render`
//!   will not sanitise (src/markdown_scan/nesting.rs); and the HTML of a rendered body holds nothing
//!   the sanitiser would remove (no element, attribute or address outside its allow-lists).
//!   Bounded time is libFuzzer's `-timeout`, not a check here.

use crate::diagnostic::Rule;
use crate::markdown_scan::{self, html_audit};
use crate::render::markdown;

/// Inputs that are not UTF-8 are skipped: every loader refuses them before parsing.
fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

pub fn yaml(data: &[u8]) -> Result<(), String> {
    let Some(text) = text(data) else {
        return Ok(());
    };
    crate::content::yaml::fast_path_agrees(text, 1)?;
    // The parser the loaders call (fast path or not) must not panic either.
    let _ = crate::content::yaml::parse(text, 1);
    Ok(())
}

/// The HTML a refused body renders as (src/render/markdown.rs, `refused`).
const REFUSED: &str = "<p>（正文过大或嵌套过深，未显示）</p>\n";

pub fn markdown(data: &[u8]) -> Result<(), String> {
    let Some(body) = text(data) else {
        return Ok(());
    };
    let past = markdown_scan::past_limits(body);
    let refused_by_check = markdown_scan::scan(body, 1, "fuzz.md")
        .iter()
        .any(|d| matches!(d.rule, Rule::BodyTooLarge | Rule::BodyNesting));
    if past != refused_by_check {
        return Err(format!(
            "check and the renderer disagree on the limits: past_limits {past}, check {refused_by_check}"
        ));
    }
    let rendered = markdown::render(body, 1, "fuzz.md", &mut |_, _| String::new());
    if past {
        return if rendered.html == REFUSED {
            Ok(())
        } else {
            Err("a body past the limits was rendered".to_string())
        };
    }
    let removals = html_audit::html_removals(&[&rendered.html]);
    if let Some((_, message)) = removals.first() {
        return Err(format!(
            "the sanitised HTML still holds what the sanitiser removes: {message}\n{}",
            rendered.html
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_inputs_pass() {
        yaml("id: CWK-01\ntitle: 风险\nmeasures:\n  前期预防: [a, b]\n".as_bytes()).unwrap();
        markdown(
            "## 表现形式\n\n- 一\n- **二**\n\n<script>x</script>[a](javascript:b)\n".as_bytes(),
        )
        .unwrap();
        markdown(format!("{}x\n", "- ".repeat(40)).as_bytes()).unwrap();
    }
}
