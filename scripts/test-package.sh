#!/usr/bin/env bash
# The package as a user gets it: `npm pack`, install the tarball into a fresh
# directory outside the repository (its install script builds the Rust
# library with cargo), then a plain script there requires and imports
# 'ffi-deep-dive' and calls every export (scripts/package-check/).
# Also checks the tarball's contents and each branch of scripts/install.js.
#
#   scripts/test-package.sh        (make test-package)
#   KEEP=1 scripts/test-package.sh keeps the temporary directory for a look
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
npm=${NPM:-npm}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ffi-deep-dive-package.XXXXXX")
cleanup() { if [ "${KEEP:-}" = 1 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi; }
trap cleanup EXIT
fail() { echo "test-package: FAIL: $*" >&2; exit 1; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# A user's environment: no library override, and npm's own output only.
unset FFI_DEEP_DIVE_LIB
export npm_config_update_notifier=false npm_config_audit=false npm_config_fund=false

# 1. Pack (prepack runs `make ts`, so dist/ is current).
cd "$repo"
tarball=$("$npm" pack --silent --pack-destination "$tmp" | tail -n 1)
tgz="$tmp/$tarball"
[ -f "$tgz" ] || fail "npm pack did not produce $tgz"
listing=$(tar tzf "$tgz")
files=$(grep -c -v '/$' <<<"$listing" || true)
size=$(wc -c <"$tgz")
for want in package/package.json package/README.md package/LICENSE package/dist/index.js package/dist/index.d.ts \
  package/dist/raw/index.js package/dist/raw/index.d.ts package/c/include/ffi_deep_dive.h \
  package/rust/Cargo.toml package/rust/Cargo.lock package/rust/src/lib.rs package/scripts/install.js; do
  grep -qx "$want" <<<"$listing" || fail "$tarball lacks $want"
done
if grep -E '^package/(rust/target|node_modules|test|build|docs|coverage|scripts/package-check)/' <<<"$listing" | head -n 3 | grep .; then
  fail "$tarball contains build output or development files (above)"
fi
# Every compiled module is there, with its declarations and the TS source its maps point at.
for ts in $(cd "$repo" && find ts -name '*.ts'); do
  base=${ts#ts/}
  base=${base%.ts}
  for want in "ts/$base.ts" "dist/$base.js" "dist/$base.d.ts" "dist/$base.js.map"; do
    grep -qx "package/$want" <<<"$listing" || fail "$tarball lacks $want"
  done
done
echo "tarball: $tarball, $size bytes, $files files"

# 2. Install it into a fresh project outside the repository, from the npm cache.
consumer="$tmp/consumer"
mkdir -p "$consumer"
cat >"$consumer/package.json" <<EOF
{
  "name": "ffi-deep-dive-consumer",
  "version": "1.0.0",
  "private": true,
  "allowScripts": { "file:$tgz": true }
}
EOF
for f in check.js check.mjs types.cts types.mts tsconfig.json; do cp "$repo/scripts/package-check/$f" "$consumer/"; done
cp "$repo/scripts/check-header-docs.js" "$consumer/"
cp -r "$repo/scripts/package-check/examples" "$consumer/"
cd "$consumer"
start=$(now)
"$npm" install --prefer-offline --no-audit --no-fund --loglevel=error "$tgz" >"$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log"; fail "npm install $tarball failed (log above)"; }
echo "install: npm install of the tarball (cargo build included) took $(secs "$start" "$(now)") s"
pkg="$consumer/node_modules/ffi-deep-dive"
lib=$(node -e 'console.log(require(process.argv[1]).builtLibrary())' "$pkg/scripts/install.js")
[ -f "$lib" ] || fail "the install script did not build $lib"

# 3. A plain script requires and imports the package and calls every export;
#    run from / to show nothing depends on the current directory. Then the
#    TypeScript declarations, for require and import users.
(cd / && node "$consumer/check.js") || fail "require('ffi-deep-dive') check failed"
(cd / && node "$consumer/check.mjs") || fail "import from 'ffi-deep-dive' check failed"
"$repo/node_modules/.bin/tsc" -p "$consumer/tsconfig.json" || fail "the package's types do not check (above)"
echo "types: a CommonJS and an ES module TypeScript file type-check against the installed package"

# 4. Each branch of the install script, on the installed copy.
install_js="$pkg/scripts/install.js"
expect() { # expect <exit code> <output pattern> <description> -- env assignments...
  local code=$1 pattern=$2 what=$3 out rc
  shift 4
  set +e
  out=$(env "$@" node "$install_js" 2>&1)
  rc=$?
  set -e
  [ "$rc" = "$code" ] || fail "install.js, $what: exit $rc, expected $code: $out"
  grep -q -- "$pattern" <<<"$out" || fail "install.js, $what: output '$out' lacks '$pattern'"
  [ "$(wc -l <<<"$out")" = 1 ] || fail "install.js, $what: expected one line, got: $out"
  echo "install.js, $what: $out"
}
expect 0 'already built' 'library present' --
expect 0 'using FFI_DEEP_DIVE_LIB' 'FFI_DEEP_DIVE_LIB set' -- FFI_DEEP_DIVE_LIB="$lib"
expect 1 'does not exist' 'FFI_DEEP_DIVE_LIB wrong' -- FFI_DEEP_DIVE_LIB="$tmp/missing.so"
mv "$lib" "$lib.aside"
expect 1 'cargo not found' 'no library, no cargo' -- CARGO="$tmp/no-such-cargo"
msg=$(cd "$consumer" && node -e "require('ffi-deep-dive')" 2>&1) && fail "require without a library did not throw"
grep -q 'scripts/install.js' <<<"$msg" || fail "require without a library does not say how to build it: $msg"
echo "require without a built library: throws, naming scripts/install.js"
mv "$lib.aside" "$lib"
(cd "$repo" && out=$(node scripts/install.js) && grep -q 'development checkout' <<<"$out") ||
  fail "install.js in the repository does not skip as a development checkout"
echo "install.js, development checkout: skips"

echo "test-package: passed in ${SECONDS} s"
