#!/usr/bin/env bash
# Run a command the way a machine with only Node.js, cargo and gcc would run
# it: the optional tools are hidden from PATH, and cargo's rustfmt and clippy
# are hidden too. `make test-bare` runs `make test` through it, so that the
# "SKIPPED" path of every optional check is exercised, in CI as well.
#
#   scripts/bare-path.sh make test
#   scripts/bare-path.sh --no-rust npm install ./ffi-deep-dive-0.2.0.tgz   # no cargo or rustc either
#
# Hidden by default: cbindgen, clang, valgrind, pkg-config, g++/c++ (and $CXX),
# hyperfine; HIDE="name glob ..." replaces that list. Each directory of PATH is
# mirrored into a temporary directory of symlinks, minus the hidden names.
#
# cargo finds its subcommands (cargo-fmt, cargo-clippy) in $CARGO_HOME/bin as
# well as on PATH, so CARGO_HOME is pointed at an empty temporary directory:
# `cargo fmt` and `cargo clippy` then fail as on a toolchain without those
# components. The crate uses std only, so cargo needs nothing from CARGO_HOME.
set -euo pipefail
hide=${HIDE:-"cbindgen clang clang-* clang++* valgrind* vgdb pkg-config *-pkg-config pkgconf g++ g++-* c++ x86_64-linux-gnu-g++* ${CXX:-} hyperfine"}
hide="$hide cargo-fmt cargo-clippy rustfmt clippy-driver"
if [ "${1:-}" = "--no-rust" ]; then
  hide="$hide cargo cargo-* rustc rustc-* rustup rustdoc rust-gdb* rust-lldb"
  shift
fi
[ $# -gt 0 ] || { echo "usage: scripts/bare-path.sh [--no-rust] COMMAND [ARGS...]" >&2; exit 2; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/bare-path.XXXXXX")
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/bin" "$dir/cargo-home"
IFS=: read -ra dirs <<<"$PATH"
declare -A seen=()
for d in "${dirs[@]}"; do
  [ -d "$d" ] || continue
  keep=()
  for f in "$d"/*; do
    n=${f##*/}
    [ -z "${seen[$n]:-}" ] && [ -x "$f" ] || continue
    seen[$n]=1
    skip=0
    # shellcheck disable=SC2254 # the patterns are globs on purpose
    for pat in $hide; do case "$n" in $pat) skip=1 && break ;; esac; done
    [ $skip = 1 ] || keep+=("$f")
  done
  # One ln per directory: the first directory on PATH with a name wins, as in a PATH lookup.
  [ ${#keep[@]} = 0 ] || ln -s -t "$dir/bin" "${keep[@]}"
done
echo "bare-path: hidden from PATH: $hide (CARGO_HOME=$dir/cargo-home)" >&2
# Not exec: the trap removes the directory when the command ends.
PATH="$dir/bin" CARGO_HOME="$dir/cargo-home" "$@"
