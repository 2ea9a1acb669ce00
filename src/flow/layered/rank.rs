//! Layer assignment: cycle breaking by depth-first search, then longest path.
//!
//! The search starts from the nodes in the order the author wrote them and follows edges in
//! source order, so the edges it reverses are the ones that go back to a step already on the
//! path: the "退回/驳回" loops of a procedure, not its main line.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

pub(super) struct Ranking {
    /// The layer of each node; layer 0 is the top.
    pub(super) rank: Vec<usize>,
    /// Per edge: whether it closes a cycle and is laid out from its target to its source.
    pub(super) reversed: Vec<bool>,
}

/// Ranks `n` nodes connected by `edges` (pairs of node indices, all below `n`). Self-loops are
/// neither ranked nor reversed.
pub(super) fn assign(n: usize, edges: &[(usize, usize)]) -> Ranking {
    let reversed = back_edges(n, edges);
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut pred_count = vec![0usize; n];
    for (&(a, b), &rev) in edges.iter().zip(&reversed) {
        if a == b {
            continue;
        }
        let (top, bottom) = if rev { (b, a) } else { (a, b) };
        succ[top].push(bottom);
        pred_count[bottom] += 1;
    }
    let topo = topological_order(&succ, &pred_count);
    let mut rank = vec![0usize; n];
    for &v in &topo {
        for &w in &succ[v] {
            rank[w] = rank[w].max(rank[v] + 1);
        }
    }
    // A source that feeds only deep nodes moves down next to them instead of waiting at the top.
    for &v in topo.iter().rev() {
        if pred_count[v] == 0
            && let Some(lowest) = succ[v].iter().map(|&w| rank[w]).min()
        {
            rank[v] = lowest.saturating_sub(1).max(rank[v]);
        }
    }
    let top = rank.iter().copied().min().unwrap_or(0);
    for r in &mut rank {
        *r -= top;
    }
    Ranking { rank, reversed }
}

/// Marks the edges that reach a node still on the depth-first search stack.
fn back_edges(n: usize, edges: &[(usize, usize)]) -> Vec<bool> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        OnStack,
        Done,
    }
    let mut out: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    for (i, &(a, b)) in edges.iter().enumerate() {
        if a != b {
            out[a].push((i, b));
        }
    }
    let mut reversed = vec![false; edges.len()];
    let mut state = vec![State::New; n];
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if state[root] != State::New {
            continue;
        }
        state[root] = State::OnStack;
        stack.push((root, 0));
        while let Some(top) = stack.last_mut() {
            let v = top.0;
            let Some(&(edge, w)) = out[v].get(top.1) else {
                state[v] = State::Done;
                stack.pop();
                continue;
            };
            top.1 += 1;
            match state[w] {
                State::OnStack => reversed[edge] = true,
                State::New => {
                    state[w] = State::OnStack;
                    stack.push((w, 0));
                }
                State::Done => {}
            }
        }
    }
    reversed
}

/// Kahn's algorithm, always taking the lowest-numbered ready node, so the result is stable.
fn topological_order(succ: &[Vec<usize>], pred_count: &[usize]) -> Vec<usize> {
    let mut remaining = pred_count.to_vec();
    let mut ready: BinaryHeap<Reverse<usize>> = (0..succ.len())
        .filter(|&v| remaining[v] == 0)
        .map(Reverse)
        .collect();
    let mut order = Vec::with_capacity(succ.len());
    while let Some(Reverse(v)) = ready.pop() {
        order.push(v);
        for &w in &succ[v] {
            remaining[w] -= 1;
            if remaining[w] == 0 {
                ready.push(Reverse(w));
            }
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chain_gets_one_layer_per_step() {
        let r = assign(4, &[(0, 1), (1, 2), (2, 3)]);
        assert_eq!(r.rank, [0, 1, 2, 3]);
        assert_eq!(r.reversed, [false; 3]);
    }

    #[test]
    fn a_loop_back_is_reversed_and_the_main_line_kept() {
        // 申请 → 审核 → 复核 → 支付, 复核 → 审核 (退回)
        let r = assign(4, &[(0, 1), (1, 2), (2, 3), (2, 1)]);
        assert_eq!(r.reversed, [false, false, false, true]);
        assert_eq!(r.rank, [0, 1, 2, 3]);
    }

    #[test]
    fn longest_path_puts_a_node_below_all_its_predecessors() {
        let r = assign(4, &[(0, 1), (1, 2), (0, 2), (2, 3), (0, 3)]);
        assert_eq!(r.rank, [0, 1, 2, 3]);
    }

    #[test]
    fn a_late_source_moves_down_next_to_its_target() {
        let r = assign(4, &[(0, 1), (1, 2), (3, 2)]);
        assert_eq!(r.rank, [0, 1, 2, 1]);
    }

    #[test]
    fn self_loops_and_two_cycles_rank_without_panicking() {
        let r = assign(2, &[(0, 0), (0, 1), (1, 0)]);
        assert_eq!(r.rank, [0, 1]);
        assert_eq!(r.reversed, [false, false, true]);
    }

    #[test]
    fn every_non_self_edge_points_down_after_reversal() {
        let edges = [
            (0, 1),
            (1, 2),
            (2, 0),
            (2, 3),
            (3, 1),
            (4, 4),
            (3, 4),
            (4, 2),
        ];
        let r = assign(5, &edges);
        for (&(a, b), &rev) in edges.iter().zip(&r.reversed) {
            if a == b {
                continue;
            }
            let (top, bottom) = if rev { (b, a) } else { (a, b) };
            assert!(r.rank[top] < r.rank[bottom], "{a}->{b}");
        }
    }
}
