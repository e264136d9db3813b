# The Node-API reference for `make bench`: a small C addon that calls the
# same Rust functions as the koffi binding, the way a hand-written N-API (or
# napi-rs) binding would. Built by scripts/bench/napi.js with node-gyp, only
# for the benchmark. The library's directory comes from FFI_BENCH_LIB_DIR
# (scripts/bench/napi.js sets it, following CARGO_TARGET_DIR).
{
  "variables": {
    "lib_dir": "<!(node -p \"process.env.FFI_BENCH_LIB_DIR || require('path').resolve('../../rust/target/release')\")"
  },
  "targets": [
    {
      "target_name": "ffi_bench_napi",
      "sources": ["addon.c"],
      "include_dirs": ["../../c/include"],
      "cflags": ["-std=c11", "-O2", "-Wall", "-Wextra"],
      "libraries": [
        "-L<(lib_dir)",
        "-lffi_deep_dive",
        "-Wl,-rpath,<(lib_dir)"
      ]
    }
  ]
}
