//! Two things for the linker, on the targets that need them:
//!
//! - ELF systems: the shared library's SONAME, derived from the package
//!   version in Cargo.toml the way cargo-c does: `libffi_deep_dive.so.0.2` for
//!   0.x versions (where a minor bump may break the ABI), `.so.1` from 1.0 on.
//!   `make` adds the matching symlink next to cargo's output, and `make
//!   install` installs `libffi_deep_dive.so.<version>` with the usual symlinks.
//! - x86_64-linux-gnu: the library runs on glibc 2.28 and newer, whatever
//!   glibc builds it. `glibc/compat.c` (compiled here with the system C
//!   compiler) binds the few functions that Rust's std refers to at newer
//!   symbol versions to their old versions, through `-Wl,--wrap`; its comment
//!   says which and why. `make prebuild` and `make check-glibc` check that no
//!   reference newer than GLIBC_2.28 is left.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The functions `glibc/compat.c` wraps: each has a `__wrap_` definition there.
const GLIBC_WRAPPED: [&str; 15] = [
    "log",
    "gettid",
    "stat64",
    "fstat64",
    "pthread_key_create",
    "pthread_key_delete",
    "pthread_setspecific",
    "pthread_create",
    "pthread_detach",
    "pthread_attr_setstacksize",
    "pthread_attr_getstack",
    "pthread_attr_getguardsize",
    "pthread_getattr_np",
    "pthread_setname_np",
    "dlsym",
];

fn cfg(key: &str) -> String {
    env::var(format!("CARGO_CFG_{key}")).unwrap_or_default()
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    // ELF systems only: unix, except Apple's (Mach-O has install names instead).
    if !cfg("TARGET_FAMILY").split(',').any(|f| f == "unix") || cfg("TARGET_VENDOR") == "apple" {
        return;
    }
    soname();
    if cfg("TARGET_ARCH") == "x86_64" && cfg("TARGET_OS") == "linux" && cfg("TARGET_ENV") == "gnu" {
        glibc_compat();
    }
}

fn soname() {
    let major = env::var("CARGO_PKG_VERSION_MAJOR").expect("cargo sets CARGO_PKG_VERSION_MAJOR");
    let minor = env::var("CARGO_PKG_VERSION_MINOR").expect("cargo sets CARGO_PKG_VERSION_MINOR");
    let name = env::var("CARGO_PKG_NAME").expect("cargo sets CARGO_PKG_NAME");
    let soname = if major == "0" {
        format!("lib{name}.so.{major}.{minor}")
    } else {
        format!("lib{name}.so.{major}")
    };
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,{soname}");
    // Never unloaded by dlclose(): a thread that exits later runs the
    // library's pthread_key destructor (rust/src/thread_owned.rs), which must
    // still be mapped then.
    println!("cargo:rustc-cdylib-link-arg=-Wl,-z,nodelete");
}

/// The C compiler for the target and its leading arguments: `CC_<target>`,
/// `TARGET_CC` or `CC` (the `cc` crate's order; `ccache gcc` is split on
/// whitespace), else `cc`, which rustc links with too.
fn c_compiler() -> Vec<String> {
    let target = env::var("TARGET")
        .expect("cargo sets TARGET")
        .replace('-', "_");
    for var in [
        format!("CC_{target}"),
        "TARGET_CC".to_string(),
        "CC".to_string(),
    ] {
        println!("cargo:rerun-if-env-changed={var}");
        if let Ok(cc) = env::var(&var) {
            let words: Vec<String> = cc.split_whitespace().map(String::from).collect();
            if !words.is_empty() {
                return words;
            }
        }
    }
    vec!["cc".to_string()]
}

/// Compiles `glibc/compat.c` into OUT_DIR and links it, with the `--wrap`
/// options, into everything cargo links from this package: the cdylib and the
/// test binaries (so `cargo test` runs std through the shims too). The
/// staticlib and rlib get neither: whoever links them links against their own
/// glibc.
fn glibc_compat() {
    let source = Path::new("glibc").join("compat.c");
    println!("cargo:rerun-if-changed={}", source.display());
    let object =
        PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("glibc_compat.o");
    let cc = c_compiler();
    let output = Command::new(&cc[0])
        .args(&cc[1..])
        .args([
            "-std=c11",
            "-O2",
            "-fPIC",
            "-Wall",
            "-Wextra",
            "-pedantic",
            "-c",
        ])
        .arg(&source)
        .arg("-o")
        .arg(&object)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "could not run the C compiler `{}` for {}: {e}",
                cc[0],
                source.display()
            )
        });
    let messages = String::from_utf8_lossy(&output.stderr);
    for line in messages.lines() {
        println!("cargo:warning={line}");
    }
    if !output.status.success() {
        panic!(
            "`{}` failed to compile {} ({}): its messages are above",
            cc.join(" "),
            source.display(),
            output.status
        );
    }
    println!("cargo:rustc-link-arg={}", object.display());
    for name in GLIBC_WRAPPED {
        println!("cargo:rustc-link-arg=-Wl,--wrap={name}");
    }
    // pthread_* were in libpthread.so.0, dlsym in libdl.so.2, before glibc
    // 2.34: they must be loaded there, also in a program that does not link
    // them itself.
    println!("cargo:rustc-link-arg=-Wl,--push-state,--no-as-needed,-l:libpthread.so.0,-l:libdl.so.2,--pop-state");
}
