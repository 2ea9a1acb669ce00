//! Links between nodes: `-->`, `---`, `-- text -->`, `-- text ---`, and a `|text|` after any
//! of them; with a message naming each Mermaid link form outside the subset.

use super::cursor::Pos;
use super::{FlowError, LINK_HINT, Link, Parser, error, full_width_advice, label, shown};

impl Parser {
    /// A link; the cursor is on its first character. `after_bare_node` tunes the hint when
    /// what follows a node is not a link at all.
    pub(super) fn link(&mut self, after_bare_node: bool) -> Result<Link, FlowError> {
        let at = self.cur.pos();
        let (arrow, mut label) = match self.cur.peek() {
            Some('-') => {
                let dashes = self.cur.run_of('-');
                let after = self.cur.peek_at(dashes);
                if dashes >= 2 && after == Some('>') {
                    self.cur.advance(dashes + 1);
                    (true, None)
                } else if dashes >= 3 {
                    self.cur.advance(dashes);
                    (false, None)
                } else if dashes == 2 {
                    self.cur.advance(2);
                    let (text, arrow) = self.inline_link_text(at)?;
                    (arrow, label::clean(&text))
                } else if after == Some('.') {
                    return Err(error(at, "不支持虚线连线 \"-.->\"", Some(LINK_HINT)));
                } else {
                    return Err(error(at, "连线写法有误", Some(r#"期望 "-->" 或 "---""#)));
                }
            }
            Some('=') => return Err(error(at, "不支持粗线连线 \"==>\"", Some(LINK_HINT))),
            Some('<') => return Err(error(at, "不支持双向箭头", Some(LINK_HINT))),
            Some('~') => return Err(error(at, "不支持隐形连线 \"~~~\"", Some(LINK_HINT))),
            Some(c) => return Err(unexpected(c, at, after_bare_node)),
            None => return Err(error(at, "语句不完整", Some(r#"期望 "-->""#))),
        };
        let mark = self.cur.mark();
        self.cur.skip_inline_space();
        if self.cur.peek() == Some('|') {
            if label.is_some() {
                return Err(error(
                    self.cur.pos(),
                    "连线文字重复",
                    Some("一条连线只能有一处文字"),
                ));
            }
            label = self.pipe_text()?;
        } else {
            self.cur.reset(mark);
        }
        Ok(Link { arrow, label, at })
    }

    /// The text of `-- text -->` (or `-- text ---`); the cursor is after the first `--`.
    /// Returns the raw text and whether the link ends in an arrowhead.
    fn inline_link_text(&mut self, at: Pos) -> Result<(String, bool), FlowError> {
        let mut text = String::new();
        loop {
            match self.cur.peek() {
                None | Some('\n') => {
                    return Err(error(
                        at,
                        "连线文字缺少结尾的 \"-->\"",
                        Some(r#"写作 "A -- 文字 --> B"；不带文字时写作 "A --> B""#),
                    ));
                }
                Some('-') if self.cur.peek_at(1) == Some('-') => {
                    let dashes = self.cur.run_of('-');
                    if self.cur.peek_at(dashes) == Some('>') {
                        self.cur.advance(dashes + 1);
                        return Ok((text, true));
                    }
                    if dashes >= 3 {
                        self.cur.advance(dashes);
                        return Ok((text, false));
                    }
                    text.push_str("--");
                    self.cur.advance(2);
                }
                Some(c) => {
                    text.push(c);
                    self.cur.bump();
                }
            }
        }
    }

    /// `|text|` after a link; the cursor is on the first `|`.
    fn pipe_text(&mut self) -> Result<Option<String>, FlowError> {
        let at = self.cur.pos();
        self.cur.bump();
        let mut text = String::new();
        loop {
            match self.cur.bump() {
                None | Some('\n') => {
                    return Err(error(
                        at,
                        "连线文字缺少结尾的 \"|\"",
                        Some(r#"写作 "A -->|文字| B""#),
                    ));
                }
                Some('|') => return Ok(label::clean(&text)),
                Some(c) => text.push(c),
            }
        }
    }
}

/// Something that is neither a link nor the end of the statement after a node.
fn unexpected(c: char, at: Pos, after_bare_node: bool) -> FlowError {
    if let Some((message, hint)) = full_width_advice(c) {
        return error(at, message, Some(hint));
    }
    let hint = if after_bare_node {
        r#"期望 "-->" 或节点形状，如 A[步骤]"#
    } else {
        r#"期望 "-->"、"&" 或换行"#
    };
    error(at, format!("此处不应出现 {}", shown(c)), Some(hint))
}
