#!/usr/bin/env bash
# The package as a user gets it:
# 1. `npm pack` (prepack adds the stripped prebuilt library, postpack removes
#    it), and the tarball's contents: prebuild, declarations free of koffi
#    imports, no install script, nothing from the development tree;
# 2. @arethetypeswrong/cli and publint on the tarball;
# 3. `npm install` of the tarball into a fresh directory outside the
#    repository on a PATH without cargo or rustc (scripts/bare-path.sh
#    --no-rust), then plain scripts there require and import 'ffi-deep-dive'
#    and call every export (scripts/package-check/);
# 4. a TypeScript consumer type-checks under moduleResolution node10, node16,
#    nodenext and bundler, strict, with skipLibCheck false;
# 5. the loader's rules in the installed copy: FFI_DEEP_DIVE_LIB, a broken or
#    missing prebuild (a message naming scripts/build.js, no falling through),
#    CARGO_TARGET_DIR ignored, and scripts/build.js building from source.
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
bin="$repo/node_modules/.bin"
platform=$(node -p 'process.platform + "-" + process.arch')
libfile=libffi_deep_dive.so

# A user's environment: no library override, and npm's own output only.
unset FFI_DEEP_DIVE_LIB
export npm_config_update_notifier=false npm_config_audit=false npm_config_fund=false

# 1. Pack, then look inside.
cd "$repo"
[ ! -e prebuilds ] || fail "prebuilds/ exists in the checkout before packing (it is made by prepack only: make clean-prebuilds)"
tarball=$("$npm" pack --silent --pack-destination "$tmp" | tail -n 1)
tgz="$tmp/$tarball"
[ -f "$tgz" ] || fail "npm pack did not produce $tgz"
[ ! -e prebuilds ] || fail "postpack left prebuilds/ in the checkout"
listing=$(tar tzf "$tgz")
files=$(grep -c -v '/$' <<<"$listing" || true)
size=$(wc -c <"$tgz")
for want in package/package.json package/README.md package/LICENSE package/dist/index.js package/dist/index.d.ts \
  package/dist/raw/index.js package/dist/raw/index.d.ts package/c/include/ffi_deep_dive.h \
  package/rust/Cargo.toml package/rust/Cargo.lock package/rust/build.rs package/rust/glibc/compat.c package/rust/src/lib.rs package/scripts/build.js \
  "package/prebuilds/$platform/$libfile"; do
  grep -qx "$want" <<<"$listing" || fail "$tarball lacks $want"
done
if grep -E '^package/(rust/target|node_modules|test|build|docs|coverage|scripts/package-check)/|^package/(Makefile|scripts/install\.js)$' <<<"$listing" | head -n 3 | grep .; then
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
mkdir "$tmp/unpacked"
tar xzf "$tgz" -C "$tmp/unpacked"
unpacked="$tmp/unpacked/package"
node -e '
  const s = require(process.argv[1]).scripts || {};
  const run = ["preinstall", "install", "postinstall"].filter((k) => k in s);
  if (run.length) { console.error("install scripts in the packed package.json: " + run.join(", ")); process.exit(1); }
' "$unpacked/package.json" || fail "the package must not run an install script (the prebuild needs none)"
if grep -rlE "from ['\"]koffi['\"]|import\(['\"]koffi['\"]\)|require\(['\"]koffi['\"]\)" --include='*.d.ts' "$unpacked/dist"; then
  fail "the declaration files above import koffi (its types break node16 consumers): use ts/raw/types.ts"
fi
prebuild="$unpacked/prebuilds/$platform/$libfile"
if readelf -S "$prebuild" | grep -q '\.symtab'; then fail "the prebuilt library is not stripped"; fi
glibc=$(objdump -T "$prebuild" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n 1)
grep -q "glibc $glibc" "$unpacked/README.md" || fail "the README does not state the prebuild's minimum glibc ($glibc)"
# The README's "about N kB" stays within 25% of the real size.
stated=$(sed -n 's/.*(about \([0-9]*\) kB: compiled.*/\1/p' "$unpacked/README.md" | head -n 1)
[ -n "$stated" ] || fail "the README does not state the tarball's size as '(about N kB: compiled'"
awk -v s="$stated" -v r="$size" 'BEGIN { exit !(r >= s * 1000 * 0.75 && r <= s * 1000 * 1.25) }' ||
  fail "the README says the tarball is about $stated kB; it is $((size / 1000)) kB: update README.md"
echo "tarball: $tarball, $size bytes, $files files; prebuilds/$platform/$libfile $(wc -c <"$prebuild") bytes, stripped, needs glibc >= $glibc"

# 2. The linters of npm packages, on the tarball.
"$bin/attw" --no-color --no-emoji --format table-flipped "$tgz" >"$tmp/attw.log" 2>&1 ||
  { cat "$tmp/attw.log"; fail "@arethetypeswrong/cli found problems (above)"; }
grep -q 'No problems found' "$tmp/attw.log" || { cat "$tmp/attw.log"; fail "attw did not say 'No problems found'"; }
echo "attw: no problems (node10, node16 from CJS and ESM, bundler; entry points . and ./raw)"
"$bin/publint" run "$tgz" --strict --level suggestion >"$tmp/publint.log" 2>&1 ||
  { cat "$tmp/publint.log"; fail "publint found problems (above)"; }
if grep -qE '^(Suggestions|Warnings|Errors):' "$tmp/publint.log"; then cat "$tmp/publint.log"; fail "publint reported the messages above"; fi
echo "publint: $(tail -n 1 "$tmp/publint.log")"

# 3. Install it into a fresh project outside the repository, without cargo.
consumer="$tmp/consumer"
mkdir -p "$consumer"
cat >"$consumer/package.json" <<EOF
{
  "name": "ffi-deep-dive-consumer",
  "version": "1.0.0",
  "private": true
}
EOF
for f in check.js check.mjs readme-example.js types.cts types.mts tsconfig.node10.json tsconfig.node16.json tsconfig.nodenext.json \
  tsconfig.bundler.json; do cp "$repo/scripts/package-check/$f" "$consumer/"; done
cp "$repo/scripts/check-header-docs.js" "$consumer/"
cp -r "$repo/scripts/package-check/examples" "$consumer/"
cd "$consumer"
norust() { "$repo/scripts/bare-path.sh" --no-rust "$@" 2>/dev/null; }
norust cargo --version >/dev/null 2>&1 && fail "scripts/bare-path.sh --no-rust still finds cargo"
start=$(now)
norust "$npm" install --prefer-offline --no-audit --no-fund "$tgz" >"$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log"; fail "npm install $tarball without cargo failed (log above)"; }
echo "install: npm install of the tarball on a PATH without cargo took $(secs "$start" "$(now)") s"
if grep -i 'install-scripts' "$tmp/install.log" | grep -q 'ffi-deep-dive'; then
  cat "$tmp/install.log"
  fail "npm names ffi-deep-dive among the packages with install scripts"
fi
pkg="$consumer/node_modules/ffi-deep-dive"

# A plain script requires and imports the package and calls every export; run
# from / to show nothing depends on the current directory; still without cargo.
(cd / && norust node "$consumer/check.js") || fail "require('ffi-deep-dive') check failed"
(cd / && norust node "$consumer/check.mjs") || fail "import from 'ffi-deep-dive' check failed"

# The README's first Node.js example, as printed there.
(cd "$consumer" && node readme-example.js) || fail "the README's Node.js example fails in the installed package (above)"

# 4. The declarations under every moduleResolution, strict, skipLibCheck false.
for resolution in node10 node16 nodenext bundler; do
  "$bin/tsc" -p "$consumer/tsconfig.$resolution.json" || fail "the package's types do not check under moduleResolution $resolution (above)"
done
echo "types: a consumer type-checks under moduleResolution node10, node16, nodenext and bundler (strict, skipLibCheck false)"

# 4b. The same with the oldest TypeScript the README supports ("TypeScript X.Y or newer"), installed into
# build/typescript-X.Y (not a dependency of the package). `module: preserve` is 5.4+: older versions check
# the bundler resolution with `module: esnext`.
ts_min=$(sed -n 's/.*TypeScript \([0-9][0-9.]*\) or newer.*/\1/p' "$unpacked/README.md" | head -n 1)
[ -n "$ts_min" ] || fail "the README does not state the oldest supported TypeScript as 'TypeScript X.Y or newer'"
tsdir="$repo/build/typescript-$ts_min"
if [ ! -x "$tsdir/node_modules/.bin/tsc" ]; then
  mkdir -p "$tsdir"
  echo '{ "private": true }' >"$tsdir/package.json"
  if ! (cd "$tsdir" && "$npm" install --prefer-offline --no-audit --no-fund --no-save "typescript@$ts_min" >"$tmp/ts-min.log" 2>&1); then
    cat "$tmp/ts-min.log"
    if [ "${CI:-}" = true ]; then fail "could not install typescript@$ts_min into $tsdir (above)"; fi
    echo "!!! SKIPPED: the type check with TypeScript $ts_min did NOT run: npm could not install typescript@$ts_min (offline?) !!!"
    tsdir=
  fi
fi
if [ -n "$tsdir" ]; then
  ts_version=$(node -p "require('$tsdir/node_modules/typescript/package.json').version")
  sed 's/"module": "preserve"/"module": "esnext"/' "$consumer/tsconfig.bundler.json" >"$consumer/tsconfig.bundler-esnext.json"
  for config in node10 node16 nodenext bundler-esnext; do
    "$tsdir/node_modules/.bin/tsc" -p "$consumer/tsconfig.$config.json" ||
      fail "the package's types do not check with TypeScript $ts_version (tsconfig.$config.json, above): the README says $ts_min or newer"
  done
  echo "types: the same with TypeScript $ts_version, the oldest the README supports (node10, node16, nodenext, bundler)"
fi

# 5. The loader's rules in the installed copy.
# expect_load_error <pattern> <what> -- env...: require throws, and its message matches pattern.
expect_load_error() {
  local pattern=$1 what=$2 out
  shift 3
  out=$(cd "$consumer" && env "$@" node -e "
    try { require('ffi-deep-dive'); } catch (err) { console.log(err.message); process.exit(1); }") &&
    fail "$what: require did not throw"
  grep -q -- "$pattern" <<<"$out" || fail "$what: the error '$out' lacks '$pattern'"
  echo "loader, $what: throws: $out"
}
loaded_from() { (cd "$consumer" && env "$@" node -p "require('ffi-deep-dive/raw').librarySource"); }
[ "$(loaded_from CARGO_TARGET_DIR="$tmp/elsewhere")" = prebuild ] ||
  fail "the installed package does not load its prebuild when CARGO_TARGET_DIR is set (it must ignore it)"
echo "loader, CARGO_TARGET_DIR set: ignored in an installed package, the prebuild loads"
[ "$(loaded_from FFI_DEEP_DIVE_LIB="$prebuild")" = FFI_DEEP_DIVE_LIB ] || fail "FFI_DEEP_DIVE_LIB is not used first"
echo "loader, FFI_DEEP_DIVE_LIB set: used first"
expect_load_error 'FFI_DEEP_DIVE_LIB points at a file that does not exist' 'FFI_DEEP_DIVE_LIB missing' -- \
  FFI_DEEP_DIVE_LIB="$tmp/missing.so"
expect_load_error 'could not load .*package.json (FFI_DEEP_DIVE_LIB)' 'FFI_DEEP_DIVE_LIB not a library' -- \
  FFI_DEEP_DIVE_LIB="$pkg/package.json"
installed_prebuild="$pkg/prebuilds/$platform/$libfile"
mv "$installed_prebuild" "$tmp/prebuild.aside"
echo 'not a shared library' >"$installed_prebuild"
expect_load_error "could not load .*(prebuild).*damaged or not built for this system.*node $pkg/scripts/build.js" \
  'broken prebuild' --
# The same on a system whose glibc is older than the prebuild needs (Node's report, stubbed to say 2.27).
echo "const r = process.report.getReport.bind(process.report);
process.report.getReport = () => { const x = r(); x.header.glibcVersionRuntime = '2.27'; return x; };" >"$tmp/old-glibc.js"
expect_load_error "(prebuild).*it needs glibc $glibc or newer; this system has 2.27.*scripts/build.js" 'prebuild on an old glibc' -- \
  NODE_OPTIONS="--require $tmp/old-glibc.js"
rm "$installed_prebuild"
expect_load_error "no prebuilt library for $platform. Build one from source with \`node $pkg/scripts/build.js\`" \
  'no prebuild for this platform' --
out=$(CARGO="$tmp/no-such-cargo" node "$pkg/scripts/build.js" 2>&1) && fail "build.js without cargo succeeded"
grep -q 'could not run .*install Rust' <<<"$out" || fail "build.js without cargo says: $out"
echo "build.js without cargo: fails, saying to install Rust"
start=$(now)
node "$pkg/scripts/build.js" >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; fail "scripts/build.js failed (log above)"; }
echo "build.js: built the library from source in the installed package in $(secs "$start" "$(now)") s"
(cd / && EXPECT_SOURCE=build node "$consumer/check.js") || fail "the package does not work with the library built from source"
mv "$tmp/prebuild.aside" "$installed_prebuild"
[ "$(loaded_from)" = 'source build' ] || fail "a library built from source must win over the prebuild"
echo "loader, library built from source and prebuild both present: the source build loads"
(cd "$repo" && out=$(node scripts/build.js) && grep -q 'development checkout' <<<"$out") ||
  fail "build.js in the repository does not defer to make"
echo "build.js, development checkout: defers to make"

echo "test-package: passed in ${SECONDS} s"
