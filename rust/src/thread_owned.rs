//! Thread-owned objects: values that the thread which created them frees
//! when it exits, if nobody freed them before, behind handles that never
//! dangle.
//!
//! A binding whose objects cannot outlive a thread (a Node.js worker thread
//! that ends, by `worker.terminate()` say, with objects its garbage collector
//! never reached and no JavaScript left to run) asks for thread-owned
//! objects: [`crate::opaque::opaque_point_new_thread_owned`] and
//! [`crate::error::ffi_error_new_thread_owned`].
//!
//! # Why not a box the thread frees
//!
//! A thread's exit is a sequence, and code runs after the library's part of
//! it: on glibc a thread runs its thread-local destructors (C++ `thread_local`,
//! Rust's `thread_local!`), then its `pthread_key_create` and C11 `tss`
//! destructors, in up to `PTHREAD_DESTRUCTOR_ITERATIONS` (4) rounds; `exit()`
//! runs the calling thread's thread-local destructors, then the `atexit`
//! handlers and C++ static destructors. A handle that is the address of a box
//! freed by the first step is a use-after-free for the later ones. So a
//! thread-owned object lives in a [`Slot`] of a process-wide [`Table`] whose
//! memory is never given back to the system, and its handle is not an address
//! but the slot's index and the generation it had when the object was put in
//! it, tagged in bit 0 (an ordinary handle, a box's address, has bit 0 clear:
//! both types are at least 4-byte aligned). Freeing the object, by its free
//! function or at thread exit, drops the value and advances the slot's
//! generation; a handle whose generation is no longer the slot's is stale,
//! and every function treats it as freed: a free is ignored, a read is the
//! function's answer for NULL. A slot is reused for new objects (of any
//! thread) once freed; the generation tells the new object's handle from the
//! old one's. A slot whose 32-bit generation would wrap around is retired
//! instead (never reused), so a stale handle can never match again.
//!
//! # Who frees what is left
//!
//! Each thread keeps, per type, a [`Local`] record in a `thread_local!` that
//! has no destructor (so it stays readable through every step of the exit):
//! the list of its live slots, a list of free slots for its next objects, and
//! a number that identifies it as their owner. What releases the live slots
//! of a thread (drops the values, advances the generations) is, on Linux:
//! - a `pthread_key_create` key, whose value a thread sets when it creates an
//!   object and the key is not set: glibc calls the key's destructor after
//!   every thread-local destructor of the thread, and once more (another
//!   round) if a later `pthread_key`/`tss` destructor creates an object and so
//!   sets the key again, even as the thread's first contact with the library;
//! - an exit handler, registered with `atexit()` when the process creates its
//!   first object, for the thread that calls `exit()` (exit() runs no
//!   `pthread_key` destructor): it releases that thread's objects among the
//!   other exit handlers, in their reverse order of registration, and is
//!   registered again by an object that thread creates after it ran.
//!
//! No thread-local destructor is registered on Linux: glibc never runs one
//! registered after the thread's thread-local destructors ran (as a first
//! contact inside a `pthread_key` destructor would), and it would leak its
//! record. Elsewhere, or if the system has no key left, an [`ExitGuard`] in a
//! `thread_local!` with a destructor releases the objects among the thread's
//! thread-local destructors, and objects created after it ran are left to
//! the system.
//!
//! What nothing releases, on Linux: objects created in the last of glibc's
//! `PTHREAD_DESTRUCTOR_ITERATIONS` (4) rounds of `pthread_key` destructors
//! (glibc runs no fifth round). They stay valid handles that their free
//! function frees; the system reclaims them with the process.
//!
//! Slots move between threads through one lock only when a thread runs out
//! of free slots or gives its slots back at exit; creating and freeing an
//! object otherwise touches the calling thread's record and the slot.

use std::cell::{Cell, UnsafeCell};
use std::marker::PhantomData;
use std::mem::MaybeUninit;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, AtomicU64, Ordering};
use std::thread::LocalKey;

/// A type whose values can be thread-owned. Each implementation provides its
/// own statics (one [`Table`], and per thread one [`Local`] and one
/// [`ExitGuard`]), declared next to the type.
pub(crate) trait ThreadOwnable: Sized + Send + 'static {
    /// The process-wide slots of this type's thread-owned values.
    fn table() -> &'static Table<Self>;
    /// The calling thread's record: a `const` `thread_local!` without a
    /// destructor.
    fn local() -> &'static LocalKey<Local>;
    /// The calling thread's guard, whose destructor releases its values.
    fn exit_guard() -> &'static LocalKey<ExitGuard<Self>>;
    /// Called once for each value released at thread exit, after it is
    /// dropped (to update a live counter, say).
    fn released_at_thread_exit();
}

/// Makes a type thread-ownable: declares its [`Table`] and its two
/// per-thread statics, and implements [`ThreadOwnable`] with `$released` as
/// `released_at_thread_exit` (a block that updates a live counter, say).
macro_rules! thread_ownable {
    ($t:ty, $released:block) => {
        const _: () = {
            use std::thread::LocalKey;
            use $crate::thread_owned::{ExitGuard, Local, Table, ThreadOwnable};

            /// The slots of every thread-owned value of the type.
            static TABLE: Table<$t> = Table::new();

            thread_local! {
                /// This thread's record (no destructor: readable until the
                /// thread's very end).
                static LOCAL: Local = const { Local::new() };
                /// Releases this thread's values among its thread-local
                /// destructors, where there is no key.
                static EXIT: ExitGuard<$t> = const { ExitGuard::new() };
            }

            impl ThreadOwnable for $t {
                fn table() -> &'static Table<Self> {
                    &TABLE
                }
                fn local() -> &'static LocalKey<Local> {
                    &LOCAL
                }
                fn exit_guard() -> &'static LocalKey<ExitGuard<Self>> {
                    &EXIT
                }
                fn released_at_thread_exit() $released
            }
        };
    };
}
pub(crate) use thread_ownable;

/// No slot, in the `u32` links of the lists.
const NONE: u32 = u32::MAX;

/// Bit 0 of a thread-owned handle; clear in an ordinary one (a box's address).
const TAG: usize = 1;
/// A handle's bits: the tag, `INDEX_BITS` of slot index, then the generation
/// in the upper half of the word (32 bits on 64-bit targets).
const HALF: u32 = usize::BITS / 2;
const INDEX_BITS: u32 = HALF - 1;
/// Slot indices are below this.
const MAX_SLOTS: usize = 1 << INDEX_BITS;
/// The last generation a handle can carry: a slot live with it is retired
/// when freed.
const MAX_GENERATION: u32 = if HALF >= 32 {
    u32::MAX
} else {
    (1 << HALF) - 1
};

/// Slots in the first chunk; chunk `k` holds `FIRST_CHUNK << k`.
const FIRST_CHUNK: usize = 64;
/// Enough chunks for `MAX_SLOTS` slots: `64 * (2^26 - 1) >= 2^31`.
const CHUNKS: usize = 26;
/// Fresh slots a thread takes at once when it has none and no slot was
/// given back by an exited thread.
const BATCH: usize = 32;

/// Whether `handle` is a thread-owned handle (bit 0 set), as opposed to
/// NULL or an ordinary handle.
#[inline]
pub(crate) fn is_thread_owned<T>(handle: *const T) -> bool {
    handle.addr() & TAG != 0
}

#[inline]
fn encode(index: u32, generation: u32) -> usize {
    ((generation as usize) << HALF) | ((index as usize) << 1) | TAG
}

#[inline]
fn decode(handle: usize) -> (u32, u32) {
    let index = ((handle >> 1) & (MAX_SLOTS - 1)) as u32;
    // Keep the upper half only (on 32-bit targets it is 16 bits wide).
    let generation = (handle >> HALF) as u32;
    (index, generation)
}

/// The chunk holding slot `index`, and the slot's offset in it.
#[inline]
fn locate(index: u32) -> (usize, usize) {
    let n = index as usize / FIRST_CHUNK + 1;
    let chunk = (usize::BITS - 1 - n.leading_zeros()) as usize;
    (chunk, index as usize - FIRST_CHUNK * ((1 << chunk) - 1))
}

/// One place for a thread-owned value.
pub(crate) struct Slot<T> {
    /// Odd while a value is in the slot (the generation its handle carries);
    /// even while the slot is free. 0 on a slot never used, or retired.
    generation: AtomicU32,
    /// The owning thread's [`Local::id`], while a value is in the slot.
    owner: AtomicU64,
    /// The neighbours in the owning thread's list of live slots, or `next`
    /// in a list of free slots.
    prev: Cell<u32>,
    next: Cell<u32>,
    value: UnsafeCell<MaybeUninit<T>>,
}

// SAFETY: `generation` and `owner` are atomics, read by any thread. `prev`
// and `next` are read and written only by the thread whose list holds the
// slot (its live list or its free list), or under the table's `spare` lock
// while the slot is in no thread's list; a slot passes from one to the other
// only through that lock or by that thread itself, so each access happens
// after the previous one. `value` is written when the slot is handed out and
// read out when it is freed, both by the owning thread; between the two the
// header lets any thread use the object, one call at a time, as it lets any
// thread use an ordinary handle (hence `T: Send`).
unsafe impl<T: Send> Sync for Slot<T> {}

/// The process-wide slots of one type: chunks that double in size, created
/// on demand and never freed, so that any handle ever given out stays
/// readable for the rest of the process.
///
/// Its synchronisation is this crate's own atomics (a spin lock, a key made
/// once by compare-and-swap), not std's `Mutex` or `OnceLock`, whose slow
/// paths live in the precompiled standard library: ThreadSanitizer, with
/// only this crate instrumented, sees every happens-before edge.
pub(crate) struct Table<T> {
    chunks: [AtomicPtr<Slot<T>>; CHUNKS],
    spare: SpinLock<Spare>,
    /// The `pthread_key_create` key whose destructor releases a thread's
    /// slots: [`NO_KEY_YET`], [`NO_KEY`] (none here, or the system had none
    /// left), or the key plus one.
    key: AtomicU64,
    /// The exit handler [`at_exit`] is registered and has not run.
    at_exit: AtomicBool,
}

/// [`Table::key`] before the first object.
const NO_KEY_YET: u64 = 0;
/// [`Table::key`] where there is no key.
const NO_KEY: u64 = u64::MAX;

/// A lock for the few moments a thread moves slots to or from the table:
/// spins, then yields to the scheduler.
struct SpinLock<T> {
    locked: AtomicBool,
    value: UnsafeCell<T>,
}

// SAFETY: `value` is only reached through a `SpinGuard`, and one exists at a
// time (`lock` sets `locked` with Acquire, the guard's drop clears it with
// Release).
unsafe impl<T: Send> Sync for SpinLock<T> {}

struct SpinGuard<'a, T>(&'a SpinLock<T>);

impl<T> SpinLock<T> {
    const fn new(value: T) -> Self {
        SpinLock {
            locked: AtomicBool::new(false),
            value: UnsafeCell::new(value),
        }
    }

    fn lock(&self) -> SpinGuard<'_, T> {
        let mut spins = 0u32;
        while self
            .locked
            .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            spins += 1;
            if spins < 64 {
                std::hint::spin_loop();
            } else {
                std::thread::yield_now();
            }
        }
        SpinGuard(self)
    }
}

impl<T> Deref for SpinGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: this guard holds the lock (see `SpinLock`).
        unsafe { &*self.0.value.get() }
    }
}

impl<T> DerefMut for SpinGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: this guard holds the lock, and is borrowed mutably.
        unsafe { &mut *self.0.value.get() }
    }
}

impl<T> Drop for SpinGuard<'_, T> {
    fn drop(&mut self) {
        self.0.locked.store(false, Ordering::Release);
    }
}

/// The slots no thread holds, under the table's lock.
struct Spare {
    /// Slots at and above this index were never handed out.
    fresh: usize,
    /// The free slots that exited threads gave back, linked by `next`.
    given_back: u32,
}

impl<T: ThreadOwnable> Table<T> {
    /// An empty table (`const`: for a `static`).
    pub(crate) const fn new() -> Self {
        Table {
            chunks: [const { AtomicPtr::new(std::ptr::null_mut()) }; CHUNKS],
            spare: SpinLock::new(Spare {
                fresh: 0,
                given_back: NONE,
            }),
            key: AtomicU64::new(NO_KEY_YET),
            at_exit: AtomicBool::new(false),
        }
    }

    fn spare(&self) -> SpinGuard<'_, Spare> {
        self.spare.lock()
    }

    /// The table's key ([`NO_KEY`] if there is none), created by the first
    /// caller; a thread that loses the race deletes its own.
    fn key(&self) -> u64 {
        let key = self.key.load(Ordering::Acquire);
        if key != NO_KEY_YET {
            return key;
        }
        let made = sys::create_key(key_destructor::<T>).map_or(NO_KEY, |k| k + 1);
        match self
            .key
            .compare_exchange(NO_KEY_YET, made, Ordering::AcqRel, Ordering::Acquire)
        {
            Ok(_) => made,
            Err(first) => {
                if made != NO_KEY {
                    sys::delete_key(made - 1);
                }
                first
            }
        }
    }

    /// The slot at `index`, if its chunk exists.
    #[inline]
    fn get(&self, index: u32) -> Option<&Slot<T>> {
        let (chunk, offset) = locate(index);
        let base = self.chunks.get(chunk)?.load(Ordering::Acquire);
        if base.is_null() {
            return None;
        }
        // SAFETY: chunk `chunk` holds `FIRST_CHUNK << chunk` initialised
        // slots (zeroed memory is a valid `Slot`: atomics and cells of 0, an
        // uninitialised value), `offset` is below that by `locate`, and
        // chunks are never freed or moved.
        Some(unsafe { &*base.add(offset) })
    }

    /// The slot at `index`, which the caller's lists hold (so it exists).
    #[inline]
    fn slot(&self, index: u32) -> &Slot<T> {
        match self.get(index) {
            Some(slot) => slot,
            None => unreachable!("slot {index} is in a list but has no chunk"),
        }
    }

    /// The slot of a thread-owned `handle` if the value it was given for is
    /// still in it; None if that value was freed (or `handle` is not one of
    /// this table's).
    #[inline]
    fn live(&self, handle: usize) -> Option<(u32, &Slot<T>)> {
        let (index, generation) = decode(handle);
        let slot = self.get(index)?;
        // Acquire: pairs with the Release store of the thread that put the
        // value in, so the value is seen whole.
        (generation & 1 == 1 && slot.generation.load(Ordering::Acquire) == generation)
            .then_some((index, slot))
    }

    /// Moves slots no thread holds into `local`'s free list: all those that
    /// exited threads gave back, or else a batch never used. Panics (caught
    /// by the export's guard, which returns NULL) when the table is full,
    /// which no process reaches before running out of memory.
    fn refill(&self, local: &Local) {
        let mut spare = self.spare();
        if spare.given_back != NONE {
            local
                .free
                .set(std::mem::replace(&mut spare.given_back, NONE));
            return;
        }
        let start = spare.fresh;
        let end = (start + BATCH).min(MAX_SLOTS);
        assert!(start < end, "the table of thread-owned objects is full");
        for index in (start..end).rev() {
            let index = index as u32;
            let slot = match self.get(index) {
                Some(slot) => slot,
                None => self.add_chunk(locate(index).0).slot(index),
            };
            slot.next.set(local.free.get());
            local.free.set(index);
        }
        spare.fresh = end;
    }

    /// Creates chunk `chunk` (under the `spare` lock, so once).
    #[cold]
    fn add_chunk(&self, chunk: usize) -> &Self {
        let bytes = (FIRST_CHUNK << chunk) * std::mem::size_of::<Slot<T>>();
        let base = sys::zeroed_pages(bytes).cast::<Slot<T>>();
        assert!(!base.is_null(), "no memory for {bytes} bytes of slots");
        // Release: pairs with the Acquire load in `get`, so a thread that
        // sees the chunk sees it zeroed.
        self.chunks[chunk].store(base, Ordering::Release);
        self
    }

    /// Gives `local`'s free slots to the table, for other threads.
    fn give_back(&self, local: &Local) {
        let head = local.free.replace(NONE);
        if head == NONE {
            return;
        }
        let mut tail = head;
        loop {
            let next = self.slot(tail).next.get();
            if next == NONE {
                break;
            }
            tail = next;
        }
        let mut spare = self.spare();
        self.slot(tail).next.set(spare.given_back);
        spare.given_back = head;
    }

    /// The number of slots ever handed out (for tests of their reuse).
    #[cfg(test)]
    pub(crate) fn slots_used(&self) -> usize {
        self.spare().fresh
    }
}

/// Thread ids for [`Local::id`]: never reused, so a slot left live by a
/// thread that ended can never be taken for another thread's.
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// One thread's record for one type. Meant for a `const` `thread_local!`:
/// it has no destructor, so it stays readable in every exit step.
pub(crate) struct Local {
    /// This thread's owner id (0 until its first object).
    id: Cell<u64>,
    /// Its live slots (a doubly linked list).
    live: Cell<u32>,
    /// How many slots `live` holds.
    count: Cell<usize>,
    /// Its free slots, for its next objects (linked by `next`).
    free: Cell<u32>,
    /// Something will release this thread's values: the key's value is set
    /// (and the process's exit handler registered), or else the exit guard
    /// is registered.
    armed: Cell<bool>,
}

impl Local {
    /// An empty record (`const`: no lazy set-up in a `thread_local!`).
    pub(crate) const fn new() -> Self {
        Local {
            id: Cell::new(0),
            live: Cell::new(NONE),
            count: Cell::new(0),
            free: Cell::new(NONE),
            armed: Cell::new(false),
        }
    }
}

/// Releases the calling thread's `T`s when its thread-local destructors run
/// (where there is no key: see the module's documentation).
pub(crate) struct ExitGuard<T: ThreadOwnable>(PhantomData<fn() -> T>);

impl<T: ThreadOwnable> ExitGuard<T> {
    /// The guard (`const`: for a `thread_local!`).
    pub(crate) const fn new() -> Self {
        ExitGuard(PhantomData)
    }
}

impl<T: ThreadOwnable> Drop for ExitGuard<T> {
    fn drop(&mut self) {
        release::<T>();
    }
}

/// Makes sure something releases the calling thread's `T`s: on Linux the
/// key (set now, so that its destructor runs when the thread ends) and the
/// process's exit handler (for the thread that calls exit()); elsewhere, or
/// if the system has no key left, the exit guard.
#[inline]
fn arm<T: ThreadOwnable>(local: &Local) {
    if local.armed.get() {
        return;
    }
    if local.id.get() == 0 {
        local.id.set(NEXT_ID.fetch_add(1, Ordering::Relaxed));
    }
    let table = T::table();
    let key = table.key();
    if key != NO_KEY && sys::set(key - 1) {
        if !table.at_exit.swap(true, Ordering::AcqRel) && !sys::at_exit(at_exit::<T>) {
            table.at_exit.store(false, Ordering::Release);
        }
        local.armed.set(true);
        return;
    }
    // Registers the guard's destructor among the thread's thread-local
    // destructors. An error means they have begun and destroyed the guard:
    // nothing will release what this thread creates from now on (the
    // system reclaims it when the process ends).
    let _ = T::exit_guard().try_with(|_| ());
    local.armed.set(true);
}

/// The key's destructor: glibc calls it after the thread's thread-local
/// destructors, and in another round if a later destructor sets the key again.
extern "C" fn key_destructor<T: ThreadOwnable>(_value: *mut std::ffi::c_void) {
    // Nothing may unwind into glibc; `release` does not panic.
    let _ = std::panic::catch_unwind(|| {
        // glibc cleared the value before the call: the next object sets it
        // again, and glibc runs another round.
        T::local().with(|local| local.armed.set(false));
        release::<T>();
    });
}

/// The process's exit handler (atexit()): exit() runs no pthread_key
/// destructor for the thread that calls it, so this releases that thread's
/// values. An object that thread creates later (in another exit handler)
/// registers the handler again, which then runs after that handler.
extern "C" fn at_exit<T: ThreadOwnable>() {
    let _ = std::panic::catch_unwind(|| {
        T::table().at_exit.store(false, Ordering::Release);
        T::local().with(|local| local.armed.set(false));
        release::<T>();
    });
}

/// Puts `value` in a slot owned by the calling thread, and returns its
/// thread-owned handle.
pub(crate) fn adopt<T: ThreadOwnable>(value: T) -> *mut T {
    let table = T::table();
    T::local().with(|local| {
        arm::<T>(local);
        if local.free.get() == NONE {
            table.refill(local);
        }
        let index = local.free.get();
        let slot = table.slot(index);
        // The slot is in this thread's free list: no other thread reads or
        // writes anything in it but its generation (see `Slot`).
        local.free.set(slot.next.get());
        slot.owner.store(local.id.get(), Ordering::Relaxed);
        // SAFETY: a free slot holds no value (it was read out when freed),
        // and no other thread accesses it (see `Slot`).
        unsafe { (*slot.value.get()).write(value) };
        slot.prev.set(NONE);
        slot.next.set(local.live.get());
        if local.live.get() != NONE {
            table.slot(local.live.get()).prev.set(index);
        }
        local.live.set(index);
        local.count.set(local.count.get() + 1);
        // Even (free) to odd (live). Release: pairs with the Acquire load in
        // `Table::live`, so the owner and the value are seen with it.
        let generation = slot.generation.load(Ordering::Relaxed) + 1;
        slot.generation.store(generation, Ordering::Release);
        std::ptr::without_provenance_mut(encode(index, generation))
    })
}

/// The value of the thread-owned `handle`; null if it was freed (by its free
/// function or its thread's exit). `handle` must have bit 0 set
/// ([`is_thread_owned`]).
#[inline]
pub(crate) fn value<T: ThreadOwnable>(handle: *const T) -> *mut T {
    match T::table().live(handle.addr()) {
        Some((_, slot)) => slot.value.get().cast::<T>(),
        None => std::ptr::null_mut(),
    }
}

/// The object a handle designates: itself for NULL or an ordinary handle, the
/// slot's value for a live thread-owned handle, and NULL for a thread-owned
/// handle whose object was freed.
#[inline]
pub(crate) fn resolve<T: ThreadOwnable>(handle: *mut T) -> *mut T {
    if is_thread_owned(handle) {
        value(handle)
    } else {
        handle
    }
}

/// Frees the value of the thread-owned `handle` if it is live and the calling
/// thread owns it, and returns whether it did. A handle already freed (stale)
/// or another thread's is left alone.
pub(crate) fn free<T: ThreadOwnable>(handle: *mut T) -> bool {
    let table = T::table();
    let Some((index, slot)) = table.live(handle.addr()) else {
        return false;
    };
    T::local().with(|local| {
        if local.id.get() == 0 || slot.owner.load(Ordering::Relaxed) != local.id.get() {
            return false;
        }
        // The slot is in this thread's live list: unlink it.
        let (prev, next) = (slot.prev.get(), slot.next.get());
        if prev == NONE {
            local.live.set(next);
        } else {
            table.slot(prev).next.set(next);
        }
        if next != NONE {
            table.slot(next).prev.set(prev);
        }
        local.count.set(local.count.get() - 1);
        drop(empty(local, index, slot));
        true
    })
}

/// Takes the value out of a live slot of this thread's (already out of its
/// live list), advances the generation, and puts the slot in the thread's
/// free list (or retires it). Returns the value, for the caller to drop once
/// the slot is consistent again.
fn empty<T: ThreadOwnable>(local: &Local, index: u32, slot: &Slot<T>) -> T {
    // SAFETY: the slot is live (its value was written by `adopt` and not read
    // out since) and this thread owns it; the header forbids another thread
    // to use the object while its owner frees it.
    let value = unsafe { (*slot.value.get()).assume_init_read() };
    let generation = slot.generation.load(Ordering::Relaxed);
    if generation == MAX_GENERATION {
        // Retired: 0 never matches a handle (their generations are odd).
        slot.generation.store(0, Ordering::Release);
    } else {
        // Odd (live) to even (free): every handle given for the value is
        // stale from now on.
        slot.generation.store(generation + 1, Ordering::Release);
        slot.next.set(local.free.get());
        local.free.set(index);
    }
    value
}

/// Releases the calling thread's live `T`s (from the key's destructor, the
/// exit handler or the exit guard), then gives its free slots to the table.
fn release<T: ThreadOwnable>() {
    let table = T::table();
    T::local().with(|local| {
        let mut index = local.live.replace(NONE);
        local.count.set(0);
        while index != NONE {
            let slot = table.slot(index);
            let next = slot.next.get();
            drop(empty(local, index, slot));
            T::released_at_thread_exit();
            index = next;
        }
        table.give_back(local);
    });
}

/// How many `T`s the calling thread owns and has not freed: those the next
/// release frees.
pub(crate) fn count<T: ThreadOwnable>() -> usize {
    T::local().with(|local| local.count.get())
}

/// The platform's pieces: a `pthread_key_create` key, an exit handler, and
/// zeroed pages that leak checkers do not report (memory that is never freed
/// on purpose). Not exports: kept out of the header.
///
/// cbindgen:ignore
#[cfg(any(target_os = "linux", target_os = "android"))]
mod sys {
    use std::ffi::{c_int, c_long, c_uint, c_void};

    type Key = c_uint;

    extern "C" {
        fn pthread_key_create(
            key: *mut Key,
            destructor: Option<extern "C" fn(*mut c_void)>,
        ) -> c_int;
        fn pthread_setspecific(key: Key, value: *const c_void) -> c_int;
        fn pthread_key_delete(key: Key) -> c_int;
        fn atexit(handler: extern "C" fn()) -> c_int;
        fn mmap(
            addr: *mut c_void,
            len: usize,
            prot: c_int,
            flags: c_int,
            fd: c_int,
            offset: c_long,
        ) -> *mut c_void;
    }

    const PROT_READ: c_int = 1;
    const PROT_WRITE: c_int = 2;
    const MAP_PRIVATE: c_int = 2;
    const MAP_ANONYMOUS: c_int = 0x20;

    /// A new key with `destructor`; None if the system has none left.
    pub(crate) fn create_key(destructor: extern "C" fn(*mut c_void)) -> Option<u64> {
        let mut key: Key = 0;
        // SAFETY: `key` is writable; `destructor` is a function that never
        // unwinds; the library is linked with -z nodelete (rust/build.rs), so
        // the function stays mapped for as long as a thread may call it.
        (unsafe { pthread_key_create(&mut key, Some(destructor)) } == 0).then_some(u64::from(key))
    }

    /// Deletes a key that no thread has set (one that lost the race to be
    /// the table's).
    pub(crate) fn delete_key(key: u64) {
        // SAFETY: a key from `create_key`, never set by any thread.
        unsafe { pthread_key_delete(key as Key) };
    }

    /// Sets the calling thread's value of `key` (to a non-NULL dummy), so
    /// that its destructor runs when the thread exits; false if it failed.
    pub(crate) fn set(key: u64) -> bool {
        // SAFETY: the table's key from `create_key`, never deleted; the
        // value is never dereferenced.
        unsafe {
            pthread_setspecific(
                key as Key,
                std::ptr::NonNull::<u8>::dangling().as_ptr().cast(),
            ) == 0
        }
    }

    /// Registers `handler` to run in exit(); false if it could not be.
    pub(crate) fn at_exit(handler: extern "C" fn()) -> bool {
        // SAFETY: `handler` never unwinds, and stays mapped for the rest of
        // the process (-z nodelete); glibc accepts registrations during
        // exit(), and runs them after the handler that made them.
        unsafe { atexit(handler) == 0 }
    }

    /// `bytes` of zeroed memory from mmap, never unmapped; null on failure.
    pub(crate) fn zeroed_pages(bytes: usize) -> *mut u8 {
        // SAFETY: an anonymous private mapping of fresh pages, at an address
        // the system chooses: no existing memory is affected.
        let p = unsafe {
            mmap(
                std::ptr::null_mut(),
                bytes,
                PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if p as isize == -1 {
            std::ptr::null_mut()
        } else {
            p.cast()
        }
    }
}

/// Elsewhere: no key (only the exit guard releases), and zeroed memory from
/// the allocator, never freed.
///
/// cbindgen:ignore
#[cfg(not(any(target_os = "linux", target_os = "android")))]
mod sys {
    use std::ffi::c_void;

    pub(crate) fn create_key(_destructor: extern "C" fn(*mut c_void)) -> Option<u64> {
        None
    }

    pub(crate) fn delete_key(_key: u64) {}

    pub(crate) fn set(_key: u64) -> bool {
        false
    }

    pub(crate) fn at_exit(_handler: extern "C" fn()) -> bool {
        false
    }

    pub(crate) fn zeroed_pages(bytes: usize) -> *mut u8 {
        match std::alloc::Layout::from_size_align(bytes, 4096) {
            // SAFETY: a non-zero size (a chunk holds at least 64 slots).
            Ok(layout) => unsafe { std::alloc::alloc_zeroed(layout) },
            Err(_) => std::ptr::null_mut(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{mpsc, Mutex, MutexGuard};

    static RELEASED: AtomicUsize = AtomicUsize::new(0);
    static DROPPED: AtomicUsize = AtomicUsize::new(0);

    /// A value that counts its drops.
    struct Counted(u64);
    impl Drop for Counted {
        fn drop(&mut self) {
            DROPPED.fetch_add(1, Ordering::Relaxed);
        }
    }

    thread_ownable!(Counted, {
        RELEASED.fetch_add(1, Ordering::Relaxed);
    });

    /// The tests share the counters and the table: one at a time.
    static SERIAL: Mutex<()> = Mutex::new(());

    fn serial() -> MutexGuard<'static, ()> {
        SERIAL.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn read(h: *mut Counted) -> Option<u64> {
        // SAFETY: `value` gives a live value or null.
        unsafe { value(h).as_ref() }.map(|c| c.0)
    }

    #[test]
    fn handles_are_tagged_and_round_trip() {
        for (index, generation) in [(0, 1), (1, 3), (MAX_SLOTS as u32 - 1, MAX_GENERATION)] {
            let h = encode(index, generation);
            assert_eq!(h & TAG, 1);
            assert_eq!(decode(h), (index, generation));
        }
        assert!(!is_thread_owned(std::ptr::null::<u8>()));
        let boxed = Box::into_raw(Box::new(0u32));
        assert!(!is_thread_owned(boxed));
        // SAFETY: the box just made, freed once.
        drop(unsafe { Box::from_raw(boxed) });
    }

    /// The sizes the header gives (opaque_point_new_thread_owned(),
    /// ffi_error_new_thread_owned()).
    #[cfg(target_pointer_width = "64")]
    #[test]
    fn slots_have_the_documented_sizes() {
        use std::mem::size_of;
        assert_eq!(size_of::<Slot<crate::opaque::OpaquePoint>>(), 32);
        assert_eq!(size_of::<Slot<crate::error::FfiError>>(), 48);
    }

    #[test]
    fn chunks_cover_every_index_once() {
        assert_eq!(locate(0), (0, 0));
        assert_eq!(locate(63), (0, 63));
        assert_eq!(locate(64), (1, 0));
        assert_eq!(locate(191), (1, 127));
        assert_eq!(locate(192), (2, 0));
        let (last, offset) = locate(MAX_SLOTS as u32 - 1);
        assert!(last < CHUNKS && offset < FIRST_CHUNK << last);
    }

    #[test]
    fn exit_frees_what_is_left_and_not_what_was_freed() {
        let _serial = serial();
        let (released, dropped) = (
            RELEASED.load(Ordering::Relaxed),
            DROPPED.load(Ordering::Relaxed),
        );
        let handles = std::thread::spawn(|| {
            let hs: Vec<*mut Counted> = (0..10).map(|i| adopt(Counted(i))).collect();
            assert_eq!(count::<Counted>(), 10);
            for &h in &hs[..4] {
                assert!(free(h));
                assert!(!free(h), "a second free is ignored");
                assert_eq!(read(h), None);
            }
            assert_eq!(count::<Counted>(), 6);
            assert_eq!(read(hs[9]), Some(9));
            hs.iter().map(|h| h.addr()).collect::<Vec<_>>()
        })
        .join()
        .unwrap();
        assert_eq!(RELEASED.load(Ordering::Relaxed) - released, 6);
        assert_eq!(DROPPED.load(Ordering::Relaxed) - dropped, 10);
        // After the thread's exit every handle is stale: reads give nothing,
        // frees are ignored, nothing is dropped twice.
        for h in handles {
            let h = std::ptr::without_provenance_mut::<Counted>(h);
            assert_eq!(read(h), None);
            assert!(!free(h));
        }
        assert_eq!(DROPPED.load(Ordering::Relaxed) - dropped, 10);
    }

    #[test]
    fn another_threads_handle_is_not_freed_here_and_a_reused_slot_is_safe() {
        let _serial = serial();
        let (send, receive) = mpsc::channel();
        let (stop, wait) = mpsc::channel::<()>();
        let owner = std::thread::spawn(move || {
            let h = adopt(Counted(7));
            send.send(h.addr()).unwrap();
            wait.recv().unwrap();
            read(h)
        });
        let h = std::ptr::without_provenance_mut::<Counted>(receive.recv().unwrap());
        assert_eq!(read(h), Some(7), "readable from any thread");
        assert!(!free(h), "not this thread's");
        stop.send(()).unwrap();
        assert_eq!(owner.join().unwrap(), Some(7));
        assert_eq!(read(h), None, "freed by its thread's exit");
        // New values here take the slots the exited thread gave back; the
        // stale handle frees none of them.
        let fresh: Vec<_> = (0..100).map(|i| adopt(Counted(i))).collect();
        assert!(!free(h));
        for (i, &f) in fresh.iter().enumerate() {
            assert_eq!(read(f), Some(i as u64));
            assert!(free(f));
        }
    }

    #[test]
    fn slots_are_reused_not_grown() {
        let _serial = serial();
        let burst = || {
            std::thread::spawn(|| {
                let hs: Vec<_> = (0..1000).map(|i| adopt(Counted(i))).collect();
                for &h in &hs[..500] {
                    assert!(free(h));
                }
            })
            .join()
            .unwrap()
        };
        burst();
        let used = Counted::table().slots_used();
        for _ in 0..5 {
            burst();
        }
        assert_eq!(
            Counted::table().slots_used(),
            used,
            "later threads reuse the slots given back"
        );
    }

    #[test]
    fn each_release_frees_what_was_made_since_and_later_uses_are_harmless() {
        let _serial = serial();
        let (released, dropped) = (
            RELEASED.load(Ordering::Relaxed),
            DROPPED.load(Ordering::Relaxed),
        );
        std::thread::spawn(|| {
            // The three ways a thread's values are released, each as glibc
            // (or Rust's thread-local machinery) would call it, then a value
            // made after it: released by the next one, or at the thread's end.
            let releases: [fn(); 3] = [
                || key_destructor::<Counted>(std::ptr::null_mut()),
                || at_exit::<Counted>(),
                || drop(ExitGuard::<Counted>::new()),
            ];
            for release in releases {
                let h = adopt(Counted(1));
                assert_eq!(count::<Counted>(), 1);
                release();
                assert_eq!(count::<Counted>(), 0);
                assert_eq!(read(h), None);
                assert!(!free(h));
            }
            let late = adopt(Counted(2));
            assert_eq!(read(late), Some(2));
        })
        .join()
        .unwrap();
        assert_eq!(RELEASED.load(Ordering::Relaxed) - released, 4);
        assert_eq!(DROPPED.load(Ordering::Relaxed) - dropped, 4);
    }

    #[test]
    fn a_slot_at_the_last_generation_is_retired() {
        let _serial = serial();
        std::thread::spawn(|| {
            let h = adopt(Counted(1));
            let (index, _) = decode(h.addr());
            let slot = Counted::table().slot(index);
            // Pretend the slot has been used 2^31 times.
            slot.generation.store(MAX_GENERATION, Ordering::Relaxed);
            let last = std::ptr::without_provenance_mut::<Counted>(encode(index, MAX_GENERATION));
            assert_eq!(read(last), Some(1));
            assert!(free(last));
            assert_eq!(read(last), None);
            assert_eq!(slot.generation.load(Ordering::Relaxed), 0);
            // Never handed out again.
            let next: Vec<_> = (0..200).map(|i| adopt(Counted(i))).collect();
            assert!(next.iter().all(|n| decode(n.addr()).0 != index));
            for n in next {
                assert!(free(n));
            }
        })
        .join()
        .unwrap();
    }
}
