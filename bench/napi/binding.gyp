# The Node-API reference for `make bench`: a small C addon that calls the
# same Rust functions as the koffi binding, the way a hand-written N-API (or
# napi-rs) binding would. Built by scripts/bench/napi.js with node-gyp, only
# for the benchmark.
{
  "targets": [
    {
      "target_name": "ffi_bench_napi",
      "sources": ["addon.c"],
      "include_dirs": ["../../c/include"],
      "cflags": ["-std=c11", "-O2", "-Wall", "-Wextra"],
      "libraries": [
        "-L<(module_root_dir)/../../rust/target/release",
        "-lffi_deep_dive",
        "-Wl,-rpath,<(module_root_dir)/../../rust/target/release"
      ]
    }
  ]
}
