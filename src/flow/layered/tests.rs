//! Geometric properties of the layout on generated graphs: no two boxes (nodes and edge
//! labels) overlap, and no edge segment passes through a box other than its own ends (and
//! those only with the segment that leaves or enters them). A
//! segment that changes both coordinates is drawn as a curve inside its bounding box, so the
//! whole bounding box must be clear.

use proptest::prelude::*;

use super::*;

/// Overlaps smaller than this (in px) are rounding, not a defect.
const SLACK: f64 = 0.5;

fn segment_box(a: Point, b: Point) -> Rect {
    Rect {
        center: Point::new((a.x + b.x) / 2.0, (a.y + b.y) / 2.0),
        size: Size {
            width: (a.x - b.x).abs(),
            height: (a.y - b.y).abs(),
        },
    }
}

/// Every problem found, described; empty when the layout is sound.
fn problems(graph: &Graph, flow: Flow) -> Vec<String> {
    let layout = layout(graph, flow);
    let mut found = Vec::new();
    let mut boxes: Vec<(String, Rect)> = layout
        .nodes
        .iter()
        .enumerate()
        .map(|(i, r)| (format!("node {i}"), *r))
        .collect();
    for (e, route) in layout.edges.iter().enumerate() {
        if let Some(label) = route.label {
            boxes.push((format!("label of edge {e}"), label));
        }
    }
    for (i, (name_a, a)) in boxes.iter().enumerate() {
        for (name_b, b) in &boxes[i + 1..] {
            if a.overlaps(b, SLACK) {
                found.push(format!("{name_a} overlaps {name_b}"));
            }
        }
        let inside = a.left() >= -SLACK
            && a.top() >= -SLACK
            && a.right() <= layout.size.width + SLACK
            && a.bottom() <= layout.size.height + SLACK;
        if !inside {
            found.push(format!("{name_a} sticks out of the drawing"));
        }
    }
    for (e, (spec, route)) in graph.edges.iter().zip(&layout.edges).enumerate() {
        if route.points.len() < 2 {
            found.push(format!("edge {e} has no route"));
            continue;
        }
        let last = route.points.len() - 2;
        for (i, pair) in route.points.windows(2).enumerate() {
            let (a, b) = (pair[0], pair[1]);
            if !(a.x.is_finite() && a.y.is_finite() && b.x.is_finite() && b.y.is_finite()) {
                found.push(format!("edge {e} has a point that is not finite"));
                continue;
            }
            for (n, node) in layout.nodes.iter().enumerate() {
                // Only the first segment may touch the source, only the last the target.
                let own_end = (n == spec.from && i == 0) || (n == spec.to && i == last);
                if !own_end && crosses(a, b, node) {
                    found.push(format!(
                        "edge {e} segment {i} ({a:?}→{b:?}) crosses node {n}"
                    ));
                }
            }
            for (other, other_route) in layout.edges.iter().enumerate() {
                if let Some(label) = other_route.label
                    && other != e
                    && crosses(a, b, &label)
                {
                    found.push(format!("edge {e} crosses the label of edge {other}"));
                }
            }
        }
    }
    found
}

fn crosses(a: Point, b: Point, r: &Rect) -> bool {
    let s = segment_box(a, b);
    let x_overlap = s.left().max(r.left()) + SLACK < s.right().min(r.right())
        || (s.size.width < SLACK
            && s.center.x > r.left() + SLACK
            && s.center.x < r.right() - SLACK);
    let y_overlap = s.top().max(r.top()) + SLACK < s.bottom().min(r.bottom())
        || (s.size.height < SLACK
            && s.center.y > r.top() + SLACK
            && s.center.y < r.bottom() - SLACK);
    x_overlap && y_overlap
}

fn node(width: f64, height: f64, diamond: bool) -> NodeSpec {
    NodeSpec {
        size: Size { width, height },
        diamond,
    }
}

fn edge(from: usize, to: usize, label: Option<(f64, f64)>) -> EdgeSpec {
    EdgeSpec {
        from,
        to,
        label: label.map(|(width, height)| Size { width, height }),
    }
}

/// A small deterministic generator, so fixed-seed graphs are the same on every machine.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % below.max(1) as u64) as usize
    }
}

fn random_graph(seed: u64, n: usize, extra_edges: usize, cycles: bool) -> Graph {
    let mut rng = Lcg(seed);
    let nodes = (0..n)
        .map(|_| {
            node(
                60.0 + rng.next(180) as f64,
                30.0 + rng.next(60) as f64,
                rng.next(5) == 0,
            )
        })
        .collect();
    let mut edges = Vec::new();
    // A spine keeps most nodes connected, like a procedure's main line.
    for v in 1..n {
        let from = v - 1 - rng.next(v.min(3));
        edges.push(edge(from, v, None));
    }
    for _ in 0..extra_edges {
        let (a, b) = (rng.next(n), rng.next(n));
        let (from, to) = if cycles || a < b { (a, b) } else { (b, a) };
        if !cycles && from == to {
            continue;
        }
        let label = (rng.next(3) == 0).then(|| (20.0 + rng.next(80) as f64, 20.0));
        edges.push(edge(from, to, label));
    }
    Graph { nodes, edges }
}

const FLOWS: [Flow; 4] = [Flow::Down, Flow::Right, Flow::Up, Flow::Left];

#[test]
fn two_hundred_node_dags_lay_out_without_overlaps_or_crossed_boxes() {
    for seed in 0..4 {
        let graph = random_graph(seed, 200, 80, false);
        let found = problems(&graph, FLOWS[seed as usize % 4]);
        assert!(found.is_empty(), "seed {seed}: {found:#?}");
    }
}

#[test]
fn two_hundred_node_graphs_with_cycles_lay_out_without_overlaps_or_crossed_boxes() {
    for seed in 10..14 {
        let graph = random_graph(seed, 200, 120, true);
        let found = problems(&graph, FLOWS[seed as usize % 4]);
        assert!(found.is_empty(), "seed {seed}: {found:#?}");
    }
}

#[test]
fn a_loop_back_goes_around_the_right_side() {
    // 0 → 1 → 2 → 3, 2 → 1 (退回)
    let graph = Graph {
        nodes: vec![node(100.0, 40.0, false); 4],
        edges: vec![
            edge(0, 1, None),
            edge(1, 2, None),
            edge(2, 3, None),
            edge(2, 1, Some((40.0, 20.0))),
        ],
    };
    let layout = layout(&graph, Flow::Down);
    let back = &layout.edges[3].points;
    let right = layout.nodes[1].right().max(layout.nodes[2].right());
    assert!(back.iter().any(|p| p.x > right), "{back:?}");
    // It leaves node 2's right side and enters node 1's right side.
    assert!(
        (back[0].x - layout.nodes[2].right()).abs() < 1e-6,
        "{back:?}"
    );
    assert!((back[back.len() - 1].x - layout.nodes[1].right()).abs() < 1e-6);
    assert!(problems(&graph, Flow::Down).is_empty());
}

#[test]
fn decision_branches_sit_side_by_side_below_the_decision() {
    let graph = Graph {
        nodes: vec![
            node(120.0, 60.0, true),
            node(90.0, 40.0, false),
            node(90.0, 40.0, false),
        ],
        edges: vec![
            edge(0, 1, Some((20.0, 20.0))),
            edge(0, 2, Some((20.0, 20.0))),
        ],
    };
    let layout = layout(&graph, Flow::Down);
    let [decision, yes, no] = [layout.nodes[0], layout.nodes[1], layout.nodes[2]];
    assert!((yes.center.y - no.center.y).abs() < 1e-6);
    assert!(
        yes.center.x < no.center.x,
        "the first branch is on the left"
    );
    assert!(yes.top() > decision.bottom());
    let middle = (yes.center.x + no.center.x) / 2.0;
    assert!(
        (middle - decision.center.x).abs() < 1.0,
        "the decision is centred"
    );
}

#[test]
fn a_chain_is_straight() {
    let graph = Graph {
        nodes: vec![
            node(80.0, 40.0, false),
            node(160.0, 40.0, false),
            node(100.0, 60.0, false),
        ],
        edges: vec![edge(0, 1, None), edge(1, 2, None)],
    };
    let layout = layout(&graph, Flow::Right);
    let y = layout.nodes[0].center.y;
    assert!(layout.nodes.iter().all(|r| (r.center.y - y).abs() < 1e-6));
    assert!(layout.nodes[0].right() < layout.nodes[1].left());
    for route in &layout.edges {
        assert_eq!(route.points.len(), 2, "a straight edge is one segment");
    }
}

#[test]
fn self_loops_multi_edges_and_isolated_nodes_are_fine() {
    let graph = Graph {
        nodes: vec![
            node(80.0, 40.0, false),
            node(80.0, 40.0, true),
            node(80.0, 40.0, false),
        ],
        edges: vec![
            edge(0, 0, Some((30.0, 18.0))),
            edge(0, 1, None),
            edge(0, 1, None),
            edge(1, 0, None),
            edge(1, 0, Some((30.0, 18.0))),
            edge(1, 1, None),
        ],
    };
    for flow in FLOWS {
        let found = problems(&graph, flow);
        assert!(found.is_empty(), "{flow:?}: {found:#?}");
    }
}

/// Regression: the second self-loop of a node ran through the first one's label; now the
/// self-loops of a node share one loop and stack their labels beside it.
#[test]
fn two_self_loops_on_one_node_do_not_cross_each_others_labels() {
    let graph = Graph {
        nodes: vec![node(40.0, 24.0, false)],
        edges: vec![
            edge(0, 0, Some((30.0, 14.0))),
            edge(0, 0, None),
            edge(0, 0, Some((50.0, 20.0))),
        ],
    };
    for flow in FLOWS {
        let found = problems(&graph, flow);
        assert!(found.is_empty(), "{flow:?}: {found:#?}");
    }
}

#[test]
fn edges_naming_missing_nodes_give_an_empty_layout_not_a_panic() {
    let graph = Graph {
        nodes: vec![node(80.0, 40.0, false)],
        edges: vec![edge(0, 5, None)],
    };
    let layout = layout(&graph, Flow::Down);
    assert!(layout.nodes.is_empty());
    assert_eq!(layout.edges.len(), 1);
}

fn arbitrary_graph(cycles: bool) -> impl Strategy<Value = Graph> {
    (1usize..=200).prop_flat_map(move |n| {
        let nodes = prop::collection::vec(
            (40.0f64..260.0, 24.0f64..120.0, any::<bool>()).prop_map(|(w, h, d)| node(w, h, d)),
            n,
        );
        let edges = prop::collection::vec(
            (
                0..n,
                0..n,
                prop::option::weighted(0.3, (10.0f64..120.0, 14.0f64..50.0)),
            ),
            0..=(2 * n).min(300),
        )
        .prop_map(move |list| {
            list.into_iter()
                .filter_map(|(a, b, label)| match (cycles, a.cmp(&b)) {
                    (true, _) => Some(edge(a, b, label)),
                    (false, std::cmp::Ordering::Less) => Some(edge(a, b, label)),
                    (false, std::cmp::Ordering::Greater) => Some(edge(b, a, label)),
                    (false, std::cmp::Ordering::Equal) => None,
                })
                .collect()
        });
        (nodes, edges).prop_map(|(nodes, edges)| Graph { nodes, edges })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_dags_never_overlap_or_cross_boxes(graph in arbitrary_graph(false), flow in 0usize..4) {
        let found = problems(&graph, FLOWS[flow]);
        prop_assert!(found.is_empty(), "{:#?}", found);
    }

    #[test]
    fn random_graphs_with_cycles_never_overlap_or_cross_boxes(graph in arbitrary_graph(true), flow in 0usize..4) {
        let found = problems(&graph, FLOWS[flow]);
        prop_assert!(found.is_empty(), "{:#?}", found);
    }
}
