//! The live counters (`rust_string_live_count`, `opaque_point_live_count`)
//! return exactly to their baseline after every allocation is freed.
//!
//! The counters are process-wide, and cargo runs a binary's tests in parallel
//! threads: a unit test could only assert a lower bound while other tests
//! allocate. This file is a test binary of its own with a single test, so
//! nothing else allocates while it counts, and every assertion is exact.

use ffi_deep_dive::opaque::{
    opaque_point_describe, opaque_point_free, opaque_point_live_count, opaque_point_new,
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
}
