//! Layered (Sugiyama-style) graph layout, written for flow diagrams.
//!
//! In: node sizes, edges with optional label sizes, and the flow direction. Out: a box per
//! node, a polyline per edge and a box per edge label, such that no two boxes overlap and no
//! edge passes through a box other than its own ends.
//!
//! The stages, one module each:
//! 1. [`rank`]: break cycles (edges that close a loop are reversed) and give every node a
//!    layer by longest path.
//! 2. [`chains`]: double the layers so every edge crosses a "label layer", and turn each edge
//!    into a chain of dummy vertices, one per layer crossed. An edge's label is a dummy with
//!    the label's size. A reversed (loop) edge hangs off the right side of both its ends, so
//!    loops go around the side.
//! 3. [`order`]: order each layer by barycenter sweeps, keeping the order with fewest crossings.
//! 4. [`place`]: positions along each layer (a least-squares fit to the neighbours under the
//!    minimum separations, solved exactly per layer by pool-adjacent-violators), then layer
//!    depths.
//! 5. [`route`]: polylines. Inside a layer's band an edge runs straight at its vertex's
//!    position, which no box shares; it changes position only in the empty channel between two
//!    bands. That is what guarantees edges never cross boxes.
//!
//! Everything is computed in a frame where layers are rows and the flow goes down; the result
//! is then turned for LR, BT and RL.

mod chains;
mod order;
mod place;
mod rank;
mod route;
#[cfg(test)]
mod tests;

use super::geometry::{Point, Rect, Size};

/// Blank space around the drawing.
const MARGIN: f64 = 8.0;

#[derive(Debug, Clone)]
pub(crate) struct Graph {
    pub(crate) nodes: Vec<NodeSpec>,
    pub(crate) edges: Vec<EdgeSpec>,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct NodeSpec {
    pub(crate) size: Size,
    /// Side ports of a diamond are moved onto its outline.
    pub(crate) diamond: bool,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct EdgeSpec {
    pub(crate) from: usize,
    pub(crate) to: usize,
    pub(crate) label: Option<Size>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flow {
    Down,
    Up,
    Right,
    Left,
}

impl Flow {
    /// Whether layers are columns (the flow is horizontal).
    pub(crate) fn is_horizontal(self) -> bool {
        matches!(self, Flow::Right | Flow::Left)
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Layout {
    pub(crate) nodes: Vec<Rect>,
    /// One route per edge of the graph, in the same order.
    pub(crate) edges: Vec<Route>,
    pub(crate) size: Size,
}

#[derive(Debug, Clone)]
pub(crate) struct Route {
    /// From the source's outline to the target's. Segments that change both coordinates lie
    /// in an empty channel between layers and may be drawn as curves within their bounding box.
    pub(crate) points: Vec<Point>,
    pub(crate) label: Option<Rect>,
}

/// How many vertices each edge adds to the layered graph (dummies and side vertices), for
/// `node_count` nodes: the measure of layout time and memory. Edges must name nodes below
/// `node_count`.
pub(crate) fn edge_costs(node_count: usize, edges: &[(usize, usize)]) -> Vec<usize> {
    let ranking = rank::assign(node_count, edges);
    edges
        .iter()
        .zip(&ranking.reversed)
        .map(|(&(a, b), &reversed)| {
            let span = ranking.rank[a].abs_diff(ranking.rank[b]);
            match (a == b, reversed) {
                (true, _) => 1,
                (false, false) => (2 * span).saturating_sub(1),
                (false, true) => 2 * span + 1,
            }
        })
        .collect()
}

pub(crate) fn layout(graph: &Graph, flow: Flow) -> Layout {
    let edge_ends: Vec<(usize, usize)> = graph
        .edges
        .iter()
        .map(|e| (e.from, e.to))
        .filter(|&(a, b)| a < graph.nodes.len() && b < graph.nodes.len())
        .collect();
    if graph.nodes.is_empty() || edge_ends.len() != graph.edges.len() {
        return empty_layout(graph);
    }
    let frame = Frame { flow };
    let ranking = rank::assign(graph.nodes.len(), &edge_ends);
    let mut layered = chains::build(graph, &ranking, &frame);
    order::reduce_crossings(&mut layered);
    let along = place::along_layers(&layered);
    let bands = place::bands(&layered, &along);
    let routes = route::routes(&layered, &along, &bands);
    frame.output(graph, &layered, &along, &bands, routes)
}

/// The layout of a graph that is empty or names nodes that do not exist: nothing to draw.
fn empty_layout(graph: &Graph) -> Layout {
    Layout {
        nodes: Vec::new(),
        edges: graph
            .edges
            .iter()
            .map(|_| Route {
                points: Vec::new(),
                label: None,
            })
            .collect(),
        size: Size {
            width: 2.0 * MARGIN,
            height: 2.0 * MARGIN,
        },
    }
}

/// Converts between output sizes and the layout frame, where "along" runs within a layer and
/// "across" runs with the flow.
pub(super) struct Frame {
    flow: Flow,
}

impl Frame {
    /// (along, across) extents of a box of the given output size.
    fn extents(&self, size: Size) -> (f64, f64) {
        if self.flow.is_horizontal() {
            (size.height, size.width)
        } else {
            (size.width, size.height)
        }
    }

    fn output(
        &self,
        graph: &Graph,
        layered: &chains::Layered,
        along: &[f64],
        bands: &place::Bands,
        routes: Vec<route::FrameRoute>,
    ) -> Layout {
        let along_max = layered
            .vertices
            .iter()
            .zip(along)
            .map(|(v, x)| x + v.along / 2.0)
            .fold(0.0, f64::max);
        let across_max = bands.end();
        let turn = |p: Point| -> Point {
            let (x, y) = match self.flow {
                Flow::Down => (p.x, p.y),
                Flow::Up => (p.x, across_max - p.y),
                Flow::Right => (p.y, p.x),
                Flow::Left => (across_max - p.y, p.x),
            };
            Point::new(x + MARGIN, y + MARGIN)
        };
        let nodes = graph
            .nodes
            .iter()
            .enumerate()
            .map(|(i, node)| Rect {
                center: turn(Point::new(
                    along[i],
                    bands.center(layered.vertices[i].layer),
                )),
                size: node.size,
            })
            .collect();
        let edges = routes
            .into_iter()
            .zip(&graph.edges)
            .map(|(r, spec)| Route {
                points: r.points.into_iter().map(turn).collect(),
                label: r.label_center.zip(spec.label).map(|(center, size)| Rect {
                    center: turn(center),
                    size,
                }),
            })
            .collect();
        let (width, height) = if self.flow.is_horizontal() {
            (across_max, along_max)
        } else {
            (along_max, across_max)
        };
        Layout {
            nodes,
            edges,
            size: Size {
                width: width + 2.0 * MARGIN,
                height: height + 2.0 * MARGIN,
            },
        }
    }
}
