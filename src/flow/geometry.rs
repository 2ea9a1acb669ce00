//! Points and axis-aligned rectangles in SVG user units (px, y pointing down).

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Point {
    pub(crate) x: f64,
    pub(crate) y: f64,
}

impl Point {
    pub(crate) fn new(x: f64, y: f64) -> Point {
        Point { x, y }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Size {
    pub(crate) width: f64,
    pub(crate) height: f64,
}

/// A rectangle given by its centre and size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rect {
    pub(crate) center: Point,
    pub(crate) size: Size,
}

impl Rect {
    pub(crate) fn left(&self) -> f64 {
        self.center.x - self.size.width / 2.0
    }
    pub(crate) fn right(&self) -> f64 {
        self.center.x + self.size.width / 2.0
    }
    pub(crate) fn top(&self) -> f64 {
        self.center.y - self.size.height / 2.0
    }
    pub(crate) fn bottom(&self) -> f64 {
        self.center.y + self.size.height / 2.0
    }

    /// Whether the interiors overlap by more than `slack` in both directions.
    #[cfg(test)]
    pub(crate) fn overlaps(&self, other: &Rect, slack: f64) -> bool {
        self.left().max(other.left()) + slack < self.right().min(other.right())
            && self.top().max(other.top()) + slack < self.bottom().min(other.bottom())
    }
}
