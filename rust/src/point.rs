//! Point: a struct both sides can see into.
//!
//! `#[repr(C)]` gives [`Point`] the layout C would give `struct { float x;
//! float y; }`: two 4-byte floats, x first, 8 bytes, 4-byte aligned. C can
//! declare one on its stack, Rust can mutate it through a pointer, and both
//! agree on every byte. The same layout is two consecutive elements of a
//! JavaScript `Float32Array`, which is how the TypeScript side passes a point
//! without copying.

use crate::boundary::{guard, slice_in_mut, PanicFallback};

/// A point in the plane, shared by value and by pointer with C.
///
/// Plain data: any bit pattern is a valid Point (NaN and infinities
/// included), so C may create, copy and modify Points freely. Thread-safety:
/// like any C struct, a Point must not be written from two threads at once.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Point {
    /// The x coordinate.
    pub x: f32,
    /// The y coordinate.
    pub y: f32,
}

impl Point {
    /// A point at (`x`, `y`).
    pub const fn new(x: f32, y: f32) -> Self {
        Point { x, y }
    }

    /// Moves the point by (`by_x`, `by_y`), in place, with IEEE `f32`
    /// addition (a sum too large for `f32` becomes an infinity).
    pub fn translate(&mut self, by_x: f32, by_y: f32) {
        self.x += by_x;
        self.y += by_y;
    }

    /// The point moved by (`by_x`, `by_y`); `self` is unchanged.
    pub fn translated(mut self, by_x: f32, by_y: f32) -> Self {
        self.translate(by_x, by_y);
        self
    }
}

/// A panic in an export that returns a Point gives (NaN, NaN).
impl PanicFallback for Point {
    fn panic_fallback() -> Self {
        Point::new(f32::NAN, f32::NAN)
    }
}

/// Moves every point of `points` by (`by_x`, `by_y`), in place.
pub fn translate_all(points: &mut [Point], by_x: f32, by_y: f32) {
    for p in points {
        p.translate(by_x, by_y);
    }
}

/// Moves `*point` by (`by_x`, `by_y`), in place: `point->x += by_x;
/// point->y += by_y;` with float arithmetic (NaN and infinities propagate; a
/// sum too large for a float becomes an infinity).
///
/// NULL is a harmless no-op. `point` is borrowed for the call only; the
/// caller owns it (it may live on the C stack). Thread-safe for different
/// Points.
///
/// # Safety
/// `point` is NULL or valid for reading and writing one Point, not accessed
/// by anything else during the call.
#[no_mangle]
pub unsafe extern "C" fn point_translate(point: *mut Point, by_x: f32, by_y: f32) {
    guard(|| {
        // SAFETY: the header requires `point` to be NULL (`as_mut` gives None)
        // or a valid, aligned, exclusive `Point *` for the call.
        if let Some(p) = unsafe { point.as_mut() } {
            p.translate(by_x, by_y);
        }
    })
}

/// Returns `point` moved by (`by_x`, `by_y`): the same arithmetic as
/// point_translate(), on a Point passed and returned by value.
///
/// No pointers: nothing to own, borrow or free, and no NULL case; nothing
/// is allocated. Cannot fail; (NaN, NaN) only if an internal panic was
/// caught. Thread-safe.
#[no_mangle]
pub extern "C" fn point_translated(point: Point, by_x: f32, by_y: f32) -> Point {
    guard(|| point.translated(by_x, by_y))
}

/// Moves each of the `count` Points starting at `points` by (`by_x`,
/// `by_y`), in place, like point_translate() on each.
///
/// `count == 0` does nothing (then `points` may be NULL). NULL `points` with
/// `count > 0` is a harmless no-op, and so is a `count` whose byte size
/// (`count * sizeof(Point)`) would not fit in a `ptrdiff_t`: nothing is
/// touched in either case. The array is borrowed for the call only.
/// Thread-safe for different arrays.
///
/// # Safety
/// `points` is NULL or valid for reading and writing `count` consecutive
/// Points, not accessed by anything else during the call.
#[no_mangle]
pub unsafe extern "C" fn points_translate(points: *mut Point, count: usize, by_x: f32, by_y: f32) {
    guard(|| {
        // SAFETY: the header requires `points` to be NULL or valid for `count`
        // exclusive Points; `slice_in_mut` handles NULL and an oversized count
        // by returning an error, which is the documented no-op.
        if let Ok(all) = unsafe { slice_in_mut(points, count, "points", "count") } {
            translate_all(all, by_x, by_y);
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::{align_of, offset_of, size_of};

    #[test]
    fn layout_is_two_floats() {
        assert_eq!(size_of::<Point>(), 8);
        assert_eq!(align_of::<Point>(), 4);
        assert_eq!(offset_of!(Point, x), 0);
        assert_eq!(offset_of!(Point, y), 4);
    }

    #[test]
    fn translate_by_pointer_and_null() {
        let mut p = Point::new(1.0, 2.0);
        // SAFETY: `p` is a live, exclusive Point; NULL is allowed.
        unsafe {
            point_translate(&mut p, 0.5, -3.0);
            point_translate(std::ptr::null_mut(), 1.0, 1.0);
        }
        assert_eq!(p, Point::new(1.5, -1.0));
    }

    #[test]
    fn translated_by_value_leaves_the_input() {
        let p = Point::new(1.0, 2.0);
        assert_eq!(point_translated(p, 10.0, 20.0), Point::new(11.0, 22.0));
        assert_eq!(p, Point::new(1.0, 2.0));
        assert_eq!(
            point_translated(Point::new(f32::MAX, 0.0), f32::MAX, 0.0).x,
            f32::INFINITY
        );
        assert!(point_translated(Point::new(f32::NAN, 0.0), 1.0, 0.0)
            .x
            .is_nan());
    }

    #[test]
    fn batch_translates_every_point() {
        let mut ps = [
            Point::new(0.0, 0.0),
            Point::new(1.0, 1.0),
            Point::new(-2.0, 4.0),
        ];
        // SAFETY: `ps` holds 3 exclusive Points.
        unsafe { points_translate(ps.as_mut_ptr(), ps.len(), 1.0, -1.0) };
        assert_eq!(
            ps,
            [
                Point::new(1.0, -1.0),
                Point::new(2.0, 0.0),
                Point::new(-1.0, 3.0)
            ]
        );
        // SAFETY: a count of 2 stays inside `ps`, leaving the last one alone.
        unsafe { points_translate(ps.as_mut_ptr(), 2, 1.0, 1.0) };
        assert_eq!(ps[2], Point::new(-1.0, 3.0));
        assert_eq!(ps[0], Point::new(2.0, 0.0));
    }

    #[test]
    fn batch_null_zero_and_overflowing_counts_are_no_ops() {
        let mut p = Point::new(1.0, 1.0);
        // SAFETY: NULL and count 0 are allowed; an oversized count is refused
        // by the size check before any access.
        unsafe {
            points_translate(std::ptr::null_mut(), 0, 1.0, 1.0);
            points_translate(std::ptr::null_mut(), 5, 1.0, 1.0);
            points_translate(&mut p, 0, 1.0, 1.0);
            points_translate(&mut p, usize::MAX, 1.0, 1.0);
            points_translate(&mut p, usize::MAX / 8 + 1, 1.0, 1.0);
        }
        assert_eq!(p, Point::new(1.0, 1.0));
    }

    #[test]
    fn panic_fallback_is_nan() {
        let p = guard(|| -> Point { panic!("boom") });
        assert!(p.x.is_nan() && p.y.is_nan());
    }
}
