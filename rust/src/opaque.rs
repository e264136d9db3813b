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
//! point lives in a slot of the process-wide table of
//! [`crate::thread_owned`], owned by the calling thread, which frees it when
//! it exits. Such a handle is not an address but a slot and a generation, so
//! that a use after the thread freed it is detected, never a use-after-free.

use std::ffi::{c_char, CString};
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::boundary::guard;
use crate::point::Point;
use crate::strings::into_c_string;
use crate::thread_owned;

/// Handles returned by [`opaque_point_new`] and not yet freed.
static LIVE_POINTS: AtomicUsize = AtomicUsize::new(0);

/// A point whose representation is private to Rust.
///
/// To C this is an incomplete type used through pointers only. A handle may
/// be moved between threads, but must not be used from two threads at once
/// while one of them translates or frees it. A handle from
/// opaque_point_new_thread_owned() belongs to the thread that created it:
/// only that thread frees it, explicitly or when it exits; after that every
/// function treats it as freed (see opaque_point_new_thread_owned()).
#[derive(Debug, Clone)]
pub struct OpaquePoint {
    x: f32,
    y: f32,
}

// An ordinary handle (a box's address) has bit 0 clear: the thread-owned
// handles of `thread_owned` are told apart by it.
const _: () = assert!(std::mem::align_of::<OpaquePoint>() >= 2);

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

// A thread-owned point's table and its thread's record; its exit counts the
// points it frees.
thread_owned::thread_ownable!(OpaquePoint, {
    LIVE_POINTS.fetch_sub(1, Ordering::Relaxed);
});

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
/// opaque_point_free() on the creating thread; on another thread
/// opaque_point_free() does nothing (the point stays valid, and its thread
/// frees it). Every other function accepts it from any thread, as for
/// opaque_point_new(), but not while its thread is exiting (a race, as with
/// any free). Returns NULL only if an internal panic was caught.
///
/// A thread-owned handle never dangles. Once its point is freed (by
/// opaque_point_free() or by its thread's exit), every function treats the
/// handle as freed, from any thread, at any time up to the end of the
/// process: opaque_point_free() ignores it (a second free, or a free after
/// the thread exited, is a harmless no-op), opaque_point_get() returns
/// (NaN, NaN), opaque_point_describe() NULL, and opaque_point_translate()
/// does nothing, as for NULL. So a late use is defined wherever it happens:
/// in an atexit handler, a C++ static destructor, a pthread_key_create or
/// C11 tss destructor that runs after the library freed the point (see
/// below), or on another thread after the owner exited. A handle is not an
/// address (C never dereferences it): it names a slot of a process-wide
/// table and that slot's generation. The table keeps room for as many
/// thread-owned points as were ever live at once (32 bytes each on 64-bit
/// targets), reused for new ones.
///
/// When the library frees the points a thread left, on Linux: when the
/// thread ends (its start routine returns or it calls pthread_exit(); a
/// Node.js worker thread ends this way after worker.terminate() too), after
/// all its thread-local destructors (C++ thread_local, Rust thread_local!),
/// in the first round of its pthread_key_create (and C11 tss) destructors,
/// after those of keys created before the library's (which it creates with
/// the process's first thread-owned point; glibc runs a round in key order).
/// For the thread that calls exit(), which runs no pthread_key destructor:
/// in an exit handler that the library registers with atexit() with the
/// process's first thread-owned point, so atexit handlers and C++ static
/// destructors registered after that run before it (and see the points
/// live), those registered before run after it. A point created after its
/// thread's release (in a later pthread_key or tss destructor, even as the
/// thread's first call into the library, or in a later exit handler) is
/// freed in the next round of destructors, or right after that exit handler
/// returns. Never freed by the library: points created in the last of the
/// PTHREAD_DESTRUCTOR_ITERATIONS (4) rounds of pthread_key destructors (they
/// stay live handles, which opaque_point_free() frees, or the system
/// reclaims with the process). Other platforms free them among the thread's
/// thread-local destructors (whether the main thread's run at exit depends
/// on the platform) and leave points created after that to the system.
/// _exit(), quick_exit() or a crash frees nothing; the system reclaims the
/// memory. Each thread's record is private to it: creating and freeing take
/// a lock only when a thread runs out of free slots or gives its slots back
/// at exit.
#[no_mangle]
pub extern "C" fn opaque_point_new_thread_owned(x: f32, y: f32) -> *mut OpaquePoint {
    guard(|| {
        let handle = thread_owned::adopt(OpaquePoint::new(x, y));
        LIVE_POINTS.fetch_add(1, Ordering::Relaxed);
        handle
    })
}

/// The number of points that opaque_point_new_thread_owned() created on the
/// calling thread and that are not freed yet (those the library frees when
/// the thread exits). Meant for tests.
///
/// No pointers: nothing to own, borrow or free, and no NULL case. Thread-safe
/// (it only reads the calling thread's record). While the thread exits: 0
/// once the library freed its points, or the number created since.
#[no_mangle]
pub extern "C" fn opaque_point_thread_owned_count() -> usize {
    guard(thread_owned::count::<OpaquePoint>)
}

/// Moves the point by (`by_x`, `by_y`), in place, with float arithmetic
/// (as point_translate()).
///
/// NULL, or a thread-owned handle whose point was freed, is a harmless
/// no-op. The handle is borrowed for the call; it stays owned by the caller.
/// Not to be called on a handle another thread is using.
///
/// # Safety
/// `point` is NULL, a live handle from opaque_point_new(), or a handle from
/// opaque_point_new_thread_owned().
#[no_mangle]
pub unsafe extern "C" fn opaque_point_translate(point: *mut OpaquePoint, by_x: f32, by_y: f32) {
    guard(|| {
        let point = thread_owned::resolve(point);
        // SAFETY: "`point` is NULL, a live handle from opaque_point_new(),
        // or a handle from opaque_point_new_thread_owned()" and "not to be
        // called on a handle another thread is using": `resolve` gives NULL
        // (`as_mut` gives None), the live Box of an ordinary handle, or the
        // live value in a thread-owned handle's slot (NULL once freed).
        if let Some(p) = unsafe { point.as_mut() } {
            p.translate(by_x, by_y);
        }
    })
}

/// Returns a new string describing the point, e.g. "OpaquePoint(1.5, -2)"
/// (shortest round-trip float formatting; "NaN", "inf" and "-inf" for
/// non-finite coordinates). Returns NULL for a NULL `point`, for a
/// thread-owned handle whose point was freed (or if an internal panic was
/// caught).
///
/// Ownership: the handle is borrowed for the call. The string is owned by
/// the caller and must be released with free_rust_string(), exactly once,
/// never with free(); it is counted by rust_string_live_count(). Thread-safe
/// for handles no other thread is modifying.
///
/// # Safety
/// `point` is NULL, a live handle from opaque_point_new(), or a handle from
/// opaque_point_new_thread_owned().
#[no_mangle]
pub unsafe extern "C" fn opaque_point_describe(point: *const OpaquePoint) -> *mut c_char {
    guard(|| {
        let point = thread_owned::resolve(point.cast_mut());
        // SAFETY: "`point` is NULL, a live handle from opaque_point_new(),
        // or a handle from opaque_point_new_thread_owned()", not modified
        // during the call: `resolve` gives NULL (`as_ref` gives None), the
        // live Box, or the live value in the handle's slot (NULL once freed).
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
/// For a NULL `point`, or a thread-owned handle whose point was freed (or
/// if an internal panic was caught) returns (NaN, NaN), which no caller can
/// mistake for a real point created from finite coordinates. Thread-safe for
/// handles no other thread is modifying.
///
/// # Safety
/// `point` is NULL, a live handle from opaque_point_new(), or a handle from
/// opaque_point_new_thread_owned().
#[no_mangle]
pub unsafe extern "C" fn opaque_point_get(point: *const OpaquePoint) -> Point {
    guard(|| {
        let point = thread_owned::resolve(point.cast_mut());
        // SAFETY: "`point` is NULL, a live handle from opaque_point_new(),
        // or a handle from opaque_point_new_thread_owned()", not modified
        // during the call: `resolve` gives NULL (`as_ref` gives None), the
        // live Box, or the live value in the handle's slot (NULL once freed).
        match unsafe { point.as_ref() } {
            Some(p) => p.get(),
            None => Point::new(f32::NAN, f32::NAN),
        }
    })
}

/// Writes the point's coordinates into `*out`, the caller's memory, and
/// returns true. The same copy as opaque_point_get(), for callers that
/// cannot take a struct returned by value, or would rather not: a binding
/// that lets the foreign function interface build an object from a returned
/// struct hands its users an object it did not make (the package's
/// OpaquePoint class reads `x` and `y` this way, through a `Float32Array` of
/// two elements).
///
/// Returns false, and writes (NaN, NaN) into `*out`, for a NULL `point` or a
/// thread-owned handle whose point was freed. A NULL `out` writes nothing
/// and returns false. (An internal panic, caught, returns false with `*out`
/// at (NaN, NaN) or the point's coordinates.) Borrows `point` and `out` for
/// the call only: the caller still owns the handle, and nothing is
/// allocated. Thread-safe for handles no other thread is modifying.
///
/// # Safety
/// `point` is NULL, a live handle from opaque_point_new(), or a handle from
/// opaque_point_new_thread_owned(). `out` is NULL or valid for writing one
/// Point, not accessed by anything else during the call.
#[no_mangle]
pub unsafe extern "C" fn opaque_point_get_into(point: *const OpaquePoint, out: *mut Point) -> bool {
    guard(|| {
        // SAFETY: "`out` is NULL or valid for writing one Point, not accessed
        // by anything else during the call": `as_mut` gives None for NULL,
        // else an exclusive reference for this call.
        let Some(out) = (unsafe { out.as_mut() }) else {
            return false;
        };
        *out = Point::new(f32::NAN, f32::NAN);
        let point = thread_owned::resolve(point.cast_mut());
        // SAFETY: "`point` is NULL, a live handle from opaque_point_new(),
        // or a handle from opaque_point_new_thread_owned()", not modified
        // during the call: `resolve` gives NULL (`as_ref` gives None), the
        // live Box, or the live value in the handle's slot (NULL once freed).
        // A Point of the caller's cannot be inside the OpaquePoint, which
        // only this library can reach.
        match unsafe { point.as_ref() } {
            Some(p) => {
                *out = p.get();
                true
            }
            None => false,
        }
    })
}

/// Destroys a point created by opaque_point_new() or
/// opaque_point_new_thread_owned(). NULL is a harmless no-op.
///
/// A handle from opaque_point_new() must be freed exactly once: it is
/// invalid afterwards, and freeing it again, or using it, is undefined
/// behaviour (as with free()). Never pass it to C's free(). Thread-safety:
/// may be called from any thread, but must not race with any other use of
/// the same handle.
///
/// A thread-owned handle is freed only on the thread that created it; on
/// another thread this does nothing, and the point is freed when its thread
/// exits. Once its point is freed (here, or by its thread's exit), this
/// ignores the handle: a second free, or a free after the thread exited, on
/// any thread and at any point of the process's exit, is a harmless no-op
/// (see opaque_point_new_thread_owned()).
///
/// # Safety
/// `point` is NULL, a live handle from opaque_point_new() that is not used
/// again, or a handle from opaque_point_new_thread_owned().
#[no_mangle]
pub unsafe extern "C" fn opaque_point_free(point: *mut OpaquePoint) {
    guard(|| {
        if thread_owned::is_thread_owned(point) {
            // Live and this thread's: freed; freed already, or another
            // thread's: left alone.
            if thread_owned::free(point) {
                LIVE_POINTS.fetch_sub(1, Ordering::Relaxed);
            }
            return;
        }
        if point.is_null() {
            return;
        }
        // SAFETY: "a live handle from opaque_point_new() that is not used
        // again": a `Box::into_raw` (bit 0 clear, unlike a thread-owned
        // handle) not freed yet; ownership returns to the Box, which drops
        // it here.
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
    fn get_into_writes_the_callers_memory() {
        let _points = exclusive();
        let p = opaque_point_new(1.5, -2.0);
        let owned = opaque_point_new_thread_owned(3.0, 4.0);
        let mut out = Point::new(7.0, 7.0);
        // SAFETY: `p` and `owned` are live until freed below, once each;
        // `out` is a local Point; NULL is allowed for either argument.
        unsafe {
            assert!(opaque_point_get_into(p, &mut out));
            assert_eq!(out, Point::new(1.5, -2.0));
            opaque_point_translate(p, 1.0, 1.0);
            assert!(opaque_point_get_into(p, &mut out));
            assert_eq!(out, opaque_point_get(p));
            assert!(opaque_point_get_into(owned, &mut out));
            assert_eq!(out, Point::new(3.0, 4.0));
            assert!(!opaque_point_get_into(p, std::ptr::null_mut()));
            assert!(!opaque_point_get_into(std::ptr::null(), &mut out));
            assert!(out.x.is_nan() && out.y.is_nan());
            opaque_point_free(p);
            opaque_point_free(owned);
            // A freed thread-owned handle: (NaN, NaN), as for NULL.
            out = Point::new(0.0, 0.0);
            assert!(!opaque_point_get_into(owned, &mut out));
            assert!(out.x.is_nan() && out.y.is_nan());
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
    fn a_burst_of_thread_owned_points_is_reused_not_kept_growing() {
        let _points = exclusive();
        let before = opaque_point_live_count();
        let burst = || {
            thread::spawn(|| {
                let ps: Vec<_> = (0..10_000)
                    .map(|i| opaque_point_new_thread_owned(i as f32, 0.0))
                    .collect();
                for &p in &ps[..9_990] {
                    // SAFETY: live handles of this thread, each freed once.
                    unsafe { opaque_point_free(p) };
                }
                assert_eq!(opaque_point_thread_owned_count(), 10);
                // SAFETY: a handle of this thread, still live.
                assert_eq!(
                    unsafe { opaque_point_get(ps[9_999]) },
                    Point::new(9_999.0, 0.0)
                );
            })
            .join()
            .unwrap()
        };
        burst();
        let slots = <OpaquePoint as thread_owned::ThreadOwnable>::table().slots_used();
        burst();
        burst();
        assert_eq!(
            <OpaquePoint as thread_owned::ThreadOwnable>::table().slots_used(),
            slots,
            "the slots given back are reused"
        );
        assert_eq!(opaque_point_live_count(), before);
    }

    #[test]
    fn a_freed_thread_owned_handle_reads_as_null_and_frees_as_a_no_op() {
        let _points = exclusive();
        let before = opaque_point_live_count();
        let p = addr(opaque_point_new_thread_owned(1.0, 2.0));
        let kept = thread::spawn(|| addr(opaque_point_new_thread_owned(3.0, 4.0)))
            .join()
            .unwrap();
        assert_eq!(
            opaque_point_live_count(),
            before + 1,
            "the thread's exit freed its point"
        );
        for stale in [p, kept] {
            let stale = stale as *mut OpaquePoint;
            // SAFETY: thread-owned handles; `stale` is freed (by this free or
            // by its thread's exit), which every function accepts.
            unsafe {
                opaque_point_free(stale);
                opaque_point_free(stale);
                let got = opaque_point_get(stale);
                assert!(got.x.is_nan() && got.y.is_nan());
                assert!(opaque_point_describe(stale).is_null());
                opaque_point_translate(stale, 1.0, 1.0);
            }
        }
        assert_eq!(opaque_point_live_count(), before);
        // A new point in the same slot is not freed through the old handle.
        let q = opaque_point_new_thread_owned(5.0, 6.0);
        // SAFETY: `p` is stale (ignored); `q` is live, freed once.
        unsafe {
            opaque_point_free(p as *mut OpaquePoint);
            assert_eq!(opaque_point_get(q), Point::new(5.0, 6.0));
            opaque_point_free(q);
        }
        assert_eq!(opaque_point_live_count(), before);
    }

    #[test]
    fn handles_of_both_kinds_are_told_apart() {
        let _points = exclusive();
        let plain = opaque_point_new(1.0, 2.0);
        let owned = opaque_point_new_thread_owned(1.0, 2.0);
        assert!(!thread_owned::is_thread_owned(plain));
        assert!(thread_owned::is_thread_owned(owned));
        // SAFETY: live handles, each freed once.
        unsafe {
            assert_eq!(opaque_point_get(plain), opaque_point_get(owned));
            opaque_point_free(plain);
            opaque_point_free(owned);
        }
    }

    #[test]
    fn clones_and_equality() {
        let p = OpaquePoint::new(1.0, 2.0);
        assert_eq!(p, p.clone());
        assert_ne!(
            OpaquePoint::new(f32::NAN, 0.0),
            OpaquePoint::new(f32::NAN, 0.0)
        );
    }
}
