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

pub const TEMPLATES: &[(&str, &str)] = embedded![
    "base.html",
    "point_card.html",
    "year.html",
    "departments.html",
    "department.html",
    "point.html",
    "unit.html",
    "oversight.html",
    "list.html",
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

pub const STATIC: &[(&str, &[u8])] =
    embedded_static!["style.css", "timeline.js", "search.js", "search.css"];

pub struct Theme {
    pub tera: tera::Tera,
    /// Static files by name (relative to `static/`), theme overrides applied; shared, so that
    /// the preview hands the same bytes on from one build to the next.
    pub statics: Vec<(String, Arc<Vec<u8>>)>,
}

/// Formats a tera error with its template location (tera prints the line and a caret).
pub fn template_error(err: &tera::Error) -> anyhow::Error {
    anyhow!("模板错误：\n{err}")
}

impl Theme {
    /// The default theme overridden by `root/themes/<name>/` where that exists.
    pub fn load(root: &Path, name: &str) -> Result<Theme> {
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
        let templates = dir.join("templates");
        if templates.is_dir() {
            for entry in std::fs::read_dir(&templates)
                .with_context(|| format!("无法读取 {}", templates.display()))?
            {
                let path = entry?.path();
                if path.extension().is_some_and(|e| e == "html") && path.is_file() {
                    let name = path
                        .file_name()
                        .map(|n| n.to_string_lossy().to_string())
                        .unwrap_or_default();
                    let text = std::fs::read_to_string(&path)
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
                if path.is_file() {
                    let name = path
                        .file_name()
                        .map(|n| n.to_string_lossy().to_string())
                        .unwrap_or_default();
                    let bytes = std::fs::read(&path)
                        .with_context(|| format!("无法读取 {}", path.display()))?;
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
        tera.set_escape_fn(crate::render::escape::html);
        tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| template_error(&e))?;
        Ok(Theme { tera, statics })
    }

    pub fn render(&self, template: &str, context: &tera::Context) -> Result<String> {
        self.tera
            .render(template, context)
            .map_err(|e| template_error(&e))
    }

    /// Renders straight into bytes, for pages that are written out: `render` makes a `String`
    /// by validating the whole page as UTF-8 (a tenth of a build), only for the caller to
    /// turn it back into bytes.
    pub fn render_bytes(&self, template: &str, context: &tera::Context) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(32 * 1024);
        self.tera
            .render_to(template, context, &mut out)
            .map_err(|e| template_error(&e))?;
        Ok(out)
    }
}
