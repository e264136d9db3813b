//! Gives the shared library its SONAME on ELF systems, derived from the
//! package version in Cargo.toml the way cargo-c does: `libffi_deep_dive.so.0.2`
//! for 0.x versions (where a minor bump may break the ABI), `.so.1` from 1.0 on.
//! `make` adds the matching symlink next to cargo's output, and `make install`
//! installs `libffi_deep_dive.so.<version>` with the usual symlinks.

use std::env;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    // ELF systems only: unix, except Apple's (Mach-O has install names instead).
    let family = env::var("CARGO_CFG_TARGET_FAMILY").unwrap_or_default();
    let vendor = env::var("CARGO_CFG_TARGET_VENDOR").unwrap_or_default();
    if !family.split(',').any(|f| f == "unix") || vendor == "apple" {
        return;
    }
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
