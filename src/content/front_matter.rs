//! Splitting a Markdown file into its YAML front matter and its body.
//!
//! Only a `---` line at the very start opens front matter (a UTF-8 BOM before it is accepted);
//! the next line that is `---` (or `...`) closes it. Line numbers are kept so that every later
//! diagnostic counts lines in the whole file.

/// A split file: the YAML text, how many file lines come before it, and the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// Number of file lines before the YAML's first line (1: the opening `---`).
    pub yaml_line_offset: usize,
    pub(crate) body: &'a str,
    /// The 1-based file line on which the body starts.
    pub(crate) body_line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with `---`.
    Missing,
    /// The opening `---` is never closed.
    Unclosed,
}

pub(crate) fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

fn is_fence(line: &str, closing: bool) -> bool {
    let line = line.trim_end_matches(['\r', '\n']).trim_end();
    line == "---" || (closing && line == "...")
}

pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let text = strip_bom(text);
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().ok_or(SplitError::Missing)?;
    if !is_fence(first, false) {
        return Err(SplitError::Missing);
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    let mut line_no = 1;
    for line in lines {
        line_no += 1;
        if is_fence(line, true) {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line_offset: 1,
                body: &text[offset + line.len()..],
                body_line: line_no + 1,
            });
        }
        offset += line.len();
    }
    Err(SplitError::Unclosed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_with_line_numbers() {
        let s = split("---\nid: A\n---\n## 表现形式\n").unwrap();
        assert_eq!(s.yaml, "id: A\n");
        assert_eq!(s.body, "## 表现形式\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn accepts_bom_and_crlf() {
        let s = split("\u{feff}---\r\nid: A\r\n---\r\nbody").unwrap();
        assert_eq!(s.yaml, "id: A\r\n");
        assert_eq!(s.body, "body");
    }

    #[test]
    fn missing_and_unclosed() {
        assert_eq!(split("id: A\n"), Err(SplitError::Missing));
        assert_eq!(split(""), Err(SplitError::Missing));
        assert_eq!(split("---\nid: A\n"), Err(SplitError::Unclosed));
        assert_eq!(split(" ---\nid: A\n---\n"), Err(SplitError::Missing));
    }

    #[test]
    fn empty_front_matter() {
        let s = split("---\n---\n").unwrap();
        assert_eq!(s.yaml, "");
        assert_eq!(s.body_line, 3);
    }
}
