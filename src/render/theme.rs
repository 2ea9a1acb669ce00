//! Themes: tera 2 templates and static files. The default theme is embedded in the binary so
//! `gongshi build` works anywhere; a site's `themes/<name>/` overrides it file by file.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context as _, Result, anyhow};

macro_rules! embedded {
    ($($name:literal),+ $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/templates/", $name)))),+]
    };
}

macro_rules! embedded_static {
    ($($name:literal),+ $(,)?) => {
        &[$(($name, include_bytes!(concat!("../../themes/default/static/", $name)) as &[u8])),+]
    };
}

pub(crate) const TEMPLATES: &[(&str, &str)] = embedded![
    "base.html",
    "point_card.html",
    "year.html",
    "departments.html",
    "department.html",
    "point.html",
    "unit.html",
    "oversight.html",
    "list.html",
    "progress.html",
    "print_dept.html",
    "forms.html",
    "form_person.html",
    "form_dept.html",
    "form_unit.html",
    "pledge_person.html",
    "pledge_dept.html",
    "root_index.html",
    "years.html",
    "changes.html",
];

pub(crate) const STATIC: &[(&str, &[u8])] =
    embedded_static!["style.css", "timeline.js", "search.js", "search.css"];

pub(crate) struct Theme {
    pub(crate) tera: tera::Tera,
    /// Static files by name (relative to `static/`), theme overrides applied; shared, so that
    /// the preview hands the same bytes on from one build to the next.
    pub(crate) statics: Vec<(String, Arc<Vec<u8>>)>,
}

/// Formats a tera error with its template location (tera prints the line and a caret).
pub(crate) fn template_error(err: &tera::Error) -> anyhow::Error {
    anyhow!("模板错误：\n{err}")
}

impl Theme {
    /// The default theme overridden by `root/themes/<name>/` where that exists.
    pub(crate) fn load(root: &Path, name: &str) -> Result<Theme> {
        let dir = root.join("themes").join(name);
        let mut sources: Vec<(String, String)> = TEMPLATES
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        let mut statics: Vec<(String, Vec<u8>)> = STATIC
            .iter()
            .map(|(n, b)| (n.to_string(), b.to_vec()))
            .collect();
        if name != "default" && !dir.is_dir() {
            return Err(anyhow!(
                "site.yaml 指定的主题 {name} 不存在：找不到 {}",
                dir.display()
            ));
        }
        let bounds = crate::site_files::SiteBounds::of(root);
        let templates = dir.join("templates");
        if templates.is_dir() {
            for entry in std::fs::read_dir(&templates)
                .with_context(|| format!("无法读取 {}", templates.display()))?
            {
                let path = entry?.path();
                // Regular files only, links only inside the site (issue 15).
                if path.extension().is_some_and(|e| e == "html")
                    && let Some(bytes) = crate::site_files::read_site_file(&path, &bounds)?
                {
                    let name = path
                        .file_name()
                        .map(|n| n.to_string_lossy().to_string())
                        .unwrap_or_default();
                    let text = String::from_utf8(bytes)
                        .with_context(|| format!("无法读取模板 {}", path.display()))?;
                    match sources.iter_mut().find(|(n, _)| *n == name) {
                        Some(slot) => slot.1 = text,
                        None => sources.push((name, text)),
                    }
                }
            }
        }
        let static_dir = dir.join("static");
        if static_dir.is_dir() {
            for entry in std::fs::read_dir(&static_dir)
                .with_context(|| format!("无法读取 {}", static_dir.display()))?
            {
                let path = entry?.path();
                if let Some(bytes) = crate::site_files::read_site_file(&path, &bounds)? {
                    let name = path
                        .file_name()
                        .map(|n| n.to_string_lossy().to_string())
                        .unwrap_or_default();
                    match statics.iter_mut().find(|(n, _)| *n == name) {
                        Some(slot) => slot.1 = bytes,
                        None => statics.push((name, bytes)),
                    }
                }
            }
        }
        statics.sort();
        let statics = statics
            .into_iter()
            .map(|(name, bytes)| (name, Arc::new(bytes)))
            .collect();
        let mut tera = tera::Tera::new();
        // Same output as tera's default escaper, without its byte-at-a-time writes.
        tera.set_escape_fn(crate::escape::html);
        tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| template_error(&e))?;
        Ok(Theme { tera, statics })
    }

    pub(crate) fn render(&self, template: &str, context: &tera::Context) -> Result<String> {
        self.tera
            .render(template, context)
            .map_err(|e| template_error(&e))
    }

    /// Renders straight into bytes, for pages that are written out: `render` makes a `String`
    /// by validating the whole page as UTF-8 (a tenth of a build), only for the caller to
    /// turn it back into bytes.
    pub(crate) fn render_bytes(&self, template: &str, context: &tera::Context) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(32 * 1024);
        self.tera
            .render_to(template, context, &mut out)
            .map_err(|e| template_error(&e))?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::STATIC;

    fn style_css() -> &'static str {
        STATIC
            .iter()
            .find(|(name, _)| *name == "style.css")
            .and_then(|(_, bytes)| std::str::from_utf8(bytes).ok())
            .unwrap_or_default()
    }

    /// `#rrggbb` or `var(--name)` (resolved in `:root`) as (r, g, b).
    fn colour(css: &str, value: &str) -> Option<[f64; 3]> {
        let value = value.trim();
        if let Some(name) = value.strip_prefix("var(").and_then(|v| v.strip_suffix(')')) {
            let at = css.find(&format!("{name}:"))? + name.len() + 1;
            let end = css[at..].find(';')? + at;
            return colour(css, &css[at..end]);
        }
        let hex = value.strip_prefix('#').filter(|h| h.len() == 6)?;
        let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        Some([channel(0)?, channel(2)?, channel(4)?].map(f64::from))
    }

    /// WCAG 2 contrast ratio.
    fn contrast(a: [f64; 3], b: [f64; 3]) -> f64 {
        let luminance = |c: [f64; 3]| {
            let [r, g, b] = c.map(|v| {
                let v = v / 255.0;
                if v <= 0.03928 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                }
            });
            0.2126 * r + 0.7152 * g + 0.0722 * b
        };
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    /// Regression: the 三级 count on the year home was #b7950b on #fafbfc, 2.8:1, and the 二级
    /// badges and list cells #d35400 on their fill, 3.7:1. Every grade's text colour in the
    /// default theme reaches 4.5:1 on white, on the cards' #fafbfc and on the grade's own fill.
    #[test]
    fn grade_text_colours_reach_aa_contrast() {
        let css = style_css();
        let mut checked = 0;
        for rule in css.split('}') {
            let Some((selector, declarations)) = rule.split_once('{') else {
                continue;
            };
            let Some(grade) = ["grade-1", "grade-2", "grade-3"]
                .into_iter()
                .position(|g| selector.contains(g))
            else {
                continue;
            };
            for declaration in declarations.split(';') {
                let Some(value) = declaration.trim().strip_prefix("color:") else {
                    continue;
                };
                let text = colour(css, value)
                    .unwrap_or_else(|| panic!("{selector}: colour {value} not understood"));
                let fill = format!("var(--g{}-bg)", grade + 1);
                for background in ["#ffffff", "#fafbfc", &fill] {
                    let ratio = contrast(text, colour(css, background).expect("a background"));
                    assert!(
                        ratio >= 4.5,
                        "{}: {value} on {background} is {ratio:.2}:1",
                        selector.trim()
                    );
                }
                checked += 1;
            }
        }
        assert!(checked >= 9, "only {checked} grade text colours found");
    }
}
