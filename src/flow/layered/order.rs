//! Crossing reduction: the order of the vertices within each layer.
//!
//! The first order comes from a depth-first walk in the author's order, so a decision's first
//! branch starts on the left. Then barycenter sweeps, alternately down and up: each vertex
//! moves to the mean position of its neighbours in the layer just fixed. The order with the
//! fewest crossings seen is kept; the whole search runs again from the mirrored walk, and the
//! author's order is kept unless the mirror has fewer crossings. After each sweep, neighbours are swapped where that
//! removes crossings. Attached vertices ride along with their node.

use super::chains::Layered;

/// Sweeps to try; the search also stops after this many sweeps without improvement.
const MAX_SWEEPS: usize = 12;
const PATIENCE: usize = 3;

pub(super) fn reduce_crossings(layered: &mut Layered) {
    // Two starts: children in the author's order, and reversed. Sweeps and swaps only find
    // local improvements; a rejected branch whose loop runs up the right side, for example,
    // must start on the right. The author's order wins ties.
    let mut best: Option<(usize, Vec<Vec<usize>>)> = None;
    for reversed in [false, true] {
        layered.layers = initial_order(layered, reversed);
        let found = sweep(layered);
        if best.as_ref().is_none_or(|(fewest, _)| found.0 < *fewest) {
            best = Some(found);
        }
    }
    if let Some((_, layers)) = best {
        layered.layers = layers;
    }
}

/// Barycenter sweeps from the current order; returns the best order seen and its crossings.
fn sweep(layered: &mut Layered) -> (usize, Vec<Vec<usize>>) {
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
        transpose(layered, &mut positions, 1);
        let count = crossings(layered, &positions);
        if count < best_crossings {
            best_crossings = count;
            best = layered.layers.clone();
            since_best = 0;
        } else {
            since_best += 1;
        }
    }
    // Polish the best order with full transposition (it never adds crossings between the
    // pairs it swaps, but check the total all the same).
    layered.layers = best.clone();
    positions = self::positions(layered);
    transpose(layered, &mut positions, MAX_TRANSPOSE_ROUNDS);
    let count = crossings(layered, &positions);
    if count <= best_crossings {
        (count, layered.layers.clone())
    } else {
        (best_crossings, best)
    }
}

/// Depth-first from the nodes in (layer, index) order, children in edge order (or reversed).
fn initial_order(layered: &Layered, reversed: bool) -> Vec<Vec<usize>> {
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
            let children = layered.down[v].iter().map(|&(w, _)| w);
            if reversed {
                stack.extend(children);
            } else {
                stack.extend(children.rev());
            }
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

/// Swaps neighbours within a layer while that removes crossings with the layers above and
/// below (the "transpose" step of Gansner et al.). It finds what barycenters miss.
fn transpose(layered: &mut Layered, positions: &mut [f64], rounds: usize) {
    let mut scratch = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let mut improved = false;
        for k in 0..layered.layers.len() {
            for i in 1..layered.layers[k].len() {
                let (left, right) = (layered.layers[k][i - 1], layered.layers[k][i]);
                let (as_is, swapped) =
                    pair_crossings(layered, positions, left, right, &mut scratch);
                if swapped < as_is {
                    layered.layers[k].swap(i - 1, i);
                    // The two blocks trade places; nothing else in the layer moves.
                    let start = positions[left];
                    let mut at = start;
                    for v in block(layered, right).chain(block(layered, left)) {
                        positions[v] = at;
                        at += 1.0;
                    }
                    improved = true;
                }
            }
        }
        if !improved {
            return;
        }
    }
}

const MAX_TRANSPOSE_ROUNDS: usize = 8;

/// A vertex followed by the vertices attached to it.
fn block(layered: &Layered, v: usize) -> impl Iterator<Item = usize> + '_ {
    std::iter::once(v).chain(layered.attached[v].iter().copied())
}

/// Crossings between the edges of two neighbouring blocks and the adjacent layers, with
/// `left` left of `right` as they stand, and swapped.
fn pair_crossings(
    layered: &Layered,
    positions: &[f64],
    left: usize,
    right: usize,
    (ours, theirs): &mut (Vec<f64>, Vec<f64>),
) -> (usize, usize) {
    let (mut as_is, mut swapped) = (0, 0);
    if layered.attached[left].is_empty() && layered.attached[right].is_empty() {
        // Two plain vertices, a handful of edges: compare directly, no allocation.
        for lists in [&layered.up, &layered.down] {
            for &(n, _) in &lists[left] {
                for &(m, _) in &lists[right] {
                    as_is += usize::from(positions[n] > positions[m]);
                    swapped += usize::from(positions[n] < positions[m]);
                }
            }
        }
        return (as_is, swapped);
    }
    for lists in [&layered.up, &layered.down] {
        ours.clear();
        theirs.clear();
        ours.extend(block(layered, left).flat_map(|a| lists[a].iter().map(|&(n, _)| positions[n])));
        theirs.extend(
            block(layered, right).flat_map(|b| lists[b].iter().map(|&(m, _)| positions[m])),
        );
        theirs.sort_by(f64::total_cmp);
        for &a in ours.iter() {
            // Neighbours of `right` left of `a` cross as things stand, those right of it cross
            // once swapped; shared neighbours cross neither way.
            as_is += theirs.partition_point(|&b| b < a);
            swapped += theirs.len() - theirs.partition_point(|&b| b <= a);
        }
    }
    (as_is, swapped)
}

/// The number of edge crossings between all pairs of adjacent layers.
pub(super) fn crossings(layered: &Layered, positions: &[f64]) -> usize {
    let mut total = 0;
    let (mut upper, mut lower, mut tree) = (Vec::new(), Vec::new(), Vec::new());
    for k in 0..layered.layers.len().saturating_sub(1) {
        // Walking the upper layer in order and each vertex's neighbours sorted lists the
        // edges sorted by (upper, lower) end; the crossings are the inversions of the lower ends.
        upper.clear();
        layered.full_layer_into(k, &mut upper);
        lower.clear();
        for &v in &upper {
            let start = lower.len();
            lower.extend(layered.down[v].iter().map(|&(w, _)| positions[w] as usize));
            lower[start..].sort_unstable();
        }
        total += inversions(&lower, &mut tree);
    }
    total
}

/// Pairs `i < j` with `values[i] > values[j]`, counted with a Fenwick tree (`tree` is scratch).
fn inversions(values: &[usize], tree: &mut Vec<usize>) -> usize {
    let size = values.iter().copied().max().map_or(0, |m| m + 1);
    tree.clear();
    tree.resize(size + 1, 0);
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
        let mut tree = Vec::new();
        assert_eq!(inversions(&[], &mut tree), 0);
        assert_eq!(inversions(&[0, 1, 2], &mut tree), 0);
        assert_eq!(inversions(&[2, 1, 0], &mut tree), 3);
        assert_eq!(inversions(&[1, 1, 0], &mut tree), 2);
    }
}
