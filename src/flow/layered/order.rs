//! Crossing reduction: the order of the vertices within each layer.
//!
//! The first order comes from a depth-first walk in the author's order, so a decision's first
//! branch (usually 是) starts on the left. Then barycenter sweeps, alternately down and up:
//! each vertex moves to the mean position of its neighbours in the layer just fixed. The order
//! with the fewest crossings seen is kept. Attached vertices ride along with their node.

use super::chains::Layered;

/// Sweeps to try; the search also stops after this many sweeps without improvement.
const MAX_SWEEPS: usize = 24;
const PATIENCE: usize = 6;

pub(super) fn reduce_crossings(layered: &mut Layered) {
    layered.layers = initial_order(layered);
    let mut positions = positions(layered);
    let mut best = layered.layers.clone();
    let mut best_crossings = crossings(layered, &positions);
    let mut since_best = 0;
    for sweep in 0..MAX_SWEEPS {
        if best_crossings == 0 || since_best >= PATIENCE {
            break;
        }
        let downward = sweep % 2 == 0;
        let layer_count = layered.layers.len();
        for step in 1..layer_count {
            let k = if downward {
                step
            } else {
                layer_count - 1 - step
            };
            sort_layer(layered, k, downward, &mut positions);
        }
        let count = crossings(layered, &positions);
        if count < best_crossings {
            best_crossings = count;
            best = layered.layers.clone();
            since_best = 0;
        } else {
            since_best += 1;
        }
    }
    layered.layers = best;
}

/// Depth-first from the nodes in (layer, index) order, children in edge order.
fn initial_order(layered: &Layered) -> Vec<Vec<usize>> {
    let count = layered.vertices.len();
    let mut layers = vec![Vec::new(); layered.layers.len()];
    let mut visited = vec![false; count];
    let mut roots: Vec<usize> = (0..count)
        .filter(|&v| layered.vertices[v].is_node())
        .collect();
    roots.sort_by_key(|&v| (layered.vertices[v].layer, v));
    // Vertices reachable from no node (impossible today) are placed last, never lost.
    roots.extend((0..count).filter(|&v| !layered.vertices[v].is_node()));
    let mut stack = Vec::new();
    for root in roots {
        stack.push(root);
        while let Some(v) = stack.pop() {
            if visited[v] {
                continue;
            }
            visited[v] = true;
            if layered.vertices[v].anchor().is_none() {
                layers[layered.vertices[v].layer].push(v);
            }
            // Pushed in reverse so the first child is visited first, attached chains last.
            stack.extend(layered.attached[v].iter().rev());
            stack.extend(layered.down[v].iter().rev().map(|&(w, _)| w));
        }
    }
    layers
}

/// The index of every vertex within its full layer (attached vertices included).
fn positions(layered: &Layered) -> Vec<f64> {
    let mut positions = vec![0.0; layered.vertices.len()];
    for k in 0..layered.layers.len() {
        for (i, v) in layered.full_layer(k).into_iter().enumerate() {
            positions[v] = i as f64;
        }
    }
    positions
}

fn sort_layer(layered: &mut Layered, k: usize, downward: bool, positions: &mut [f64]) {
    let mut keyed: Vec<(f64, usize)> = layered.layers[k]
        .iter()
        .map(|&v| {
            let neighbours = if downward {
                &layered.up[v]
            } else {
                &layered.down[v]
            };
            let key = if neighbours.is_empty() {
                positions[v]
            } else {
                neighbours.iter().map(|&(w, _)| positions[w]).sum::<f64>() / neighbours.len() as f64
            };
            (key, v)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
    layered.layers[k] = keyed.into_iter().map(|(_, v)| v).collect();
    for (i, v) in layered.full_layer(k).into_iter().enumerate() {
        positions[v] = i as f64;
    }
}

/// The number of edge crossings between all pairs of adjacent layers.
pub(super) fn crossings(layered: &Layered, positions: &[f64]) -> usize {
    let mut total = 0;
    for k in 0..layered.layers.len().saturating_sub(1) {
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        for v in layered.full_layer(k) {
            for &(w, _) in &layered.down[v] {
                pairs.push((positions[v] as usize, positions[w] as usize));
            }
        }
        pairs.sort_unstable();
        let lower: Vec<usize> = pairs.iter().map(|&(_, b)| b).collect();
        total += inversions(&lower);
    }
    total
}

/// Pairs `i < j` with `values[i] > values[j]`, counted with a Fenwick tree.
fn inversions(values: &[usize]) -> usize {
    let size = values.iter().copied().max().map_or(0, |m| m + 1);
    let mut tree = vec![0usize; size + 1];
    let mut count = 0;
    for (seen, &value) in values.iter().enumerate() {
        // Earlier values not greater than `value`.
        let mut i = value + 1;
        let mut not_greater = 0;
        while i > 0 {
            not_greater += tree[i];
            i &= i - 1;
        }
        count += seen - not_greater;
        let mut i = value + 1;
        while i <= size {
            tree[i] += 1;
            i += i & i.wrapping_neg();
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inversions_are_counted() {
        assert_eq!(inversions(&[]), 0);
        assert_eq!(inversions(&[0, 1, 2]), 0);
        assert_eq!(inversions(&[2, 1, 0]), 3);
        assert_eq!(inversions(&[1, 1, 0]), 2);
    }
}
