//! The parsed flowchart: nodes in order of first appearance, edges in source order, and the
//! risk references found in node texts. Built by `parse`, read by `look`, `svg` and the caller.

use super::RiskRef;

/// A parsed flow diagram, ready to render.
#[derive(Debug, Clone, PartialEq)]
pub struct Flowchart {
    pub(crate) direction: Direction,
    pub(crate) nodes: Vec<Node>,
    pub(crate) edges: Vec<Edge>,
    pub(crate) risk_refs: Vec<RiskRef>,
}

impl Flowchart {
    /// Every `@ID` written in a node's text, in source order, with its position.
    pub(crate) fn risk_refs(&self) -> &[RiskRef] {
        &self.risk_refs
    }

    /// The number of steps (nodes) in the diagram.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }
}

/// Where the flow goes: the Mermaid direction keywords TD/TB, BT, LR and RL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    TopDown,
    BottomUp,
    LeftRight,
    RightLeft,
}

/// The three node shapes of the subset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// `A[text]`: a step (rectangle).
    Step,
    /// `A{text}`: a decision (diamond).
    Decision,
    /// `A(text)`: a rounded step, typically start or end.
    Rounded,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    /// The Mermaid node id (`A` in `A[text]`); never drawn.
    pub(crate) key: String,
    pub(crate) shape: Shape,
    /// The label as written, `<br>` turned into `\n`, `@ID`s still in it.
    pub(crate) text: String,
    /// The distinct risk ids named in `text`, in order.
    pub(crate) risk_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Edge {
    pub(crate) from: usize,
    pub(crate) to: usize,
    /// `-->` has an arrowhead, `---` has none.
    pub(crate) arrow: bool,
    pub(crate) label: Option<String>,
}
