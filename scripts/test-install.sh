#!/usr/bin/env bash
# The C library as a C user gets it: `make install PREFIX=<temp dir>` (it
# installs what `make` built and does not build), then build the C demo
# against the installed copy only, twice, and run both:
#   dynamic: cc ... $(pkg-config --cflags --libs ffi_deep_dive) -Wl,-rpath,<libdir>
#   static:  cc ... $(pkg-config --cflags ffi_deep_dive) -Wl,-Bstatic -lffi_deep_dive -Wl,-Bdynamic \
#              -Wl,--as-needed $(pkg-config --static --libs ffi_deep_dive)
# Both outputs must equal that of build/demo (linked in the tree). Also checks
# the versioned file names, the SONAME links and Libs.private.
#
#   scripts/test-install.sh        (make test-install)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cc=${CC:-gcc}
make=${MAKE:-make}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ffi-deep-dive-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "test-install: FAIL: $*" >&2; exit 1; }
prefix="$tmp/prefix"

cd "$repo"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' rust/Cargo.toml | head -n 1)
IFS=. read -r major minor _ <<<"$version"
if [ "$major" = 0 ]; then soname="libffi_deep_dive.so.0.$minor"; else soname="libffi_deep_dive.so.$major"; fi

# `make install` does not build: its dry run runs no cargo, and a missing build output is an error.
if "$make" --no-print-directory -n install PREFIX="$prefix" | grep -E '(^|[ /])cargo ' >/dev/null; then
  fail "make install would run cargo"
fi
out=$("$make" --no-print-directory -s install PREFIX="$prefix" STATICLIB="$tmp/missing.a" 2>&1) &&
  fail "make install succeeded with a missing build output"
grep -q 'is missing: run `make` first' <<<"$out" || fail "make install with a missing build output says: $out"
[ ! -e "$prefix" ] || fail "make install wrote to $prefix before failing"

"$make" --no-print-directory -s install PREFIX="$prefix" >/dev/null
lib="$prefix/lib"
for f in "lib/libffi_deep_dive.so.$version" lib/libffi_deep_dive.a include/ffi_deep_dive.h lib/pkgconfig/ffi_deep_dive.pc; do
  [ -f "$prefix/$f" ] && [ ! -L "$prefix/$f" ] || fail "make install did not install the file $prefix/$f"
done
[ "$(readlink "$lib/$soname")" = "libffi_deep_dive.so.$version" ] || fail "$lib/$soname does not link to libffi_deep_dive.so.$version"
[ "$(readlink "$lib/libffi_deep_dive.so")" = "$soname" ] || fail "$lib/libffi_deep_dive.so does not link to $soname"
got=$(readelf -d "$lib/libffi_deep_dive.so.$version" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$got" = "$soname" ] || fail "the installed library's SONAME is '$got', not $soname"
echo "installed: libffi_deep_dive.so.$version (SONAME $soname) with links $soname and libffi_deep_dive.so, libffi_deep_dive.a, the header, ffi_deep_dive.pc"

export PKG_CONFIG_PATH="$lib/pkgconfig"
pcversion=$(pkg-config --modversion ffi_deep_dive) || fail "pkg-config does not find ffi_deep_dive in $PKG_CONFIG_PATH"
[ "$pcversion" = "$version" ] || fail "ffi_deep_dive.pc says version $pcversion, rust/Cargo.toml $version"
libdir=$(pkg-config --variable=libdir ffi_deep_dive)
flags=$(pkg-config --cflags --libs ffi_deep_dive)
static=$(pkg-config --static --libs ffi_deep_dive)
private=$(cat build/native-static-libs)
[ -n "$private" ] && grep -qF -- "$private" <<<"$static" || fail "pkg-config --static --libs ($static) lacks Libs.private ($private)"
echo "pkg-config: ffi_deep_dive $pcversion: $flags; --static adds: $private"

# No -Ic/include and no -Lrust/target: the header and the library come from the prefix.
cflags=(-std=c11 -Wall -Wextra -Werror -pedantic -O2)
# shellcheck disable=SC2086 # $flags and $static are lists of flags
"$cc" "${cflags[@]}" c/demo.c c/demo/*.c $flags -Wl,-rpath,"$libdir" -o "$tmp/demo-dynamic"
# shellcheck disable=SC2086
"$cc" "${cflags[@]}" c/demo.c c/demo/*.c $(pkg-config --cflags ffi_deep_dive) \
  -Wl,-Bstatic -lffi_deep_dive -Wl,-Bdynamic -Wl,--as-needed $static -o "$tmp/demo-static"
# shellcheck disable=SC2086
deps=$("$cc" -std=c11 -MM c/demo.c $flags 2>/dev/null | tr -s ' \\\n' '\n')
grep -qx "$prefix/include/ffi_deep_dive.h" <<<"$deps" || fail "the demo did not compile against the installed header"
resolved=$(ldd "$tmp/demo-dynamic" | awk '/libffi_deep_dive/ { print $1 " => " $3 }')
[ "$resolved" = "$soname => $libdir/$soname" ] || fail "the dynamic demo loads '$resolved', not $soname from $libdir"
if ldd "$tmp/demo-static" | grep -q libffi_deep_dive; then fail "the static demo still needs the shared library"; fi

"$repo/build/demo" >"$tmp/tree.out"
for kind in dynamic static; do
  "$tmp/demo-$kind" >"$tmp/$kind.out" || fail "the $kind demo built against the installed library failed"
  diff -u "$tmp/tree.out" "$tmp/$kind.out" || fail "the $kind demo's output differs from build/demo's (diff above)"
done
# The README's first C call, as printed there, against the installed library.
awk '/^### C$/ { c = 1 } c && /^```c$/ { p = 1; next } p && /^```$/ { exit } p' README.md >"$tmp/first-call.c"
[ -s "$tmp/first-call.c" ] || fail "no C example under README.md's '### C'"
# shellcheck disable=SC2086
"$cc" "${cflags[@]}" "$tmp/first-call.c" $flags -Wl,-rpath,"$libdir" -o "$tmp/first-call"
[ "$("$tmp/first-call")" = '5 Hello, Rustacean!' ] || fail "the README's C example prints '$("$tmp/first-call")'"
echo "test-install: the README's C example builds against the installed library and prints '5 Hello, Rustacean!'"

# make uninstall removes what make install put there, and the directories it created once they are empty
# (the temporary prefix included); a directory that existed before stays.
"$make" --no-print-directory -s uninstall PREFIX="$prefix" >/dev/null
[ ! -e "$prefix" ] || fail "make uninstall left: $(find "$prefix" | head -n 5 | tr '\n' ' ')"
[ -d "$tmp" ] || fail "make uninstall removed $tmp, which make install did not create"
mkdir -p "$prefix/lib"
"$make" --no-print-directory -s install PREFIX="$prefix" >/dev/null
"$make" --no-print-directory -s uninstall PREFIX="$prefix" >/dev/null
[ -d "$prefix/lib" ] && [ -z "$(ls -A "$prefix/lib")" ] && [ ! -e "$prefix/include" ] ||
  fail "make uninstall removed $prefix/lib, which existed before make install, or left $prefix/include"
echo "uninstall: every installed file and the directories make install created are gone; $prefix/lib, which existed, stays"
echo "test-install: the C demo links the installed library dynamically ($resolved) and statically" \
  "($(wc -c <"$tmp/demo-static") bytes, no libffi_deep_dive at run time); both print build/demo's $(wc -l <"$tmp/tree.out") lines"
