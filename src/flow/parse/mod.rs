//! The flow-block parser: Mermaid flowchart text in, a [`Flowchart`] or the first
//! [`FlowError`] out.
//!
//! A hand-written recursive descent over characters, so every error points at a character and
//! says in Chinese what was expected there. The grammar, one statement per line or per `;`:
//!
//! ```text
//! chart     = header { statement }
//! header    = ("flowchart" | "graph") [ "TD" | "TB" | "BT" | "LR" | "RL" ]
//! statement = group { link group }
//! group     = node { "&" node }
//! node      = id [ "[" text "]" | "{" text "}" | "(" text ")" ]     text may be "quoted"
//! link      = "-->" | "---" | "-- " text " -->" | "-- " text " ---"   then optionally "|" text "|"
//! ```
//!
//! A node may be used before it is given its text (`A --> B` then `B[审批]`), but every node
//! must be given a text somewhere, and only once.

mod cursor;
mod label;
mod link;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

pub(crate) use self::label::is_id_char;

use self::cursor::{Cursor, Pos};
use super::model::{Direction, Edge, Flowchart, Node, Shape};
use super::{FlowError, FlowErrorKind, RiskRef};

/// Bounds that keep layout time and memory small on any input; no readable diagram comes near.
const MAX_NODES: usize = 500;
const MAX_EDGES: usize = 2000;
/// Nodes plus the dummy vertices their edges need in the layered layout (about 0.1 s of
/// layout at most). A 200-step procedure needs under 1,000; long edges across many steps cost
/// two vertices per step crossed.
const MAX_LAYOUT_VERTICES: usize = 20_000;

const HEADER_HINT: &str = r#"期望 "flowchart TD" 或 "flowchart LR""#;
const LINK_HINT: &str = r#"支持 "-->"、"---"、"-- 文字 -->" 和 "-->|文字|""#;
const SHAPE_HINT: &str = "支持 A[步骤]、B{判断}、C(圆角步骤)";

pub(crate) fn parse(src: &str) -> Result<Flowchart, FlowError> {
    Parser {
        cur: Cursor::new(src),
        nodes: Vec::new(),
        index: HashMap::new(),
        edges: Vec::new(),
        edge_at: Vec::new(),
        risk_refs: Vec::new(),
    }
    .chart()
}

/// A node as seen so far: maybe only referenced, not yet given its shape and text.
struct Draft {
    key: String,
    first_use: Pos,
    definition: Option<Definition>,
}

#[derive(PartialEq)]
struct Definition {
    shape: Shape,
    text: String,
    refs: Vec<RiskRef>,
    at: Pos,
}

/// The nodes on one side of a link (`A & B`), and whether the last one was written bare.
struct Group {
    nodes: Vec<usize>,
    last_is_bare: bool,
}

struct Link {
    arrow: bool,
    label: Option<String>,
    at: Pos,
}

struct Parser {
    cur: Cursor,
    nodes: Vec<Draft>,
    index: HashMap<String, usize>,
    edges: Vec<Edge>,
    /// Where the link of each edge starts.
    edge_at: Vec<Pos>,
    risk_refs: Vec<RiskRef>,
}

fn error(at: Pos, message: impl Into<String>, hint: Option<&str>) -> FlowError {
    FlowError {
        line: at.line,
        column: at.column,
        message: message.into(),
        hint: hint.map(str::to_owned),
        kind: FlowErrorKind::Syntax,
    }
}

/// A character as it is named in a message: quoted, or as `U+XXXX` when it would be invisible.
fn shown(c: char) -> String {
    if c.is_control() || c.is_whitespace() || unicode_width::UnicodeWidthChar::width(c) == Some(0) {
        format!("U+{:04X}", u32::from(c))
    } else {
        format!("\"{c}\"")
    }
}

fn is_key_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Full-width characters typed by habit where the syntax wants ASCII, with what to say.
fn full_width_advice(c: char) -> Option<(String, &'static str)> {
    match c {
        '【' | '［' | '｛' | '（' | '】' | '］' | '｝' | '）' => Some((
            format!("节点形状须用半角括号，而不是 {}", shown(c)),
            "例如 A[步骤]、B{判断}、C(开始)",
        )),
        '—' | '－' | '→' | '＞' | '》' | '–' => Some((
            format!("连线须用半角字符，而不是 {}", shown(c)),
            "例如 A --> B",
        )),
        '；' => Some((
            "语句之间须用半角分号或换行，而不是 \"；\"".to_owned(),
            r#"期望 ";" 或换行"#,
        )),
        '＆' => Some((
            "须用半角 \"&\"，而不是 \"＆\"".to_owned(),
            "例如 A & B --> C",
        )),
        _ => None,
    }
}

/// Mermaid statements outside the subset, with why they are not needed.
fn keyword_advice(word: &str) -> Option<&'static str> {
    match word {
        "subgraph" | "end" => Some("本子集不支持子图（subgraph … end）"),
        "style" | "classDef" | "class" | "linkStyle" => {
            Some("节点颜色由风险等级决定，请删除样式语句")
        }
        "click" => Some("风险点链接由节点文字中的 @编号 自动生成"),
        "direction" => Some("方向只能在第一行声明，例如 flowchart LR"),
        _ => None,
    }
}

impl Parser {
    fn chart(mut self) -> Result<Flowchart, FlowError> {
        self.cur.skip_separators();
        let header_at = self.cur.pos();
        let direction = self.header()?;
        loop {
            self.cur.skip_separators();
            if self.cur.peek().is_none() {
                break;
            }
            self.statement()?;
        }
        self.finish(direction, header_at)
    }

    fn header(&mut self) -> Result<Direction, FlowError> {
        let at = self.cur.pos();
        let Some(first) = self.cur.peek() else {
            return Err(error(at, "流程图为空", Some(HEADER_HINT)));
        };
        let word = self.word();
        if !(word.eq_ignore_ascii_case("flowchart") || word.eq_ignore_ascii_case("graph")) {
            let found = if word.is_empty() {
                shown(first)
            } else {
                format!("\"{word}\"")
            };
            return Err(error(
                at,
                format!("流程图应以 \"flowchart\" 或 \"graph\" 开头，而不是 {found}"),
                Some(HEADER_HINT),
            ));
        }
        self.cur.skip_inline_space();
        let direction = if self.cur.at_statement_end() {
            Direction::TopDown
        } else {
            let at = self.cur.pos();
            let word = self.word();
            match word.to_ascii_uppercase().as_str() {
                "TD" | "TB" => Direction::TopDown,
                "BT" => Direction::BottomUp,
                "LR" => Direction::LeftRight,
                "RL" => Direction::RightLeft,
                _ => {
                    let found = match self.cur.peek() {
                        Some(c) if word.is_empty() => shown(c),
                        _ => format!("\"{word}\""),
                    };
                    return Err(error(
                        at,
                        format!("不支持的方向 {found}"),
                        Some("支持 TD（同 TB，自上而下）、BT、LR（自左向右）、RL"),
                    ));
                }
            }
        };
        self.cur.skip_inline_space();
        if !self.cur.at_statement_end() {
            return Err(error(
                self.cur.pos(),
                "流程图声明之后应换行",
                Some(r#"期望换行或 ";""#),
            ));
        }
        Ok(direction)
    }

    /// A run of ASCII letters and digits (header keywords and directions).
    fn word(&mut self) -> String {
        let mut word = String::new();
        while let Some(c) = self.cur.peek().filter(char::is_ascii_alphanumeric) {
            word.push(c);
            self.cur.bump();
        }
        word
    }

    fn statement(&mut self) -> Result<(), FlowError> {
        self.reject_keyword()?;
        let mut sources = self.group()?;
        loop {
            self.cur.skip_inline_space();
            if self.cur.at_statement_end() {
                return Ok(());
            }
            let link = self.link(sources.last_is_bare)?;
            self.cur.skip_inline_space();
            if self.cur.at_statement_end() {
                return Err(error(
                    self.cur.pos(),
                    "连线缺少目标节点",
                    Some("期望节点，例如 B[步骤]"),
                ));
            }
            let targets = self.group()?;
            for &from in &sources.nodes {
                for &to in &targets.nodes {
                    if self.edges.len() >= MAX_EDGES {
                        return Err(error(
                            link.at,
                            format!("连线过多（最多 {MAX_EDGES} 条）"),
                            Some("请把流程拆成几张图"),
                        ));
                    }
                    self.edge_at.push(link.at);
                    self.edges.push(Edge {
                        from,
                        to,
                        arrow: link.arrow,
                        label: link.label.clone(),
                    });
                }
            }
            sources = targets;
        }
    }

    /// A statement that starts with a Mermaid keyword outside the subset (`style A fill:…`,
    /// `subgraph`, `end`) gets a message that names the keyword.
    fn reject_keyword(&mut self) -> Result<(), FlowError> {
        let at = self.cur.pos();
        let mark = self.cur.mark();
        let key = self.key();
        self.cur.skip_inline_space();
        let used_as_node = matches!(
            self.cur.peek(),
            Some('-' | '=' | '<' | '~' | '&' | '[' | '{' | '(')
        ) && !self.cur.at_statement_end();
        self.cur.reset(mark);
        match keyword_advice(&key) {
            Some(advice) if !used_as_node => Err(error(
                at,
                format!("不支持 Mermaid 的 \"{key}\" 语句"),
                Some(advice),
            )),
            _ => Ok(()),
        }
    }

    fn group(&mut self) -> Result<Group, FlowError> {
        let (first, bare) = self.node()?;
        let mut group = Group {
            nodes: vec![first],
            last_is_bare: bare,
        };
        loop {
            let mark = self.cur.mark();
            self.cur.skip_inline_space();
            if self.cur.peek() != Some('&') {
                self.cur.reset(mark);
                return Ok(group);
            }
            self.cur.bump();
            self.cur.skip_inline_space();
            let (node, bare) = self.node()?;
            group.nodes.push(node);
            group.last_is_bare = bare;
        }
    }

    /// A node id: letters (CJK included), digits and `_`, with single inner hyphens (`A-1`).
    fn key(&mut self) -> String {
        let mut key = String::new();
        while let Some(c) = self.cur.peek() {
            let inner_hyphen =
                c == '-' && !key.is_empty() && self.cur.peek_at(1).is_some_and(is_key_char);
            if !(is_key_char(c) || inner_hyphen) {
                break;
            }
            key.push(c);
            self.cur.bump();
        }
        key
    }

    /// One node, registered; returns its index and whether it was written bare (no shape).
    fn node(&mut self) -> Result<(usize, bool), FlowError> {
        let at = self.cur.pos();
        let key = self.key();
        if key.is_empty() {
            return Err(self.expected_node(at));
        }
        let mark = self.cur.mark();
        self.cur.skip_inline_space();
        let definition = match self.cur.peek() {
            Some(open @ ('[' | '{' | '(')) => Some(self.shape(open)?),
            _ => {
                self.cur.reset(mark);
                None
            }
        };
        let bare = definition.is_none();
        Ok((self.register(key, at, definition)?, bare))
    }

    fn expected_node(&self, at: Pos) -> FlowError {
        match self.cur.peek() {
            None | Some('\n' | ';') => error(at, "缺少节点", Some("期望节点，例如 A[步骤]")),
            Some('[' | '{' | '(' | '"') => {
                error(at, "节点缺少名称", Some("写作 A[步骤]，A 为节点名"))
            }
            Some(c) => match full_width_advice(c) {
                Some((message, hint)) => error(at, message, Some(hint)),
                None => error(
                    at,
                    format!("此处应为节点名，而不是 {}", shown(c)),
                    Some("节点名由字母、数字或下划线组成，例如 A[步骤]"),
                ),
            },
        }
    }

    /// The shape and text after a node id; the cursor is on the opening bracket.
    fn shape(&mut self, open: char) -> Result<Definition, FlowError> {
        let at = self.cur.pos();
        self.cur.bump();
        let (close, shape) = match open {
            '[' => (']', Shape::Step),
            '{' => ('}', Shape::Decision),
            _ => (')', Shape::Rounded),
        };
        let modifier = match open {
            '[' => matches!(self.cur.peek(), Some('(' | '[' | '/' | '\\')),
            '{' => self.cur.peek() == Some('{'),
            _ => matches!(self.cur.peek(), Some('(' | '[')),
        };
        if modifier {
            return Err(error(at, "不支持的节点形状", Some(SHAPE_HINT)));
        }
        let mark = self.cur.mark();
        self.cur.skip_inline_space();
        let chars = if self.cur.peek() == Some('"') {
            self.quoted_text(close)?
        } else {
            self.cur.reset(mark);
            self.bracketed_text(at, close)?
        };
        let refs = label::risk_refs(&chars).map_err(|long| {
            error(
                long.at,
                "风险点编号过长",
                Some("编号由字母、数字、\"-\" 和 \"_\" 组成，最多 40 个字符"),
            )
        })?;
        let raw: String = chars.iter().map(|&(c, _)| c).collect();
        let Some(text) = label::clean(&raw) else {
            return Err(error(at, "节点文字为空", Some("在括号中写上步骤名称")));
        };
        Ok(Definition {
            shape,
            text,
            refs,
            at,
        })
    }

    /// `"…"` then the closing bracket; the cursor is on the opening quote.
    fn quoted_text(&mut self, close: char) -> Result<Vec<(char, Pos)>, FlowError> {
        let quote_at = self.cur.pos();
        self.cur.bump();
        let mut chars = Vec::new();
        loop {
            let at = self.cur.pos();
            match self.cur.bump() {
                None | Some('\n') => {
                    return Err(error(quote_at, "引号未闭合", Some("期望 '\"'")));
                }
                Some('"') => break,
                Some(c) => chars.push((c, at)),
            }
        }
        self.cur.skip_inline_space();
        if self.cur.peek() != Some(close) {
            return Err(error(
                self.cur.pos(),
                format!("引号之后应为 \"{close}\""),
                Some(&format!("期望 \"{close}\"")),
            ));
        }
        self.cur.bump();
        Ok(chars)
    }

    /// Text up to the closing bracket, on the same line.
    fn bracketed_text(&mut self, open_at: Pos, close: char) -> Result<Vec<(char, Pos)>, FlowError> {
        let mut chars = Vec::new();
        loop {
            let at = self.cur.pos();
            match self.cur.bump() {
                None | Some('\n') => {
                    return Err(error(
                        open_at,
                        format!("节点文字缺少结尾的 \"{close}\""),
                        Some(&format!(
                            "期望 \"{close}\"；文字中含括号时请加引号，如 A[\"文字\"]"
                        )),
                    ));
                }
                Some(c) if c == close => return Ok(chars),
                Some(c) => chars.push((c, at)),
            }
        }
    }

    fn register(
        &mut self,
        key: String,
        at: Pos,
        definition: Option<Definition>,
    ) -> Result<usize, FlowError> {
        if let Some(&index) = self.index.get(&key) {
            let Some(new) = definition else {
                return Ok(index);
            };
            match &self.nodes[index].definition {
                Some(old) if old.shape == new.shape && old.text == new.text => {}
                Some(old) => {
                    let e = error(
                        at,
                        format!("节点 \"{key}\" 已在第 {} 行定义", old.at.line),
                        Some(&format!("再次引用时只写 \"{key}\"，不带形状和文字")),
                    );
                    return Err(FlowError {
                        kind: FlowErrorKind::Redefined {
                            earlier_line: old.at.line,
                            key,
                        },
                        ..e
                    });
                }
                None => {
                    self.risk_refs.extend(new.refs.iter().cloned());
                    self.nodes[index].definition = Some(new);
                }
            }
            return Ok(index);
        }
        if self.nodes.len() >= MAX_NODES {
            return Err(error(
                at,
                format!("节点过多（最多 {MAX_NODES} 个）"),
                Some("请把流程拆成几张图"),
            ));
        }
        if let Some(definition) = &definition {
            self.risk_refs.extend(definition.refs.iter().cloned());
        }
        let index = self.nodes.len();
        self.index.insert(key.clone(), index);
        self.nodes.push(Draft {
            key,
            first_use: at,
            definition,
        });
        Ok(index)
    }

    fn finish(self, direction: Direction, header_at: Pos) -> Result<Flowchart, FlowError> {
        if self.nodes.is_empty() {
            return Err(error(
                header_at,
                "流程图没有任何节点",
                Some("例如 A[开始] --> B[结束]"),
            ));
        }
        let mut nodes = Vec::with_capacity(self.nodes.len());
        for draft in self.nodes {
            let Some(definition) = draft.definition else {
                let e = error(
                    draft.first_use,
                    format!("节点 \"{}\" 未定义", draft.key),
                    Some(&format!("用 {}[文字] 写明该步骤", draft.key)),
                );
                return Err(FlowError {
                    kind: FlowErrorKind::UndefinedNode { key: draft.key },
                    ..e
                });
            };
            let mut risk_ids: Vec<String> = Vec::new();
            for r in &definition.refs {
                if !risk_ids.contains(&r.id) {
                    risk_ids.push(r.id.clone());
                }
            }
            nodes.push(Node {
                key: draft.key,
                shape: definition.shape,
                text: definition.text,
                risk_ids,
            });
        }
        let ends: Vec<(usize, usize)> = self.edges.iter().map(|e| (e.from, e.to)).collect();
        let mut cost = nodes.len();
        for (edge_cost, at) in super::layered::edge_costs(nodes.len(), &ends)
            .into_iter()
            .zip(&self.edge_at)
        {
            cost += edge_cost;
            if cost > MAX_LAYOUT_VERTICES {
                return Err(error(
                    *at,
                    "流程图过于复杂，无法排版",
                    Some("跨越多个步骤的长连线过多；请把流程拆成几张图"),
                ));
            }
        }
        Ok(Flowchart {
            direction,
            nodes,
            edges: self.edges,
            risk_refs: self.risk_refs,
        })
    }
}
