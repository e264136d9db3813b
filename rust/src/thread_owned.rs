//! Thread-owned allocations: boxes that the thread which created them frees
//! when it exits, if nobody freed them before.
//!
//! A binding whose objects cannot outlive a thread (a Node.js worker thread
//! that ends, by `worker.terminate()` say, with objects its garbage collector
//! never reached and no JavaScript left to run) asks for thread-owned
//! objects: [`crate::opaque::opaque_point_new_thread_owned`] and
//! [`crate::error::ffi_error_new_thread_owned`]. Each such box is also
//! recorded, by address, in a [`Registry`] private to the calling thread;
//! the registry's thread-local destructor frees whatever is still recorded
//! when the thread exits. The object's free function takes it out of the
//! registry first, so nothing is freed twice. The registry is per thread: no
//! lock and no state shared between threads.

use std::cell::RefCell;
use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::marker::PhantomData;
use std::thread::LocalKey;

/// A type whose boxes a [`Registry`] may own.
pub(crate) trait ThreadOwnable {
    /// Called once for each box the registry frees when its thread exits,
    /// after the box is dropped (to update a live counter, say).
    fn released_at_thread_exit();
}

/// Hashes a box address: addresses are distinct and aligned, so one
/// multiplication spreads them well enough, at a fraction of SipHash's cost.
#[derive(Default)]
pub(crate) struct AddressHasher(u64);

impl Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `write_usize` is used (the set holds `usize`); fold anything else.
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }

    fn write_usize(&mut self, address: usize) {
        let h = (address as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        self.0 = h ^ (h >> 29);
    }
}

/// A registry table with room for more entries than this shrinks when it
/// falls below an eighth full.
pub(crate) const SHRINK_ABOVE: usize = 4096;

/// The boxes of type `T` created on one thread as thread-owned and not freed
/// yet, by address. Its destructor, which Rust's thread-local machinery runs
/// when the thread exits, frees them all. Meant to live in a `thread_local!`.
pub(crate) struct Registry<T: ThreadOwnable> {
    addresses: RefCell<HashSet<usize, BuildHasherDefault<AddressHasher>>>,
    /// The registry owns the recorded `Box<T>`s.
    owns: PhantomData<Box<T>>,
}

impl<T: ThreadOwnable> Registry<T> {
    /// An empty registry (`const`: no lazy set-up in a `thread_local!`).
    pub(crate) const fn new() -> Self {
        Registry {
            addresses: RefCell::new(HashSet::with_hasher(BuildHasherDefault::new())),
            owns: PhantomData,
        }
    }

    /// Records `boxed`, which the registry owns from now on.
    ///
    /// # Safety
    /// `boxed` comes from `Box::into_raw`, and nothing frees it except the
    /// registry's destructor or a caller to whom [`Registry::remove`] gave it
    /// back.
    pub(crate) unsafe fn insert(&self, boxed: *mut T) {
        self.addresses.borrow_mut().insert(boxed as usize);
    }

    /// Takes `boxed` out of the registry, handing its ownership back to the
    /// caller; `false` if it is not in it. The table shrinks once it is
    /// mostly empty, so that a burst of objects does not keep its memory for
    /// the rest of the thread (amortised O(1): at least three quarters of
    /// the entries were removed since the last resize).
    pub(crate) fn remove(&self, boxed: *mut T) -> bool {
        let mut addresses = self.addresses.borrow_mut();
        let removed = addresses.remove(&(boxed as usize));
        if removed
            && addresses.capacity() > SHRINK_ABOVE
            && addresses.len() < addresses.capacity() / 8
        {
            let keep = addresses.len() * 2;
            addresses.shrink_to(keep);
        }
        removed
    }

    /// How many boxes are recorded.
    pub(crate) fn len(&self) -> usize {
        self.addresses.borrow().len()
    }

    /// The table's capacity (for tests of the shrinking).
    #[cfg(test)]
    pub(crate) fn capacity(&self) -> usize {
        self.addresses.borrow().capacity()
    }
}

/// Records `boxed` in the calling thread's `registry`. `true` if it is now
/// thread-owned; `false` if the thread is exiting and its registry is gone
/// (the box is then an ordinary one, for its free function to free).
///
/// # Safety
/// As for [`Registry::insert`].
pub(crate) unsafe fn adopt<T: ThreadOwnable>(
    registry: &'static LocalKey<Registry<T>>,
    boxed: *mut T,
) -> bool {
    // SAFETY: the caller's promise, passed on.
    registry
        .try_with(|owned| unsafe { owned.insert(boxed) })
        .is_ok()
}

/// Takes a thread-owned `boxed` out of the calling thread's `registry`, for
/// its free function to free now. `false` if it is not there: it belongs to
/// another thread (whose registry keeps it), or this thread is exiting and
/// its registry has freed it already; either way, the caller must not free it.
pub(crate) fn take_back<T: ThreadOwnable>(
    registry: &'static LocalKey<Registry<T>>,
    boxed: *mut T,
) -> bool {
    registry
        .try_with(|owned| owned.remove(boxed))
        .unwrap_or(false)
}

impl<T: ThreadOwnable> Drop for Registry<T> {
    fn drop(&mut self) {
        for address in self.addresses.get_mut().drain() {
            // SAFETY: only `insert` adds addresses, each a `Box::into_raw`
            // that the registry owns (its contract), and `remove` takes an
            // address out before anyone else frees the box: so every address
            // still here is a live Box that nothing else will free.
            drop(unsafe { Box::from_raw(address as *mut T) });
            T::released_at_thread_exit();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    static RELEASED: AtomicUsize = AtomicUsize::new(0);

    /// Not zero-sized: each box needs an address of its own.
    struct Counted(#[allow(dead_code)] u64);
    impl ThreadOwnable for Counted {
        fn released_at_thread_exit() {
            RELEASED.fetch_add(1, Ordering::Relaxed);
        }
    }

    thread_local! {
        static COUNTED: Registry<Counted> = const { Registry::new() };
    }

    #[test]
    fn frees_what_is_left_at_thread_exit_and_not_what_was_removed() {
        std::thread::spawn(|| {
            let boxes: Vec<*mut Counted> = (0..10)
                .map(|i| Box::into_raw(Box::new(Counted(i))))
                .collect();
            for &b in &boxes {
                // SAFETY: fresh boxes, owned by the registry from now on.
                COUNTED.with(|r| unsafe { r.insert(b) });
            }
            for &b in &boxes[..4] {
                assert!(COUNTED.with(|r| r.remove(b)));
                // SAFETY: `remove` gave the box back; freed once.
                drop(unsafe { Box::from_raw(b) });
            }
            assert!(!COUNTED.with(|r| r.remove(boxes[0])), "already removed");
            assert_eq!(COUNTED.with(Registry::len), 6);
        })
        .join()
        .unwrap();
        assert_eq!(RELEASED.load(Ordering::Relaxed), 6);
    }

    #[test]
    fn address_hasher_spreads_aligned_addresses() {
        use std::hash::BuildHasher;
        let build = BuildHasherDefault::<AddressHasher>::default();
        // 16-byte-aligned neighbours land in distinct low-bit buckets.
        let buckets: HashSet<u64> = (0..64usize)
            .map(|i| build.hash_one(0x7f00_0000_0000 + 16 * i) & 63)
            .collect();
        assert!(buckets.len() > 32, "{} buckets", buckets.len());
    }
}
