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

/// Each edge of `graph` as a chain of vertices over the doubled layers of `ranking`.
pub(super) fn build(graph: &Graph, ranking: &Ranking, frame: &Frame) -> Layered {
    let mut layered = Layered::with_nodes(graph, ranking, frame);
    let mut attachments = Attachments::new(graph.nodes.len());
    for (index, (edge, &reversed)) in graph.edges.iter().zip(&ranking.reversed).enumerate() {
        let label = edge.label.map(|size| frame.extents(size));
        let chain = if edge.from == edge.to {
            layered.self_loop_chain(edge.from, index, label, &mut attachments)
        } else if !reversed {
            layered.forward_chain(edge.from, edge.to, label.is_some())
        } else {
            layered.back_chain(edge.to, edge.from, index, label.is_some(), &mut attachments)
        };
        layered.add_chain(chain, label);
    }
    attachments.attach(&mut layered);
    layered
}

/// The vertices attached to a node's right, collected while the chains are made and sorted
/// once all are known.
struct Attachments {
    /// (anchor, sort key, vertex).
    pending: Vec<(usize, (usize, usize), usize)>,
    /// Per node: its loop vertex, shared by all its self-loops.
    loop_vertex: Vec<Option<usize>>,
}

impl Attachments {
    fn new(nodes: usize) -> Attachments {
        Attachments {
            pending: Vec::new(),
            loop_vertex: vec![None; nodes],
        }
    }

    fn attach(mut self, layered: &mut Layered) {
        self.pending.sort_by_key(|&(anchor, key, _)| (anchor, key));
        for (anchor, _, vertex) in self.pending {
            layered.attached[anchor].push(vertex);
        }
    }
}

impl Layered {
    /// The node vertices, each on the layer of twice its rank, and no edge yet.
    fn with_nodes(graph: &Graph, ranking: &Ranking, frame: &Frame) -> Layered {
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
        layered
    }

    /// A self-loop of `node` (edge `index`): the node's loop vertex, made on its first loop.
    /// All self-loops of a node share it; their labels stack beside it.
    fn self_loop_chain(
        &mut self,
        node: usize,
        index: usize,
        label: Option<(f64, f64)>,
        attachments: &mut Attachments,
    ) -> Chain {
        let vertex = match attachments.loop_vertex[node] {
            Some(vertex) => vertex,
            None => {
                let vertex = self.add_vertex(Vertex {
                    layer: self.vertices[node].layer,
                    along: LOOP_ALONG,
                    across: 0.0,
                    kind: Kind::SelfLoop { anchor: node },
                });
                // Outermost, so the horizontals of loop edges never cross its labels.
                attachments
                    .pending
                    .push((node, (usize::MAX, index), vertex));
                attachments.loop_vertex[node] = Some(vertex);
                vertex
            }
        };
        let loop_label = label.map(|(along, across)| {
            let v = &mut self.vertices[vertex];
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
    }

    /// An edge laid out as written: `from`, a dummy on each layer between, `to`. Its label
    /// (if `labelled`) is the first dummy, on the label layer just below `from`.
    fn forward_chain(&mut self, from: usize, to: usize, labelled: bool) -> Chain {
        let mut path = vec![from];
        for layer in self.vertices[from].layer + 1..self.vertices[to].layer {
            path.push(self.dummy(layer));
        }
        path.push(to);
        Chain {
            ends: Ends::Forward { from, to },
            label: labelled.then(|| path[1]),
            path,
        }
    }

    /// An edge that closes a cycle (edge `index`, from `bottom` up to `top`): a side vertex
    /// beside each end, dummies between them.
    fn back_chain(
        &mut self,
        top: usize,
        bottom: usize,
        index: usize,
        labelled: bool,
        attachments: &mut Attachments,
    ) -> Chain {
        let (top_layer, bottom_layer) = (self.vertices[top].layer, self.vertices[bottom].layer);
        let span = bottom_layer - top_layer;
        let mut path = Vec::with_capacity(span + 1);
        for (layer, anchor, up) in [(top_layer, top, false), (bottom_layer, bottom, true)] {
            let side = self.add_vertex(Vertex {
                layer,
                along: 0.0,
                across: 0.0,
                kind: Kind::Side { anchor, up },
            });
            attachments.pending.push((anchor, (span, index), side));
            path.push(side);
        }
        let bottom_side = path.pop().unwrap_or_default();
        for layer in top_layer + 1..bottom_layer {
            path.push(self.dummy(layer));
        }
        path.push(bottom_side);
        // The label sits on the label layer nearest the middle of the loop.
        let middle = (top_layer + bottom_layer) / 2;
        let label_layer = if middle % 2 == 1 { middle } else { middle - 1 };
        Chain {
            ends: Ends::Back { top, bottom },
            label: labelled.then(|| path[label_layer - top_layer]),
            path,
        }
    }

    /// Sizes the chain's label vertex like its label, links its vertices layer to layer and
    /// keeps it.
    fn add_chain(&mut self, chain: Chain, label: Option<(f64, f64)>) {
        if let (Some(vertex), Some((along, across))) = (chain.label, label) {
            self.vertices[vertex].along = along;
            self.vertices[vertex].across = across;
        }
        for pair in chain.path.windows(2) {
            self.connect(pair[0], pair[1]);
        }
        self.chains.push(chain);
    }
}
