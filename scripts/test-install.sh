#!/usr/bin/env bash
# The C library as a C user gets it: `make install PREFIX=<temp dir>`, then
# build the C demo against the installed copy only, with
#   cc ... $(pkg-config --cflags --libs ffi_deep_dive) -Wl,-rpath,$(pkg-config --variable=libdir ffi_deep_dive)
# and run it. Its output must equal that of build/demo (linked in the tree).
#
#   scripts/test-install.sh        (make test-install)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cc=${CC:-gcc}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ffi-deep-dive-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "test-install: FAIL: $*" >&2; exit 1; }
prefix="$tmp/prefix"

cd "$repo"
make --no-print-directory -s install PREFIX="$prefix" >/dev/null
for f in lib/libffi_deep_dive.so include/ffi_deep_dive.h lib/pkgconfig/ffi_deep_dive.pc; do
  [ -f "$prefix/$f" ] || fail "make install did not install $prefix/$f"
done

export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
version=$(pkg-config --modversion ffi_deep_dive) || fail "pkg-config does not find ffi_deep_dive in $PKG_CONFIG_PATH"
want=$(sed -n 's/^version = "\(.*\)"/\1/p' rust/Cargo.toml | head -n 1)
[ "$version" = "$want" ] || fail "ffi_deep_dive.pc says version $version, rust/Cargo.toml $want"
libdir=$(pkg-config --variable=libdir ffi_deep_dive)
flags=$(pkg-config --cflags --libs ffi_deep_dive)
echo "pkg-config: ffi_deep_dive $version: $flags"

# No -Ic/include and no -Lrust/target: the header and the library come from the prefix.
# shellcheck disable=SC2086 # $flags is a list of flags
"$cc" -std=c11 -Wall -Wextra -Werror -pedantic -O2 c/demo.c c/demo/*.c $flags -Wl,-rpath,"$libdir" -o "$tmp/demo"
# shellcheck disable=SC2086
deps=$("$cc" -std=c11 -MM c/demo.c $flags 2>/dev/null | tr -s ' \\\n' '\n')
grep -qx "$prefix/include/ffi_deep_dive.h" <<<"$deps" || fail "the demo did not compile against the installed header"
resolved=$(ldd "$tmp/demo" | awk '/libffi_deep_dive/ { print $3 }')
[ "$resolved" = "$libdir/libffi_deep_dive.so" ] || fail "the demo loads '$resolved', not the installed $libdir/libffi_deep_dive.so"

"$tmp/demo" >"$tmp/installed.out" || fail "the demo built against the installed library failed"
"$repo/build/demo" >"$tmp/tree.out"
diff -u "$tmp/tree.out" "$tmp/installed.out" || fail "the installed demo's output differs from build/demo's (diff above)"
echo "test-install: make install PREFIX=... + pkg-config: the C demo builds, links $resolved and runs ($(wc -l <"$tmp/installed.out") lines, same as build/demo)"
