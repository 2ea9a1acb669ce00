//! Point files that did not load (a misspelt key, a YAML error): what their front matter's
//! top-level lines say of them, so that a reference to one (an `@ID` in a diagram, a report
//! in oversight.yaml) is not taken for a reference to nothing. In: the loaded year (its
//! sources and points). Out: the files with their id, department and post, as far as readable.

use std::collections::HashSet;

use crate::content::LoadedYear;
use crate::content::front_matter;

/// A risk point file that did not load (a misspelt key, a YAML error…), with what its front
/// matter's top-level lines say of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UnloadedPoint {
    pub(crate) file: String,
    /// The department folder it is in.
    pub(crate) dept: Option<String>,
    pub(crate) id: Option<String>,
    pub(crate) post: Option<String>,
    /// The file could be read as text (not: an `encoding` error), so `id` and `post` say what
    /// its lines say; of an unreadable file nothing is known.
    pub(crate) readable: bool,
}

impl UnloadedPoint {
    /// Whether this point might have id `id`: its `id:` line says so, or its file cannot be
    /// read at all.
    pub(crate) fn may_be(&self, id: &str) -> bool {
        !self.readable || self.id.as_deref() == Some(id)
    }

    /// Whether this point might be on `post` of department `dept`.
    pub(crate) fn may_be_on(&self, dept: &str, post: &str) -> bool {
        self.dept.as_deref() == Some(dept) && (!self.readable || self.post.as_deref() == Some(post))
    }
}

impl LoadedYear {
    /// The point files of the year that did not load. They exist: a reference to one of them
    /// (an `@ID` in a diagram, a report in oversight.yaml) is not `unknown-reference`; the
    /// file's own diagnostics say what is wrong with it.
    pub(crate) fn unloaded_points(&self) -> Vec<UnloadedPoint> {
        let loaded: HashSet<&str> = self.points.iter().map(|p| p.file.as_str()).collect();
        let prefix = format!("{}/", self.dir);
        // Files found but not read as text (an `encoding` error) are points all the same.
        let unread = self
            .versions
            .files()
            .filter(|file| !self.sources.contains_key(*file))
            .map(|file| (file, None));
        let read = self
            .sources
            .iter()
            .map(|(file, text)| (file.as_str(), Some(text.as_str())));
        let mut out: Vec<UnloadedPoint> = read
            .chain(unread)
            .filter(|(file, _)| !loaded.contains(file))
            .filter_map(|(file, text)| {
                let inner = file.strip_prefix(&prefix)?.strip_suffix(".md")?;
                let (folder, name) = match inner.split_once('/') {
                    Some((folder, name)) => (Some(folder), name),
                    None => (None, inner),
                };
                if name == "_index" || name.contains('/') {
                    return None;
                }
                let field = |key: &str| text.and_then(|text| top_level_value(text, key));
                Some(UnloadedPoint {
                    file: file.to_string(),
                    dept: folder.filter(|f| *f != "unit").map(str::to_string),
                    id: field("id"),
                    post: field("post"),
                    readable: text.is_some(),
                })
            })
            .collect();
        out.sort_by(|a, b| a.file.cmp(&b.file));
        out
    }
}

/// The value of a top-level `key: value` line of a file's front matter, read line by line (the
/// file may not parse as YAML).
fn top_level_value(text: &str, key: &str) -> Option<String> {
    let mut lines = front_matter::strip_bom(text).lines();
    if lines.next().map(str::trim_end) != Some("---") {
        return None;
    }
    lines
        .take_while(|line| line.trim_end() != "---")
        .find_map(|line| {
            // The full-width colon too: it is the slip that most often keeps a file from
            // loading (src/content/fullwidth.rs).
            let rest = line.strip_prefix(key)?.trim_start();
            let value = rest.strip_prefix(':').or_else(|| rest.strip_prefix('：'))?;
            let value = value.split(" #").next().unwrap_or("").trim();
            let value = value.trim_matches(|c| c == '"' || c == '\'');
            (!value.is_empty()).then(|| value.to_string())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_level_values_are_read_from_lines() {
        let text = "\u{feff}---\nid: \"YJ-01\"  # 编号\nimpcat: 严重\n  post: 内层\npost: 采购员\n---\nid: 正文\n";
        assert_eq!(top_level_value(text, "id").as_deref(), Some("YJ-01"));
        assert_eq!(top_level_value(text, "post").as_deref(), Some("采购员"));
        assert_eq!(top_level_value(text, "title"), None);
        assert_eq!(top_level_value("id: X\n", "id"), None);
    }
}
