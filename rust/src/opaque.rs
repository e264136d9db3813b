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
//!
//! A binding whose handles must not outlive the thread that made them (a
//! Node.js worker thread that ends with objects its garbage collector never
//! got to) creates them with [`opaque_point_new_thread_owned`] instead: the
//! handle is also recorded in a registry private to the calling thread, and
//! whatever is still recorded when that thread exits is freed by the
//! registry's thread-local destructor. [`opaque_point_free`] takes the handle
//! out of the registry first, so nothing is freed twice.

use std::ffi::{c_char, CString};
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::boundary::guard;
use crate::point::Point;
use crate::strings::into_c_string;
use crate::thread_owned::{self, Registry, ThreadOwnable};

/// Handles returned by [`opaque_point_new`] and not yet freed.
static LIVE_POINTS: AtomicUsize = AtomicUsize::new(0);

/// A point whose representation is private to Rust.
///
/// To C this is an incomplete type used through pointers only. A handle may
/// be moved between threads, but must not be used from two threads at once
/// while one of them translates or frees it. A handle from
/// opaque_point_new_thread_owned() belongs to the thread that created it:
/// only that thread frees it, explicitly or when it exits.
#[derive(Debug)]
pub struct OpaquePoint {
    x: f32,
    y: f32,
    /// Recorded in the [`Registry`] of the thread that created it
    /// (by [`opaque_point_new_thread_owned`]).
    thread_owned: bool,
}

impl OpaquePoint {
    /// A point at (`x`, `y`).
    pub fn new(x: f32, y: f32) -> Self {
        OpaquePoint {
            x,
            y,
            thread_owned: false,
        }
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

/// A clone is an ordinary value, never thread-owned.
impl Clone for OpaquePoint {
    fn clone(&self) -> Self {
        OpaquePoint::new(self.x, self.y)
    }
}

/// Compares the coordinates as `f32` (NaN is unequal to itself).
impl PartialEq for OpaquePoint {
    fn eq(&self, other: &Self) -> bool {
        self.x == other.x && self.y == other.y
    }
}

/// `OpaquePoint(x, y)`, with Rust's shortest round-trip float formatting:
/// `OpaquePoint(1.5, -2)`, `OpaquePoint(NaN, inf)`.
impl fmt::Display for OpaquePoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OpaquePoint({}, {})", self.x, self.y)
    }
}

impl ThreadOwnable for OpaquePoint {
    fn released_at_thread_exit() {
        LIVE_POINTS.fetch_sub(1, Ordering::Relaxed);
    }
}

thread_local! {
    /// The handles created by [`opaque_point_new_thread_owned`] on this
    /// thread and not freed yet: its exit frees them.
    static THREAD_OWNED: Registry<OpaquePoint> = const { Registry::new() };
}

/// Boxes a new point, counts it, and returns the raw handle.
fn new_handle(point: OpaquePoint) -> *mut OpaquePoint {
    let handle = Box::into_raw(Box::new(point));
    LIVE_POINTS.fetch_add(1, Ordering::Relaxed);
    handle
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
    guard(|| new_handle(OpaquePoint::new(x, y)))
}

/// Creates a point at (`x`, `y`), as opaque_point_new(), that the calling
/// thread owns: if it is still live when the thread exits, the library frees
/// it then. For bindings whose objects cannot outlive a thread, such as a
/// Node.js worker thread (the package's OpaquePoint class uses it), so that a
/// handle their garbage collector never reached is not leaked.
///
/// Ownership: the caller may free the handle earlier with
/// opaque_point_free(), at most once, on the creating thread; it is then
/// taken out of the thread's registry, and nothing is freed twice. Freeing it
/// on another thread does nothing (the handle stays valid, and is freed when
/// its own thread exits). Every other function accepts it from any thread, as
/// for opaque_point_new(); but it must not be used once its thread has
/// exited. Returns NULL only if an internal panic was caught.
///
/// "Exits" means the thread ends (its start routine returns, or
/// pthread_exit()) and its thread-local destructors run; a Node.js worker's
/// thread ends this way after worker.terminate() too. The process's main
/// thread is the exception: whether its thread-local destructors run when
/// the process exits depends on the platform (glibc runs them in exit(),
/// other C libraries may not, and _exit() or a crash never does), and the
/// system reclaims the memory either way. A call made from a thread-local
/// destructor of an exiting thread gives an ordinary handle, to free with
/// opaque_point_free(). The registry is per thread: no lock, no state shared
/// between threads.
#[no_mangle]
pub extern "C" fn opaque_point_new_thread_owned(x: f32, y: f32) -> *mut OpaquePoint {
    guard(|| {
        let handle = new_handle(OpaquePoint::new(x, y));
        // SAFETY: a fresh `Box::into_raw` that nobody else has; from now on
        // only the registry, or opaque_point_free after taking it out, frees it.
        unsafe { (*handle).thread_owned = thread_owned::adopt(&THREAD_OWNED, handle) };
        handle
    })
}

/// The number of handles that opaque_point_new_thread_owned() created on the
/// calling thread and that are not freed yet (those its exit will free).
/// Meant for tests.
///
/// No pointers: nothing to own, borrow or free, and no NULL case. Thread-safe
/// (it only reads the calling thread's registry). 0 while the thread exits.
#[no_mangle]
pub extern "C" fn opaque_point_thread_owned_count() -> usize {
    guard(|| THREAD_OWNED.try_with(Registry::len).unwrap_or(0))
}

/// Moves the point by (`by_x`, `by_y`), in place, with float arithmetic
/// (as point_translate()).
///
/// NULL is a harmless no-op. The handle is borrowed for the call; it stays
/// owned by the caller. Not to be called on a handle another thread is using.
///
/// # Safety
/// `point` is NULL or a live handle from opaque_point_new() or
/// opaque_point_new_thread_owned().
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
/// `point` is NULL or a live handle from opaque_point_new() or
/// opaque_point_new_thread_owned().
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
/// `point` is NULL or a live handle from opaque_point_new() or
/// opaque_point_new_thread_owned().
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

/// Destroys a point created by opaque_point_new() or
/// opaque_point_new_thread_owned(). NULL is a harmless no-op.
///
/// This must be called at most once for any OpaquePoint: the handle is
/// invalid afterwards, and freeing it again, or using it, is undefined
/// behaviour (as with free()). Never pass it to C's free(). Thread-safety:
/// may be called from any thread, but must not race with any other use of
/// the same handle. A thread-owned handle is freed only on the thread that
/// created it (and taken out of that thread's registry); on another thread
/// this does nothing, and the handle is freed when its thread exits.
///
/// # Safety
/// `point` is NULL or a live handle from opaque_point_new() or
/// opaque_point_new_thread_owned() that is not used again.
#[no_mangle]
pub unsafe extern "C" fn opaque_point_free(point: *mut OpaquePoint) {
    guard(|| {
        // SAFETY: the header requires NULL (`as_ref` gives None) or a live
        // handle, not used by another thread during the call.
        let Some(p) = (unsafe { point.as_ref() }) else {
            return;
        };
        if p.thread_owned && !thread_owned::take_back(&THREAD_OWNED, point) {
            return; // another thread's handle: its registry keeps it
        }
        // SAFETY: the header requires a handle from opaque_point_new* (a
        // `Box::into_raw`) that has not been freed yet, and a thread-owned
        // one is no longer in its registry; ownership returns to the Box,
        // which drops it here.
        drop(unsafe { Box::from_raw(point) });
        LIVE_POINTS.fetch_sub(1, Ordering::Relaxed);
    })
}

/// The number of OpaquePoints created by opaque_point_new() or
/// opaque_point_new_thread_owned() and not yet freed, across all threads
/// (a thread's exit frees its thread-owned ones). Meant for leak tests.
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
    use std::sync::{mpsc, Mutex, MutexGuard};
    use std::thread;

    /// Serialises the tests that create points: the live count is global and
    /// the test harness runs tests on parallel threads.
    static POINTS: Mutex<()> = Mutex::new(());

    fn exclusive() -> MutexGuard<'static, ()> {
        POINTS.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A handle as a `usize`, to send it to another thread.
    fn addr(p: *mut OpaquePoint) -> usize {
        p as usize
    }

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
        let _points = exclusive();
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

    #[test]
    fn thread_exit_frees_the_thread_owned_points_left() {
        let _points = exclusive();
        let before = opaque_point_live_count();
        thread::spawn(|| {
            let ps: Vec<_> = (0..100)
                .map(|i| opaque_point_new_thread_owned(i as f32, 1.0))
                .collect();
            assert_eq!(opaque_point_thread_owned_count(), 100);
            for &p in &ps[..40] {
                // SAFETY: live thread-owned handles of this thread, freed once.
                unsafe { opaque_point_free(p) };
            }
            // Freed ones left the registry: the exit must not free them again.
            assert_eq!(opaque_point_thread_owned_count(), 60);
            // SAFETY: still live (registered, not freed).
            assert_eq!(unsafe { opaque_point_get(ps[99]) }, Point::new(99.0, 1.0));
        })
        .join()
        .unwrap();
        assert_eq!(opaque_point_live_count(), before);
    }

    #[test]
    fn free_on_another_thread_leaves_a_thread_owned_point_to_its_thread() {
        let _points = exclusive();
        let before = opaque_point_live_count();
        let (to_main, from_owner) = mpsc::channel();
        let (to_owner, from_main) = mpsc::channel::<()>();
        let owner = thread::spawn(move || {
            to_main
                .send(addr(opaque_point_new_thread_owned(3.0, 4.0)))
                .unwrap();
            from_main.recv().unwrap();
            opaque_point_thread_owned_count()
        });
        let p = from_owner.recv().unwrap() as *mut OpaquePoint;
        // SAFETY: a live handle, not used by its thread meanwhile.
        unsafe {
            opaque_point_translate(p, 1.0, 1.0);
            assert_eq!(opaque_point_get(p), Point::new(4.0, 5.0));
            opaque_point_free(p); // not this thread's: a no-op
            assert_eq!(opaque_point_get(p), Point::new(4.0, 5.0));
        }
        assert_eq!(opaque_point_thread_owned_count(), 0);
        assert_eq!(opaque_point_live_count(), before + 1);
        to_owner.send(()).unwrap();
        assert_eq!(owner.join().unwrap(), 1);
        assert_eq!(opaque_point_live_count(), before);
    }

    #[test]
    fn plain_handles_outlive_their_thread() {
        let _points = exclusive();
        let before = opaque_point_live_count();
        let p = thread::spawn(|| {
            let p = opaque_point_new(1.0, 2.0);
            assert_eq!(opaque_point_thread_owned_count(), 0);
            addr(p)
        })
        .join()
        .unwrap() as *mut OpaquePoint;
        assert_eq!(opaque_point_live_count(), before + 1);
        // SAFETY: a live handle from opaque_point_new, moved here, freed once.
        unsafe {
            assert_eq!(opaque_point_get(p), Point::new(1.0, 2.0));
            opaque_point_free(p);
        }
        assert_eq!(opaque_point_live_count(), before);
    }

    #[test]
    fn thread_owned_points_freed_early_on_their_thread() {
        let _points = exclusive();
        let before = opaque_point_live_count();
        let ps: Vec<_> = (0..1000)
            .map(|i| opaque_point_new_thread_owned(i as f32, 0.0))
            .collect();
        assert_eq!(opaque_point_thread_owned_count(), 1000);
        assert_eq!(opaque_point_live_count(), before + 1000);
        for p in ps.into_iter().rev() {
            // SAFETY: live handles of this thread, each freed once.
            unsafe { opaque_point_free(p) };
        }
        assert_eq!(opaque_point_thread_owned_count(), 0);
        assert_eq!(opaque_point_live_count(), before);
    }

    #[test]
    fn the_registry_gives_memory_back_after_a_burst() {
        let _points = exclusive();
        let capacity = || THREAD_OWNED.with(Registry::capacity);
        thread::spawn(move || {
            let ps: Vec<_> = (0..100_000)
                .map(|i| opaque_point_new_thread_owned(i as f32, 0.0))
                .collect();
            assert!(capacity() >= 100_000);
            for &p in &ps[..99_990] {
                // SAFETY: live handles of this thread, each freed once.
                unsafe { opaque_point_free(p) };
            }
            assert_eq!(opaque_point_thread_owned_count(), 10);
            assert!(
                capacity() <= crate::thread_owned::SHRINK_ABOVE,
                "capacity {}",
                capacity()
            );
            // The rest are still there, and still freed by the exit.
            // SAFETY: live (registered, not freed).
            assert_eq!(
                unsafe { opaque_point_get(ps[99_999]) },
                Point::new(99_999.0, 0.0)
            );
        })
        .join()
        .unwrap();
    }

    #[test]
    fn clones_and_equality_ignore_thread_ownership() {
        let mut p = OpaquePoint::new(1.0, 2.0);
        p.thread_owned = true;
        let q = p.clone();
        assert!(!q.thread_owned);
        assert_eq!(p, q);
        assert_ne!(
            OpaquePoint::new(f32::NAN, 0.0),
            OpaquePoint::new(f32::NAN, 0.0)
        );
    }
}
