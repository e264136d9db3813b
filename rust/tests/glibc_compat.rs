//! The shims of `rust/glibc/compat.c` (x86_64-linux-gnu only) give the same
//! results as the functions they stand in for. rust/build.rs links them into
//! this test binary as into the library; each is called here directly by its
//! `__wrap_` name and compared with known values, with what std says, or
//! with the system call.
#![cfg(all(target_arch = "x86_64", target_os = "linux", target_env = "gnu"))]

use std::ffi::{c_char, c_int, c_long, c_uint, c_void, CString};
use std::fs;
use std::os::fd::AsRawFd;
use std::os::linux::fs::MetadataExt;
use std::sync::atomic::{AtomicUsize, Ordering};

/// glibc's `struct stat64` on x86_64 (the kernel's `struct stat`), 144 bytes.
#[repr(C)]
#[derive(Default)]
struct Stat64 {
    st_dev: u64,
    st_ino: u64,
    st_nlink: u64,
    st_mode: u32,
    st_uid: u32,
    st_gid: u32,
    pad0: c_int,
    st_rdev: u64,
    st_size: i64,
    st_blksize: i64,
    st_blocks: i64,
    st_atime: [i64; 2],
    st_mtime: [i64; 2],
    st_ctime: [i64; 2],
    unused: [i64; 3],
}

type Key = c_uint;

extern "C" {
    fn __wrap_log(x: f64) -> f64;
    fn __wrap_gettid() -> c_int;
    fn __wrap_stat64(path: *const c_char, buf: *mut Stat64) -> c_int;
    fn __wrap_fstat64(fd: c_int, buf: *mut Stat64) -> c_int;
    fn __wrap_pthread_key_create(
        key: *mut Key,
        destructor: Option<unsafe extern "C" fn(*mut c_void)>,
    ) -> c_int;
    fn __wrap_pthread_key_delete(key: Key) -> c_int;
    fn __wrap_pthread_setspecific(key: Key, value: *const c_void) -> c_int;
    fn pthread_getspecific(key: Key) -> *mut c_void;
    fn syscall(number: c_long, ...) -> c_long;
}

const SYS_GETTID: c_long = 186;

#[test]
fn log_gives_the_natural_logarithm() {
    assert_eq!(std::mem::size_of::<Stat64>(), 144);
    // Compared with constants: `f64::ln` in this binary calls the shim too.
    let ln = |x: f64| {
        // SAFETY: log takes any double.
        unsafe { __wrap_log(std::hint::black_box(x)) }
    };
    assert_eq!(ln(1.0), 0.0);
    assert_eq!(ln(2.0), std::f64::consts::LN_2);
    assert_eq!(ln(0.5), -std::f64::consts::LN_2);
    assert_eq!(ln(10.0), std::f64::consts::LN_10);
    assert_eq!(ln(0.0), f64::NEG_INFINITY);
    assert_eq!(ln(f64::INFINITY), f64::INFINITY);
    assert!(ln(-1.0).is_nan());
    assert!(ln(f64::NAN).is_nan());
}

#[test]
fn gettid_is_the_thread_id() {
    let ids = || {
        // SAFETY: gettid takes no argument and cannot fail.
        let shim = unsafe { __wrap_gettid() };
        // SAFETY: as above, made as the system call.
        let kernel = unsafe { syscall(SYS_GETTID) };
        (c_long::from(shim), kernel)
    };
    let (main, main_kernel) = ids();
    assert_eq!(main, main_kernel);
    let (other, other_kernel) = std::thread::spawn(ids).join().unwrap();
    assert_eq!(other, other_kernel);
    assert_ne!(main, other);
}

#[test]
fn stat64_and_fstat64_agree_with_std() {
    let path = std::env::current_exe().unwrap();
    let meta = fs::metadata(&path).unwrap();
    let c_path = CString::new(path.to_str().unwrap()).unwrap();
    let mut by_path = Stat64::default();
    // SAFETY: a NUL-terminated path and a buffer of the structure's size.
    assert_eq!(unsafe { __wrap_stat64(c_path.as_ptr(), &mut by_path) }, 0);
    let file = fs::File::open(&path).unwrap();
    let mut by_fd = Stat64::default();
    // SAFETY: an open descriptor and a buffer of the structure's size.
    assert_eq!(unsafe { __wrap_fstat64(file.as_raw_fd(), &mut by_fd) }, 0);
    for st in [&by_path, &by_fd] {
        assert_eq!(st.st_dev, meta.st_dev());
        assert_eq!(st.st_ino, meta.st_ino());
        assert_eq!(st.st_mode, meta.st_mode());
        assert_eq!(st.st_nlink, meta.st_nlink());
        assert_eq!(st.st_size as u64, meta.st_size());
        assert_eq!(st.st_mtime, [meta.st_mtime(), meta.st_mtime_nsec()]);
    }
    // A missing path fails with ENOENT, as stat64 does.
    let missing = CString::new("/nonexistent/ffi-deep-dive").unwrap();
    // SAFETY: as above.
    assert_eq!(unsafe { __wrap_stat64(missing.as_ptr(), &mut by_path) }, -1);
    assert_eq!(
        std::io::Error::last_os_error().kind(),
        std::io::ErrorKind::NotFound
    );
}

static DESTROYED: AtomicUsize = AtomicUsize::new(0);

unsafe extern "C" fn count_destroyed(value: *mut c_void) {
    DESTROYED.fetch_add(value as usize, Ordering::SeqCst);
}

#[test]
fn pthread_keys_hold_per_thread_values_and_run_destructors() {
    let mut key: Key = 0;
    // SAFETY: a valid out-pointer and a destructor that only counts.
    assert_eq!(
        unsafe { __wrap_pthread_key_create(&mut key, Some(count_destroyed)) },
        0
    );
    // SAFETY: a key from pthread_key_create, not deleted yet.
    unsafe {
        assert_eq!(__wrap_pthread_setspecific(key, 7 as *const c_void), 0);
        assert_eq!(pthread_getspecific(key) as usize, 7);
    }
    std::thread::spawn(move || {
        // SAFETY: as above; the thread's value starts as NULL.
        unsafe {
            assert!(pthread_getspecific(key).is_null());
            assert_eq!(__wrap_pthread_setspecific(key, 5 as *const c_void), 0);
        }
    })
    .join()
    .unwrap();
    // The exiting thread's destructor ran with its value; this thread's is untouched.
    assert_eq!(DESTROYED.load(Ordering::SeqCst), 5);
    // SAFETY: as above; the key is deleted once.
    unsafe {
        assert_eq!(pthread_getspecific(key) as usize, 7);
        assert_eq!(__wrap_pthread_key_delete(key), 0);
    }
}
