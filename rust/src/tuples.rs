//! Tuples: a tuple struct crosses the boundary as a plain C struct whose
//! fields are named `_0` and `_1` (the names of a Rust tuple struct's
//! fields), and `flip_things` swaps them: `(a, b)` becomes `(b, a)`. (The FFI
//! Omnibus's tuple example differs: `flip_things_around` takes a struct with
//! fields `x` and `y` and returns `(b + 1, a - 1)`; ours is a plain swap.)
//!
//! Rust tuples (`(u32, u32)`) have no guaranteed layout, so they never cross
//! the boundary themselves: the export converts between the `#[repr(C)]`
//! [`Tuple`] and a real tuple with `From`, and the safe core works on tuples.

use crate::boundary::{guard, PanicFallback};

/// A pair of `uint32_t`, passed and returned by value. The C fields are
/// `_0` and `_1`, the names of a Rust tuple struct's fields.
///
/// A plain value: no ownership, any bit pattern is valid, safe to copy
/// between threads.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Tuple(pub u32, pub u32);

impl From<(u32, u32)> for Tuple {
    fn from((a, b): (u32, u32)) -> Self {
        Tuple(a, b)
    }
}

impl From<Tuple> for (u32, u32) {
    fn from(t: Tuple) -> Self {
        (t.0, t.1)
    }
}

impl PanicFallback for Tuple {
    fn panic_fallback() -> Self {
        Tuple(0, 0)
    }
}

/// The safe core: swaps the two elements of a tuple.
pub fn flip((a, b): (u32, u32)) -> (u32, u32) {
    (b, a)
}

/// Returns `t` with its two elements swapped: `{_0 = a, _1 = b}` gives
/// `{_0 = b, _1 = a}`.
///
/// Takes and returns the struct by value. No pointers: nothing to own,
/// borrow or free, and no NULL case. Cannot fail (on an internal panic it returns `{0, 0}`). Thread-safe.
#[no_mangle]
pub extern "C" fn flip_things(t: Tuple) -> Tuple {
    guard(|| flip(t.into()).into())
}

/// Writes `*t` with its two elements swapped into `*out`, as flip_things()
/// returns it, and returns true: `{_0 = a, _1 = b}` gives
/// `{_0 = b, _1 = a}`. For callers that cannot take a struct returned by
/// value, or would rather not: a binding that lets the foreign function
/// interface build an object from a returned struct hands its users an
/// object it did not make (the package's `flipThings` passes one
/// `Uint32Array` of two elements as both `t` and `out`).
///
/// `out` may be `t` itself, or overlap it: the pair is read before it is
/// written. A NULL `t` or `out` writes nothing and returns false. Borrows
/// both for the call only; nothing is allocated. Cannot fail otherwise (an
/// internal panic, caught, returns false). Thread-safe for pairs no other
/// thread is writing.
///
/// # Safety
/// `t` is NULL or valid for reading one Tuple; `out` is NULL or valid for
/// writing one Tuple. Neither is written by anything else during the call.
#[no_mangle]
pub unsafe extern "C" fn flip_things_into(t: *const Tuple, out: *mut Tuple) -> bool {
    guard(|| {
        if t.is_null() || out.is_null() {
            return false;
        }
        // SAFETY: "`t` is NULL or valid for reading one Tuple" and not NULL
        // here. Read by value, with no reference kept: `out` may overlap it.
        let pair = unsafe { t.read() };
        // SAFETY: "`out` is NULL or valid for writing one Tuple" and not NULL
        // here; the read above has ended, so an overlap with `t` is harmless.
        unsafe { out.write(flip(pair.into()).into()) };
        true
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::{align_of, offset_of, size_of};

    #[test]
    fn layout_is_two_u32() {
        assert_eq!(size_of::<Tuple>(), 8);
        assert_eq!(align_of::<Tuple>(), 4);
        assert_eq!(offset_of!(Tuple, 0), 0);
        assert_eq!(offset_of!(Tuple, 1), 4);
    }

    #[test]
    fn flips_and_converts() {
        assert_eq!(flip_things(Tuple(1, 2)), Tuple(2, 1));
        assert_eq!(flip_things(Tuple(u32::MAX, 0)), Tuple(0, u32::MAX));
        assert_eq!(flip((3, 4)), (4, 3));
        let t: Tuple = (5, 6).into();
        assert_eq!(t, Tuple(5, 6));
        let pair: (u32, u32) = t.into();
        assert_eq!(pair, (5, 6));
    }

    #[test]
    fn flip_into_writes_the_callers_memory_even_in_place() {
        let t = Tuple(1, 2);
        let mut out = Tuple(9, 9);
        let mut both = [7u32, 8, 9];
        // SAFETY: locals valid for one Tuple each (the array holds two
        // overlapping ones, at elements 0 and 1, which the header allows);
        // NULL is allowed for either argument.
        unsafe {
            assert!(flip_things_into(&t, &mut out));
            assert_eq!((t, out), (Tuple(1, 2), Tuple(2, 1)));
            let in_place = both.as_mut_ptr().cast::<Tuple>();
            assert!(flip_things_into(in_place, in_place));
            assert_eq!(both, [8, 7, 9]);
            let shifted = both.as_mut_ptr().add(1).cast::<Tuple>();
            assert!(flip_things_into(in_place, shifted));
            assert_eq!(both, [8, 7, 8]);
            assert!(!flip_things_into(std::ptr::null(), &mut out));
            assert!(!flip_things_into(&t, std::ptr::null_mut()));
            assert_eq!(out, Tuple(2, 1), "NULL writes nothing");
        }
    }

    #[test]
    fn flipping_twice_is_identity() {
        for (a, b) in [(0, 0), (1, 2), (u32::MAX, 7), (123_456, u32::MAX)] {
            assert_eq!(flip_things(flip_things(Tuple(a, b))), Tuple(a, b));
        }
    }
}
