//! Edge routes in the layout frame (layers are rows, the flow goes down).
//!
//! Inside a band an edge runs straight down at its vertex's position, which no box in that
//! band covers; between bands it slants across the empty channel. A forward edge leaves the
//! bottom centre of its source and enters the top centre of its target. A loop edge leaves its
//! source's right side, climbs through its side vertices and dummies, and enters its target's
//! right side; several loops on one node get ports spread so that they nest without crossing.

use super::chains::{Ends, Kind, LOOP_ALONG, LOOP_LABEL_GAP, Layered};
use super::place::Bands;
use crate::flow::geometry::Point;

/// Distance between the ports of two loops on the same side of a node.
const PORT_STEP: f64 = 8.0;
/// Half the height of a self-loop.
const SELF_LOOP_HALF: f64 = 8.0;

pub(super) struct FrameRoute {
    pub(super) points: Vec<Point>,
    pub(super) label_center: Option<Point>,
}

pub(super) fn routes(layered: &Layered, x: &[f64], bands: &Bands) -> Vec<FrameRoute> {
    let offsets = port_offsets(layered);
    let labels = label_boxes(layered, x, bands);
    let center = |v: usize| Point::new(x[v], bands.center(layered.vertices[v].layer));
    layered
        .chains
        .iter()
        .map(|chain| {
            let label_center = chain.label.map(center);
            let mut points = Vec::new();
            // Straight down through the band of each dummy; a dummy in a label layer that
            // carries no label is skipped when the slant past it misses that layer's labels.
            let through = |points: &mut Vec<Point>, dummies: &[usize], next: Point| {
                for (i, &d) in dummies.iter().enumerate() {
                    let layer = layered.vertices[d].layer;
                    let after = dummies.get(i + 1).map_or(next, |&n| {
                        Point::new(x[n], bands.top(layered.vertices[n].layer))
                    });
                    let skippable = layer % 2 == 1 && chain.label != Some(d);
                    if let Some(&before) = points.last()
                        && skippable
                        && labels[layer].iter().all(|b| !b.hit_by(before, after))
                    {
                        continue;
                    }
                    points.push(Point::new(x[d], bands.top(layer)));
                    points.push(Point::new(x[d], bands.bottom(layer)));
                }
            };
            match chain.ends {
                Ends::Forward { from, to } => {
                    let (source, target) = (&layered.vertices[from], &layered.vertices[to]);
                    points.push(Point::new(x[from], center(from).y + source.across / 2.0));
                    points.push(Point::new(x[from], bands.bottom(source.layer)));
                    let entry = Point::new(x[to], bands.top(target.layer));
                    through(&mut points, inner(&chain.path), entry);
                    points.push(entry);
                    points.push(Point::new(x[to], center(to).y - target.across / 2.0));
                }
                Ends::Back { top, bottom } => {
                    let (first, last) = (chain.path[0], chain.path[chain.path.len() - 1]);
                    let top_port = side_port(layered, x, bands, top, offsets[first]);
                    let bottom_port = side_port(layered, x, bands, bottom, offsets[last]);
                    points.push(top_port);
                    points.push(Point::new(x[first], top_port.y));
                    points.push(Point::new(
                        x[first],
                        bands.bottom(layered.vertices[top].layer),
                    ));
                    let entry = Point::new(x[last], bands.top(layered.vertices[bottom].layer));
                    through(&mut points, inner(&chain.path), entry);
                    points.push(entry);
                    points.push(Point::new(x[last], bottom_port.y));
                    points.push(bottom_port);
                    // The edge itself goes from `bottom` (its source) up to `top`.
                    points.reverse();
                }
                Ends::SelfLoop { node, label } => {
                    let vertex = chain.path[0];
                    let loop_vertex = &layered.vertices[vertex];
                    let half = layered.vertices[node].across / 2.0;
                    let dy = SELF_LOOP_HALF.min(half - 3.0).max(1.0);
                    let out = side_port(layered, x, bands, node, -dy);
                    let back = side_port(layered, x, bands, node, dy);
                    let left = x[vertex] - loop_vertex.along / 2.0;
                    let turn = left + LOOP_ALONG / 2.0;
                    points.extend([out, Point::new(turn, out.y), Point::new(turn, back.y), back]);
                    if let Some(label) = label {
                        let top = center(node).y - loop_vertex.across / 2.0;
                        let label_center = Point::new(
                            left + LOOP_ALONG + LOOP_LABEL_GAP + label.along / 2.0,
                            top + label.offset + label.across / 2.0,
                        );
                        return FrameRoute {
                            points: simplify(points),
                            label_center: Some(label_center),
                        };
                    }
                }
            }
            FrameRoute {
                points: simplify(points),
                label_center,
            }
        })
        .collect()
}

/// A label's box in the layout frame.
struct LabelBox {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
}

impl LabelBox {
    /// Whether the bounding box of the segment `a`–`b` (which holds the curve drawn for it)
    /// reaches into this box.
    fn hit_by(&self, a: Point, b: Point) -> bool {
        a.x.min(b.x) <= self.right
            && a.x.max(b.x) >= self.left
            && a.y.min(b.y) <= self.bottom
            && a.y.max(b.y) >= self.top
    }
}

/// The label boxes of each layer (labels of forward and loop edges; self-loop labels sit in
/// node layers, where nothing is skipped).
fn label_boxes(layered: &Layered, x: &[f64], bands: &Bands) -> Vec<Vec<LabelBox>> {
    let mut boxes: Vec<Vec<LabelBox>> = (0..layered.layers.len()).map(|_| Vec::new()).collect();
    for v in layered.chains.iter().filter_map(|c| c.label) {
        let vertex = &layered.vertices[v];
        let center = bands.center(vertex.layer);
        boxes[vertex.layer].push(LabelBox {
            left: x[v] - vertex.along / 2.0,
            right: x[v] + vertex.along / 2.0,
            top: center - vertex.across / 2.0,
            bottom: center + vertex.across / 2.0,
        });
    }
    boxes
}

/// The path without its two ends.
fn inner(path: &[usize]) -> &[usize] {
    if path.len() >= 2 {
        &path[1..path.len() - 1]
    } else {
        &[]
    }
}

/// A point on the right side of `node`, `offset` below its centre; on a diamond's outline.
fn side_port(layered: &Layered, x: &[f64], bands: &Bands, node: usize, offset: f64) -> Point {
    let vertex = &layered.vertices[node];
    let (half_along, half_across) = (vertex.along / 2.0, vertex.across / 2.0);
    let offset = offset.clamp(-half_across, half_across);
    let inset = match vertex.kind {
        Kind::Node { diamond: true } if half_across > 0.0 => {
            half_along * offset.abs() / half_across
        }
        _ => 0.0,
    };
    Point::new(
        x[node] + half_along - inset,
        bands.center(vertex.layer) + offset,
    )
}

/// The port offset of every side vertex. Loops leaving a node upwards use the upper half of
/// its side and loops arriving from below the lower half; in each half the loop nearest the
/// node takes the outermost port. Then no loop's horizontal crosses another's vertical.
fn port_offsets(layered: &Layered) -> Vec<f64> {
    let mut offsets = vec![0.0; layered.vertices.len()];
    for (node, attached) in layered.attached.iter().enumerate() {
        let sides: Vec<(usize, bool)> = attached
            .iter()
            .filter_map(|&v| match layered.vertices[v].kind {
                Kind::Side { up, .. } => Some((v, up)),
                _ => None,
            })
            .collect();
        if sides.len() < 2 {
            continue;
        }
        let ups = sides.iter().filter(|(_, up)| *up).count();
        let downs = sides.len() - ups;
        let limit = (layered.vertices[node].across / 2.0 - 4.0).max(0.0);
        let base = (PORT_STEP / 2.0).min(limit);
        let most = ups.max(downs);
        let step = if most > 1 {
            ((limit - base) / (most - 1) as f64).clamp(0.0, PORT_STEP)
        } else {
            PORT_STEP
        };
        let (mut up_index, mut down_index) = (0, 0);
        for (v, up) in sides {
            offsets[v] = if up {
                up_index += 1;
                -(base + step * (ups - up_index) as f64)
            } else {
                down_index += 1;
                base + step * (downs - down_index) as f64
            };
        }
    }
    offsets
}

/// Drops repeated points and the middle of three points on one axis-parallel line.
fn simplify(points: Vec<Point>) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(points.len());
    for p in points {
        if out
            .last()
            .is_some_and(|q| close(q.x, p.x) && close(q.y, p.y))
        {
            continue;
        }
        if out.len() >= 2 {
            let (a, b) = (out[out.len() - 2], out[out.len() - 1]);
            let same_x = close(a.x, b.x) && close(b.x, p.x);
            let same_y = close(a.y, b.y) && close(b.y, p.y);
            let forward = (b.x - a.x) * (p.x - b.x) + (b.y - a.y) * (p.y - b.y) >= 0.0;
            if (same_x || same_y) && forward {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}
