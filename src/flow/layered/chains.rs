//! The layered graph: every edge becomes a chain of vertices, one per layer it crosses.
//!
//! Node ranks are doubled, so between two node layers there is always a "label layer" that
//! every edge crosses; an edge's label is the dummy vertex it has there, sized like the label,
//! which is how labels get their own room and never overlap anything. A reversed (loop) edge
//! starts and ends in a "side" vertex attached to the right of its two nodes; the self-loops of
//! a node share one attached vertex. Attached vertices are not ordered on their own: they always follow
//! their node.

use super::rank::Ranking;
use super::{Frame, Graph};

/// Along-layer room of a self-loop before its label.
pub(super) const LOOP_ALONG: f64 = 6.0;
/// Space between a self-loop and its label.
pub(super) const LOOP_LABEL_GAP: f64 = 6.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Kind {
    Node {
        diamond: bool,
    },
    Dummy,
    /// Attached to the right of `anchor`. `up`: its chain leaves the anchor upwards, so the
    /// anchor is the lower end (the source) of a loop edge.
    Side {
        anchor: usize,
        up: bool,
    },
    SelfLoop {
        anchor: usize,
    },
}

#[derive(Debug, Clone)]
pub(super) struct Vertex {
    pub(super) layer: usize,
    /// Extent within the layer.
    pub(super) along: f64,
    /// Extent in the direction of the flow.
    pub(super) across: f64,
    pub(super) kind: Kind,
}

impl Vertex {
    pub(super) fn is_node(&self) -> bool {
        matches!(self.kind, Kind::Node { .. })
    }

    pub(super) fn anchor(&self) -> Option<usize> {
        match self.kind {
            Kind::Side { anchor, .. } | Kind::SelfLoop { anchor } => Some(anchor),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Ends {
    /// Laid out as written: `from` above `to`.
    Forward { from: usize, to: usize },
    /// Closes a cycle: `top` (the edge's target) above `bottom` (its source).
    Back { top: usize, bottom: usize },
    /// The label, if any, sits beside the loop inside the loop vertex (labels of several
    /// self-loops on one node are stacked).
    SelfLoop {
        node: usize,
        label: Option<LoopLabel>,
    },
}

/// Where a self-loop's label sits in its loop vertex, and its extents.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct LoopLabel {
    /// From the top of the loop vertex, across the flow.
    pub(super) offset: f64,
    pub(super) along: f64,
    pub(super) across: f64,
}

#[derive(Debug, Clone)]
pub(super) struct Chain {
    pub(super) ends: Ends,
    /// The vertices of the chain from the top layer down: the nodes and dummies of a forward
    /// edge; the side vertices and dummies of a back edge; the loop vertex of a self-loop.
    pub(super) path: Vec<usize>,
    /// The vertex that carries the label.
    pub(super) label: Option<usize>,
}

#[derive(Debug, Clone)]
pub(super) struct Layered {
    /// Nodes first (vertex `i` is node `i`), then dummies.
    pub(super) vertices: Vec<Vertex>,
    /// The order of each layer, attached vertices left out (set by `order`).
    pub(super) layers: Vec<Vec<usize>>,
    /// Per vertex: the vertices attached to its right, nearest first.
    pub(super) attached: Vec<Vec<usize>>,
    /// Neighbours in the layer above and below, with a weight that grows with how much
    /// straightness matters (long edges more than short ones).
    pub(super) up: Vec<Vec<(usize, f64)>>,
    pub(super) down: Vec<Vec<(usize, f64)>>,
    /// One per edge of the graph.
    pub(super) chains: Vec<Chain>,
}

impl Layered {
    /// Layer `k` in full: each vertex followed by the vertices attached to it.
    pub(super) fn full_layer(&self, k: usize) -> Vec<usize> {
        let mut full = Vec::with_capacity(self.layers[k].len());
        self.full_layer_into(k, &mut full);
        full
    }

    /// [`Layered::full_layer`], appended to `out`.
    pub(super) fn full_layer_into(&self, k: usize, out: &mut Vec<usize>) {
        for &v in &self.layers[k] {
            out.push(v);
            out.extend_from_slice(&self.attached[v]);
        }
    }

    fn add_vertex(&mut self, vertex: Vertex) -> usize {
        self.vertices.push(vertex);
        self.attached.push(Vec::new());
        self.up.push(Vec::new());
        self.down.push(Vec::new());
        self.vertices.len() - 1
    }

    fn dummy(&mut self, layer: usize) -> usize {
        self.add_vertex(Vertex {
            layer,
            along: 0.0,
            across: 0.0,
            kind: Kind::Dummy,
        })
    }

    fn connect(&mut self, upper: usize, lower: usize) {
        let dummies = [upper, lower]
            .iter()
            .filter(|&&v| !self.vertices[v].is_node())
            .count();
        let weight = [1.0, 2.0, 8.0][dummies];
        self.down[upper].push((lower, weight));
        self.up[lower].push((upper, weight));
    }
}

pub(super) fn build(graph: &Graph, ranking: &Ranking, frame: &Frame) -> Layered {
    let max_rank = ranking.rank.iter().copied().max().unwrap_or(0);
    let mut layered = Layered {
        vertices: Vec::new(),
        layers: vec![Vec::new(); 2 * max_rank + 1],
        attached: Vec::new(),
        up: Vec::new(),
        down: Vec::new(),
        chains: Vec::with_capacity(graph.edges.len()),
    };
    for (node, &rank) in graph.nodes.iter().zip(&ranking.rank) {
        let (along, across) = frame.extents(node.size);
        layered.add_vertex(Vertex {
            layer: 2 * rank,
            along,
            across,
            kind: Kind::Node {
                diamond: node.diamond,
            },
        });
    }
    // (anchor, sort key, vertex): attached vertices are sorted once all are known.
    let mut attachments: Vec<(usize, (usize, usize), usize)> = Vec::new();
    let mut loop_vertex: Vec<Option<usize>> = vec![None; graph.nodes.len()];
    for (index, (edge, &reversed)) in graph.edges.iter().zip(&ranking.reversed).enumerate() {
        let label = edge.label.map(|size| frame.extents(size));
        let chain = if edge.from == edge.to {
            let node = edge.from;
            let vertex = match loop_vertex[node] {
                Some(vertex) => vertex,
                None => {
                    let vertex = layered.add_vertex(Vertex {
                        layer: layered.vertices[node].layer,
                        along: LOOP_ALONG,
                        across: 0.0,
                        kind: Kind::SelfLoop { anchor: node },
                    });
                    // Outermost, so the horizontals of loop edges never cross its labels.
                    attachments.push((node, (usize::MAX, index), vertex));
                    loop_vertex[node] = Some(vertex);
                    vertex
                }
            };
            // All self-loops of a node share one loop; their labels stack beside it.
            let loop_label = label.map(|(along, across)| {
                let v = &mut layered.vertices[vertex];
                let offset = if v.across > 0.0 {
                    v.across + LOOP_LABEL_GAP
                } else {
                    0.0
                };
                v.along = v.along.max(LOOP_ALONG + LOOP_LABEL_GAP + along);
                v.across = offset + across;
                LoopLabel {
                    offset,
                    along,
                    across,
                }
            });
            Chain {
                ends: Ends::SelfLoop {
                    node,
                    label: loop_label,
                },
                path: vec![vertex],
                label: None,
            }
        } else if !reversed {
            let (from, to) = (edge.from, edge.to);
            let mut path = vec![from];
            for layer in layered.vertices[from].layer + 1..layered.vertices[to].layer {
                path.push(layered.dummy(layer));
            }
            path.push(to);
            let label_vertex = label.map(|_| path[1]);
            Chain {
                ends: Ends::Forward { from, to },
                path,
                label: label_vertex,
            }
        } else {
            let (top, bottom) = (edge.to, edge.from);
            let (top_layer, bottom_layer) =
                (layered.vertices[top].layer, layered.vertices[bottom].layer);
            let span = bottom_layer - top_layer;
            let mut path = Vec::with_capacity(span + 1);
            for (layer, anchor, up) in [(top_layer, top, false), (bottom_layer, bottom, true)] {
                let side = layered.add_vertex(Vertex {
                    layer,
                    along: 0.0,
                    across: 0.0,
                    kind: Kind::Side { anchor, up },
                });
                attachments.push((anchor, (span, index), side));
                path.push(side);
            }
            let bottom_side = path.pop().unwrap_or_default();
            for layer in top_layer + 1..bottom_layer {
                path.push(layered.dummy(layer));
            }
            path.push(bottom_side);
            // The label sits on the label layer nearest the middle of the loop.
            let middle = (top_layer + bottom_layer) / 2;
            let label_layer = if middle % 2 == 1 { middle } else { middle - 1 };
            let label_vertex = label.map(|_| path[label_layer - top_layer]);
            Chain {
                ends: Ends::Back { top, bottom },
                path,
                label: label_vertex,
            }
        };
        if let (Some(vertex), Some((along, across))) = (chain.label, label) {
            layered.vertices[vertex].along = along;
            layered.vertices[vertex].across = across;
        }
        for pair in chain.path.windows(2) {
            layered.connect(pair[0], pair[1]);
        }
        layered.chains.push(chain);
    }
    attachments.sort_by_key(|&(anchor, key, _)| (anchor, key));
    for (anchor, _, vertex) in attachments {
        layered.attached[anchor].push(vertex);
    }
    layered
}
