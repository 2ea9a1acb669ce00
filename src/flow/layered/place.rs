//! Coordinates: where each vertex sits along its layer, and how deep each layer's band is.
//!
//! Along a layer, the order is fixed and neighbours must keep a minimum separation. Each
//! vertex wants to sit at the weighted mean of its neighbours in the adjacent layer; for one
//! layer, the positions closest to those wishes (least squares) under the separations are
//! found exactly with pool-adjacent-violators. Sweeping down and up a few times straightens
//! chains, centres a decision over its branches and a merge under them.

use super::chains::{Kind, Layered};

/// Between two nodes of a layer.
const NODE_GAP: f64 = 40.0;
/// Between anything and a dummy (an edge passing by, or a label).
const DUMMY_GAP: f64 = 16.0;
/// Between a node and the first loop hanging off its side.
const SIDE_GAP: f64 = 20.0;
/// Between two loops hanging off the same node.
const ATTACHED_GAP: f64 = 10.0;
/// The least depth of the empty channel between two bands; more when edges must slant far.
const CHANNEL: f64 = 20.0;
const CHANNEL_SLOPE: f64 = 0.25;
const CHANNEL_EXTRA_MAX: f64 = 36.0;

const SWEEPS: usize = 8;

/// The position along its layer of every vertex (its centre), left edge of the drawing at 0.
pub(super) fn along_layers(layered: &Layered) -> Vec<f64> {
    let full: Vec<Vec<usize>> = (0..layered.layers.len())
        .map(|k| layered.full_layer(k))
        .collect();
    let separations: Vec<Vec<f64>> = full
        .iter()
        .map(|layer| {
            layer
                .windows(2)
                .map(|pair| separation(layered, pair[0], pair[1]))
                .collect()
        })
        .collect();
    let mut x = vec![0.0; layered.vertices.len()];
    for (layer, seps) in full.iter().zip(&separations) {
        let mut at = 0.0;
        for (i, &v) in layer.iter().enumerate() {
            if i > 0 {
                at += seps[i - 1];
            }
            x[v] = at;
        }
    }
    let count = full.len();
    let reach = Reach::of(layered);
    let place = |x: &mut Vec<f64>, k: usize, up: bool, down: bool| {
        let desired: Vec<f64> = full[k]
            .iter()
            .map(|&v| wish(layered, &reach, x, v, up, down))
            .collect();
        let weights: Vec<f64> = full[k].iter().map(|&v| reach.through(v)).collect();
        for (&v, fitted) in full[k].iter().zip(fit(&desired, &weights, &separations[k])) {
            x[v] = fitted;
        }
    };
    for _ in 0..SWEEPS {
        for k in 1..count {
            place(&mut x, k, true, false);
        }
        for k in (0..count.saturating_sub(1)).rev() {
            place(&mut x, k, false, true);
        }
    }
    for k in 0..count {
        place(&mut x, k, true, true);
    }
    let left = layered
        .vertices
        .iter()
        .zip(&x)
        .map(|(v, x)| x - v.along / 2.0)
        .fold(f64::INFINITY, f64::min);
    if left.is_finite() {
        for value in &mut x {
            *value -= left;
        }
    }
    x
}

/// The least distance between the centres of `a` and its right-hand neighbour `b`.
fn separation(layered: &Layered, a: usize, b: usize) -> f64 {
    let (va, vb) = (&layered.vertices[a], &layered.vertices[b]);
    let gap = match vb.anchor() {
        Some(anchor) if anchor == a => SIDE_GAP,
        Some(anchor) if va.anchor() == Some(anchor) => ATTACHED_GAP,
        _ if va.is_node() && vb.is_node() => NODE_GAP,
        _ => DUMMY_GAP,
    };
    (va.along + vb.along) / 2.0 + gap
}

/// How far the longest paths through each vertex reach up and down, in layers. A vertex on
/// the main line of a procedure reaches far; a short side branch does not. Wishes and fits
/// weigh vertices by it, so the main line stays straight and side branches move aside.
struct Reach {
    above: Vec<f64>,
    below: Vec<f64>,
}

impl Reach {
    fn of(layered: &Layered) -> Reach {
        let count = layered.vertices.len();
        let (mut above, mut below) = (vec![0.0f64; count], vec![0.0f64; count]);
        let layers = layered.layers.len();
        for k in 0..layers {
            for v in layered.full_layer(k) {
                for &(w, _) in &layered.up[v] {
                    above[v] = above[v].max(above[w] + 1.0);
                }
            }
        }
        for k in (0..layers).rev() {
            for v in layered.full_layer(k) {
                for &(w, _) in &layered.down[v] {
                    below[v] = below[v].max(below[w] + 1.0);
                }
            }
        }
        Reach { above, below }
    }

    fn through(&self, v: usize) -> f64 {
        1.0 + self.above[v] + self.below[v]
    }
}

/// Where `v` would like to be: the mean of its neighbours, weighted by the edge's weight and
/// by how far each neighbour reaches away from `v`; or where it is, without neighbours.
///
/// A dummy between a node that fans out and a node that does not lines up with the latter
/// (and the other way round), so the edge bends once, next to the hub: branches split right
/// under a decision and run straight into their steps; merges run straight out of their steps
/// and join just above the target.
fn wish(layered: &Layered, reach: &Reach, x: &[f64], v: usize, up: bool, down: bool) -> f64 {
    if let (Kind::Dummy, [(above, _)], [(below, _)]) = (
        layered.vertices[v].kind,
        layered.up[v].as_slice(),
        layered.down[v].as_slice(),
    ) {
        let fans_out = layered.down[*above].len() > 1;
        let fans_in = layered.up[*below].len() > 1;
        if fans_out && !fans_in {
            return x[*below];
        }
        if fans_in && !fans_out {
            return x[*above];
        }
    }
    let mut sum = 0.0;
    let mut total = 0.0;
    if up {
        for &(w, weight) in &layered.up[v] {
            let weight = weight * (1.0 + reach.above[w]);
            sum += x[w] * weight;
            total += weight;
        }
    }
    if down {
        for &(w, weight) in &layered.down[v] {
            let weight = weight * (1.0 + reach.below[w]);
            sum += x[w] * weight;
            total += weight;
        }
    }
    if total > 0.0 { sum / total } else { x[v] }
}

/// Positions as close as possible to `desired` (least squares, each term weighted), in the
/// same order, with `position[i + 1] - position[i] >= separations[i]`.
pub(super) fn fit(desired: &[f64], weights: &[f64], separations: &[f64]) -> Vec<f64> {
    // With offsets c, y = x - c turns the separations into plain "non-decreasing", which
    // pool-adjacent-violators solves: merge neighbouring blocks while their means descend.
    let mut offsets = Vec::with_capacity(desired.len());
    let mut c = 0.0;
    for i in 0..desired.len() {
        if i > 0 {
            c += separations.get(i - 1).copied().unwrap_or(0.0);
        }
        offsets.push(c);
    }
    // Blocks of (weighted sum, total weight, count).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::new();
    for (i, (d, c)) in desired.iter().zip(&offsets).enumerate() {
        let w = weights.get(i).copied().unwrap_or(1.0).max(1e-9);
        blocks.push(((d - c) * w, w, 1));
        while blocks.len() >= 2 {
            let (sum_b, w_b, n_b) = blocks[blocks.len() - 1];
            let (sum_a, w_a, n_a) = blocks[blocks.len() - 2];
            if sum_a / w_a <= sum_b / w_b {
                break;
            }
            blocks.pop();
            let last = blocks.len() - 1;
            blocks[last] = (sum_a + sum_b, w_a + w_b, n_a + n_b);
        }
    }
    let mut positions = Vec::with_capacity(desired.len());
    for (sum, weight, n) in blocks {
        let mean = sum / weight;
        for _ in 0..n {
            positions.push(mean + offsets[positions.len()]);
        }
    }
    positions
}

/// The bands of the layers along the flow: each as deep as its deepest vertex, separated by
/// channels where edges change position.
pub(super) struct Bands {
    center: Vec<f64>,
    thickness: Vec<f64>,
}

impl Bands {
    pub(super) fn center(&self, k: usize) -> f64 {
        self.center[k]
    }
    pub(super) fn top(&self, k: usize) -> f64 {
        self.center[k] - self.thickness[k] / 2.0
    }
    pub(super) fn bottom(&self, k: usize) -> f64 {
        self.center[k] + self.thickness[k] / 2.0
    }
    /// Where the last band ends.
    pub(super) fn end(&self) -> f64 {
        self.center
            .len()
            .checked_sub(1)
            .map_or(0.0, |k| self.bottom(k))
    }
}

pub(super) fn bands(layered: &Layered, x: &[f64]) -> Bands {
    let count = layered.layers.len();
    let mut thickness = vec![0.0f64; count];
    let mut slant = vec![0.0f64; count];
    for k in 0..count {
        for v in layered.full_layer(k) {
            thickness[k] = thickness[k].max(layered.vertices[v].across);
            for &(w, _) in &layered.down[v] {
                slant[k] = slant[k].max((x[v] - x[w]).abs());
            }
        }
    }
    let mut center = Vec::with_capacity(count);
    let mut at = 0.0;
    for k in 0..count {
        if k > 0 {
            let channel = CHANNEL + (slant[k - 1] * CHANNEL_SLOPE).min(CHANNEL_EXTRA_MAX);
            at += thickness[k - 1] / 2.0 + channel + thickness[k] / 2.0;
        } else {
            at = thickness[0] / 2.0;
        }
        center.push(at);
    }
    Bands { center, thickness }
}

#[cfg(test)]
mod tests {
    use super::fit;

    #[test]
    fn fit_keeps_wishes_that_respect_the_separations() {
        assert_eq!(
            fit(&[0.0, 50.0, 100.0], &[1.0; 3], &[10.0, 10.0]),
            [0.0, 50.0, 100.0]
        );
    }

    #[test]
    fn fit_spreads_vertices_that_want_the_same_place_symmetrically() {
        // Two branches under one decision at 100 end up either side of it.
        assert_eq!(fit(&[100.0, 100.0], &[1.0, 1.0], &[60.0]), [70.0, 130.0]);
    }

    #[test]
    fn fit_moves_the_lighter_vertex_more() {
        // The main line (weight 3) keeps more of its place than a side branch (weight 1).
        assert_eq!(fit(&[100.0, 100.0], &[1.0, 3.0], &[60.0]), [55.0, 115.0]);
    }

    #[test]
    fn fit_respects_order_and_separation_always() {
        let got = fit(
            &[30.0, 10.0, 20.0, -5.0],
            &[1.0, 2.0, 0.5, 4.0],
            &[5.0, 7.0, 9.0],
        );
        for i in 0..3 {
            assert!(got[i + 1] - got[i] >= [5.0, 7.0, 9.0][i] - 1e-9, "{got:?}");
        }
    }
}
