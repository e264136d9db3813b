//! The live counters (`rust_string_live_count`, `opaque_point_live_count`,
//! `ffi_error_live_count`) return exactly to their baseline after every
//! allocation is freed, by its free function or by its thread's exit.
//!
//! The counters are process-wide, and cargo runs a binary's tests in parallel
//! threads: a unit test could only assert a lower bound while other tests
//! allocate. This file is a test binary of its own with a single test, so
//! nothing else allocates while it counts, and every assertion is exact.

use ffi_deep_dive::error::{
    ffi_error_free, ffi_error_live_count, ffi_error_new, ffi_error_new_thread_owned,
};
use ffi_deep_dive::opaque::{
    opaque_point_describe, opaque_point_free, opaque_point_live_count, opaque_point_new,
    opaque_point_new_thread_owned,
};
use ffi_deep_dive::strings::{concat_strings, free_rust_string, rust_string_live_count};

#[test]
fn live_counters_return_to_their_baseline() {
    let strings = rust_string_live_count();
    let points = opaque_point_live_count();

    // SAFETY: the arguments are NUL-terminated literals; each returned string
    // is freed exactly once.
    unsafe {
        let joined: Vec<_> = (0..5)
            .map(|_| concat_strings(c"x".as_ptr(), c"y".as_ptr()))
            .collect();
        assert_eq!(rust_string_live_count(), strings + 5);
        for s in joined {
            free_rust_string(s);
        }
        assert_eq!(rust_string_live_count(), strings);
        // NULL in, NULL out: nothing counted, and freeing NULL changes nothing.
        assert!(concat_strings(std::ptr::null(), c"y".as_ptr()).is_null());
        free_rust_string(std::ptr::null_mut());
        assert_eq!(rust_string_live_count(), strings);
    }

    let handles: Vec<_> = (0..10).map(|i| opaque_point_new(i as f32, 0.0)).collect();
    assert_eq!(opaque_point_live_count(), points + 10);
    // SAFETY: each handle is live until freed, and freed exactly once; the
    // description is a Rust string, counted as one and freed once.
    unsafe {
        let text = opaque_point_describe(handles[0]);
        assert_eq!(rust_string_live_count(), strings + 1);
        free_rust_string(text);
        for h in handles {
            opaque_point_free(h);
        }
        opaque_point_free(std::ptr::null_mut());
    }
    assert_eq!(opaque_point_live_count(), points);
    assert_eq!(rust_string_live_count(), strings);

    // Error objects: freed explicitly, or (thread-owned) by the thread's exit.
    let errors = ffi_error_live_count();
    let e = ffi_error_new();
    assert_eq!(ffi_error_live_count(), errors + 1);
    // SAFETY: `e` is live and freed once; NULL is a no-op.
    unsafe {
        ffi_error_free(e);
        ffi_error_free(std::ptr::null_mut());
    }
    assert_eq!(ffi_error_live_count(), errors);
    std::thread::spawn(move || {
        let left: Vec<_> = (0..3).map(|_| ffi_error_new_thread_owned()).collect();
        let freed = ffi_error_new_thread_owned();
        let p = opaque_point_new_thread_owned(1.0, 2.0);
        assert_eq!(ffi_error_live_count(), errors + 4);
        assert_eq!(opaque_point_live_count(), points + 1);
        // SAFETY: a live object of this thread, freed once.
        unsafe { ffi_error_free(freed) };
        assert_eq!(ffi_error_live_count(), errors + 3);
        (left.len(), p as usize)
    })
    .join()
    .unwrap();
    // join() returns after the thread's thread-local destructors ran.
    assert_eq!(ffi_error_live_count(), errors);
    assert_eq!(opaque_point_live_count(), points);
}
