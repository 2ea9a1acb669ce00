//! Workflow diagrams (权力运行流程图): a Mermaid flowchart subset drawn as inline SVG.
//!
//! In: the text of a fenced ```` ```flow ```` (or ```` ```mermaid ````) block. [`parse`] turns it
//! into a [`Flowchart`], or into one [`FlowError`] that knows its line and column and says in
//! Chinese what was expected. [`Flowchart::risk_refs`] lists every `@ID` written in a node, so the
//! caller can report the ones that name no risk point.
//!
//! Out: [`render_svg`] asks the caller, per risk id, what the audience may see ([`RiskMark`]),
//! measures the labels ([`text`]), lays the graph out in layers ([`layered`]) and writes a
//! self-contained, deterministic `<svg>` ([`svg`]). Hidden risk points leave no trace but the
//! word 风险点: their id, grade, title and link never reach the output.

mod geometry;
mod layered;
mod look;
mod model;
mod parse;
mod svg;
mod text;

use std::fmt;

pub use model::Flowchart;

/// A flow block that does not parse. `line` and `column` are 1-based and relative to the text
/// given to [`parse`]; `column` counts characters, not bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowError {
    pub line: usize,
    pub column: usize,
    /// What is wrong, in Chinese.
    pub message: String,
    /// What was expected instead, in Chinese, when there is something useful to say.
    pub(crate) hint: Option<String>,
    /// What kind of error it is, for callers that word it for the whole file.
    pub(crate) kind: FlowErrorKind,
}

/// What a [`FlowError`] is about, beyond its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FlowErrorKind {
    /// The text does not follow the syntax.
    Syntax,
    /// A node is linked to (or named alone) but never given a shape and text: a reference to a
    /// node that does not exist.
    UndefinedNode { key: String },
    /// A node given a second, different shape or text; `earlier_line` is where the first one
    /// stands (relative to the text, like `line`).
    Redefined { key: String, earlier_line: usize },
}

impl fmt::Display for FlowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "（{hint}）")?;
        }
        Ok(())
    }
}

impl std::error::Error for FlowError {}

/// One `@ID` written in a node's text: the risk point it names and where the `@` stands
/// (1-based line and column, relative to the text given to [`parse`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RiskRef {
    pub(crate) id: String,
    pub(crate) line: usize,
    pub(crate) column: usize,
}

/// What the audience of a build may learn about one referenced risk point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RiskMark {
    /// Published to this audience: the node takes the grade's colour, names the grade and the
    /// id, and links to the point's page. `grade` is 1, 2 or 3 (一级, 二级, 三级); other values
    /// are clamped into that range.
    Visible {
        grade: u8,
        href: String,
        title: String,
    },
    /// Exists but may not be shown to this audience: the node says only 风险点.
    Hidden,
    /// No such risk point (the caller has reported it): the node is drawn plain.
    Unknown,
}

/// Parses a flowchart. See `docs/flow.md` for the accepted syntax.
pub fn parse(src: &str) -> Result<Flowchart, FlowError> {
    parse::parse(src)
}

/// Draws `chart` as an inline `<svg>` element. Every `id` in it starts with `diagram_id`
/// (characters outside `[A-Za-z0-9_-]` are replaced), so several diagrams can share a page.
/// `mark` is asked once per distinct risk id.
pub fn render_svg(chart: &Flowchart, diagram_id: &str, mark: &dyn Fn(&str) -> RiskMark) -> String {
    svg::render(chart, diagram_id, mark)
}
