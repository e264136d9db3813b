//! OpaquePoint: a type only Rust can see into.
//!
//! [`OpaquePoint`] is not `repr(C)` and its fields are private: C only ever
//! holds a pointer to it (`typedef struct OpaquePoint OpaquePoint;`), created
//! by [`opaque_point_new`] and destroyed by [`opaque_point_free`]. Rust may
//! change the fields or the layout without breaking a single C caller. The
//! price is that every access is a function call, and that the caller must
//! free each handle exactly once.
//!
//! Live handles are counted ([`opaque_point_live_count`]) so that leak tests,
//! in C and in JavaScript with its garbage collector, can see the frees.

use std::ffi::{c_char, CString};
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::boundary::guard;
use crate::point::Point;
use crate::strings::into_c_string;

/// Handles returned by [`opaque_point_new`] and not yet freed.
static LIVE_POINTS: AtomicUsize = AtomicUsize::new(0);

/// A point whose representation is private to Rust.
///
/// To C this is an incomplete type used through pointers only. A handle may
/// be moved between threads, but must not be used from two threads at once
/// while one of them translates or frees it.
#[derive(Debug, Clone, PartialEq)]
pub struct OpaquePoint {
    x: f32,
    y: f32,
}

impl OpaquePoint {
    /// A point at (`x`, `y`).
    pub fn new(x: f32, y: f32) -> Self {
        OpaquePoint { x, y }
    }

    /// Moves the point by (`by_x`, `by_y`) with IEEE `f32` addition.
    pub fn translate(&mut self, by_x: f32, by_y: f32) {
        self.x += by_x;
        self.y += by_y;
    }

    /// The coordinates as a plain [`Point`].
    pub fn get(&self) -> Point {
        Point::new(self.x, self.y)
    }
}

/// `OpaquePoint(x, y)`, with Rust's shortest round-trip float formatting:
/// `OpaquePoint(1.5, -2)`, `OpaquePoint(NaN, inf)`.
impl fmt::Display for OpaquePoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OpaquePoint({}, {})", self.x, self.y)
    }
}

/// Creates a point at (`x`, `y`). Any float is accepted, NaN and infinities
/// included.
///
/// Ownership: the caller owns the returned handle and must release it with
/// opaque_point_free(), exactly once. Returns NULL only if an internal panic
/// was caught (running out of memory aborts the process, as everywhere in
/// Rust). Thread-safe.
#[no_mangle]
pub extern "C" fn opaque_point_new(x: f32, y: f32) -> *mut OpaquePoint {
    guard(|| {
        let handle = Box::into_raw(Box::new(OpaquePoint::new(x, y)));
        LIVE_POINTS.fetch_add(1, Ordering::Relaxed);
        handle
    })
}

/// Moves the point by (`by_x`, `by_y`), in place, with float arithmetic
/// (as point_translate()).
///
/// NULL is a harmless no-op. The handle is borrowed for the call; it stays
/// owned by the caller. Not to be called on a handle another thread is using.
///
/// # Safety
/// `point` is NULL or a live handle from opaque_point_new().
#[no_mangle]
pub unsafe extern "C" fn opaque_point_translate(point: *mut OpaquePoint, by_x: f32, by_y: f32) {
    guard(|| {
        // SAFETY: the header requires NULL (`as_mut` gives None) or a live
        // handle from opaque_point_new, i.e. a valid Box allocation not used
        // elsewhere during the call.
        if let Some(p) = unsafe { point.as_mut() } {
            p.translate(by_x, by_y);
        }
    })
}

/// Returns a new string describing the point, e.g. "OpaquePoint(1.5, -2)"
/// (shortest round-trip float formatting; "NaN", "inf" and "-inf" for
/// non-finite coordinates). Returns NULL for a NULL `point` (or if an
/// internal panic was caught).
///
/// Ownership: the handle is borrowed for the call. The string is owned by
/// the caller and must be released with free_rust_string(), exactly once,
/// never with free(); it is counted by rust_string_live_count(). Thread-safe
/// for handles no other thread is modifying.
///
/// # Safety
/// `point` is NULL or a live handle from opaque_point_new().
#[no_mangle]
pub unsafe extern "C" fn opaque_point_describe(point: *const OpaquePoint) -> *mut c_char {
    guard(|| {
        // SAFETY: the header requires NULL (`as_ref` gives None) or a live
        // handle from opaque_point_new, not modified during the call.
        let Some(p) = (unsafe { point.as_ref() }) else {
            return std::ptr::null_mut();
        };
        // Formatted floats never contain a NUL, so `new` cannot fail here; the
        // error arm keeps the function free of `unwrap`.
        match CString::new(p.to_string()) {
            Ok(s) => into_c_string(s),
            Err(_) => std::ptr::null_mut(),
        }
    })
}

/// Returns the point's coordinates as a Point value (a copy: changing it
/// does not change the handle).
///
/// Borrows `point` for the call only: the caller still owns the handle and
/// frees it with opaque_point_free(); the returned Point is a plain value,
/// nothing to free.
///
/// For a NULL `point` (or if an internal panic was caught) returns
/// (NaN, NaN), which no caller can mistake for a real point created from
/// finite coordinates. Thread-safe for handles no other thread is modifying.
///
/// # Safety
/// `point` is NULL or a live handle from opaque_point_new().
#[no_mangle]
pub unsafe extern "C" fn opaque_point_get(point: *const OpaquePoint) -> Point {
    guard(|| {
        // SAFETY: the header requires NULL (`as_ref` gives None) or a live
        // handle from opaque_point_new, not modified during the call.
        match unsafe { point.as_ref() } {
            Some(p) => p.get(),
            None => Point::new(f32::NAN, f32::NAN),
        }
    })
}

/// Destroys a point created by opaque_point_new(). NULL is a harmless no-op.
///
/// This must be called at most once for any OpaquePoint: the handle is
/// invalid afterwards, and freeing it again, or using it, is undefined
/// behaviour (as with free()). Never pass it to C's free(). Thread-safety:
/// may be called from any thread, but must not race with any other use of
/// the same handle.
///
/// # Safety
/// `point` is NULL or a live handle from opaque_point_new() that is not used
/// again.
#[no_mangle]
pub unsafe extern "C" fn opaque_point_free(point: *mut OpaquePoint) {
    guard(|| {
        if point.is_null() {
            return;
        }
        // SAFETY: the header requires a handle from opaque_point_new (a
        // `Box::into_raw`) that has not been freed yet; ownership returns to
        // the Box, which drops it here.
        drop(unsafe { Box::from_raw(point) });
        LIVE_POINTS.fetch_sub(1, Ordering::Relaxed);
    })
}

/// The number of OpaquePoints created by opaque_point_new() and not yet
/// freed, across all threads. Meant for leak tests.
///
/// No pointers: nothing to own, borrow or free, and no NULL case. Thread-safe.
#[no_mangle]
pub extern "C" fn opaque_point_live_count() -> usize {
    guard(|| LIVE_POINTS.load(Ordering::Relaxed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strings::free_rust_string;
    use std::ffi::CStr;

    fn describe(p: *const OpaquePoint) -> Option<String> {
        // SAFETY: `p` is NULL or live, as the function requires.
        let s = unsafe { opaque_point_describe(p) };
        if s.is_null() {
            return None;
        }
        // SAFETY: a non-NULL result is a NUL-terminated string from this
        // library, freed once right after being read.
        let text = unsafe { CStr::from_ptr(s) }.to_str().ok().map(String::from);
        // SAFETY: as above.
        unsafe { free_rust_string(s) };
        text
    }

    #[test]
    fn lifecycle() {
        let p = opaque_point_new(1.0, 2.0);
        assert!(!p.is_null());
        // SAFETY: `p` is live until opaque_point_free below, which runs once.
        unsafe {
            opaque_point_translate(p, 0.5, -4.0);
            assert_eq!(opaque_point_get(p), Point::new(1.5, -2.0));
            assert_eq!(describe(p).as_deref(), Some("OpaquePoint(1.5, -2)"));
            opaque_point_free(p);
        }
    }

    #[test]
    fn null_handles_are_harmless() {
        // SAFETY: every function documents NULL as allowed.
        unsafe {
            opaque_point_translate(std::ptr::null_mut(), 1.0, 1.0);
            let p = opaque_point_get(std::ptr::null());
            assert!(p.x.is_nan() && p.y.is_nan());
            assert!(opaque_point_describe(std::ptr::null()).is_null());
            opaque_point_free(std::ptr::null_mut());
        }
    }

    #[test]
    fn display_formats_non_finite_values() {
        assert_eq!(
            OpaquePoint::new(f32::NAN, f32::NEG_INFINITY).to_string(),
            "OpaquePoint(NaN, -inf)"
        );
        assert_eq!(
            OpaquePoint::new(0.1, 3.0).to_string(),
            "OpaquePoint(0.1, 3)"
        );
    }
}
