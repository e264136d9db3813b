#!/usr/bin/env bash
# make test-runtimes: the packed package under Node, Bun and Deno.
# 1. installs the pinned Bun and Deno from the npm registry into
#    build/runtimes/ (`@oven/bun-linux-x64` holds bin/bun, `@deno/linux-x64-glibc`
#    holds deno; not dependencies of the package; kept between runs, and
#    reinstalled when the pins below change);
# 2. `npm pack`, then `npm install` of the tarball into a fresh folder outside
#    the repository (as scripts/test-package.sh does), with these scripts and
#    the package examples (scripts/package-check/) copied there;
# 3. scripts/runtimes/harness.js there: the examples (CommonJS and ES
#    modules), the conformance pass compared across the three runtimes, the
#    load (10,000 async calls in flight, busy workers) and worker teardown.
#
# Without the npm registry (or on a platform the pinned builds do not cover)
# it is one named skip; under CI=true, a failure.
#
#   scripts/runtimes/run.sh                 (make test-runtimes)
#   KEEP=1 scripts/runtimes/run.sh          keeps the consumer folder for a look
#   RUNTIMES_DIR=dir scripts/runtimes/run.sh   installs Bun and Deno there instead of build/runtimes/
#   TEARDOWN_RUNS=10 CONTROL_RUNS=10 ...    more teardown runs per case (default 6 and 2)
#   scripts/runtimes/run.sh percall         instead of the tests: the cost of one call under each
#                                           runtime (percall.js, the README's table)
#   scripts/runtimes/run.sh teardown-runs --runs 10   instead of the tests: teardown-runs.js, every case
#                                           measured (crashes per runtime, variant and way of ending)
set -euo pipefail

# The pinned runtimes (`npm view @oven/bun-linux-x64 version`, `npm view @deno/linux-x64-glibc version`).
BUN_VERSION=1.4.5
DENO_VERSION=2.9.6

repo=$(cd "$(dirname "$0")/../.." && pwd)
npm=${NPM:-npm}
runtimes_dir=${RUNTIMES_DIR:-$repo/build/runtimes}
export npm_config_update_notifier=false npm_config_audit=false npm_config_fund=false
unset FFI_DEEP_DIVE_LIB

skip() {
  if [ "${CI:-}" = "true" ]; then
    echo "ERROR: the runtime tests (test-runtimes) must run in CI (CI=true): $1" >&2
    exit 1
  fi
  echo "!!! SKIPPED: the runtime tests under Bun and Deno (test-runtimes) did NOT run: $1 !!!"
  exit 0
}

platform=$(node -p 'process.platform + "-" + process.arch')
[ "$platform" = linux-x64 ] || skip "the pinned Bun and Deno builds are linux-x64 (glibc) only; this is $platform"

installed() { node -p "try { require('$runtimes_dir/node_modules/$1/package.json').version } catch { '' }"; }
bun="$runtimes_dir/node_modules/@oven/bun-linux-x64/bin/bun"
deno="$runtimes_dir/node_modules/@deno/linux-x64-glibc/deno"
if [ "$(installed @oven/bun-linux-x64)" != "$BUN_VERSION" ] || [ "$(installed @deno/linux-x64-glibc)" != "$DENO_VERSION" ] ||
  [ ! -x "$bun" ] || [ ! -x "$deno" ]; then
  timeout 60 "$npm" view "@oven/bun-linux-x64@$BUN_VERSION" version >/dev/null 2>&1 ||
    skip "the npm registry is not reachable ($npm view @oven/bun-linux-x64@$BUN_VERSION failed); Bun and Deno come from it"
  echo "runtimes: installing @oven/bun-linux-x64@$BUN_VERSION and @deno/linux-x64-glibc@$DENO_VERSION into build/runtimes/"
  rm -rf "$runtimes_dir"
  mkdir -p "$runtimes_dir"
  "$npm" install --prefix "$runtimes_dir" --no-save --no-package-lock --no-audit --no-fund \
    "@oven/bun-linux-x64@$BUN_VERSION" "@deno/linux-x64-glibc@$DENO_VERSION" >"$runtimes_dir/install.log" 2>&1 ||
    { cat "$runtimes_dir/install.log"; echo "test-runtimes: FAIL: installing Bun and Deno failed (log above)" >&2; exit 1; }
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ffi-deep-dive-runtimes.XXXXXX")
cleanup() { if [ "${KEEP:-}" = 1 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi; }
trap cleanup EXIT

cd "$repo"
[ ! -e prebuilds ] || { echo "test-runtimes: FAIL: prebuilds/ exists in the checkout before packing (make clean-prebuilds)" >&2; exit 1; }
tarball=$("$npm" pack --silent --pack-destination "$tmp" | tail -n 1)
[ -f "$tmp/$tarball" ] || { echo "test-runtimes: FAIL: npm pack did not produce $tmp/$tarball" >&2; exit 1; }

consumer="$tmp/consumer"
mkdir -p "$consumer"
# "type": "commonjs": Deno reads a .js file as CommonJS only when package.json says so.
cat >"$consumer/package.json" <<EOF
{
  "name": "ffi-deep-dive-runtimes",
  "version": "1.0.0",
  "private": true,
  "type": "commonjs"
}
EOF
if ! "$npm" install --prefer-offline --no-audit --no-fund --prefix "$consumer" "$tmp/$tarball" >"$tmp/install.log" 2>&1; then
  if ! timeout 60 "$npm" view koffi version >/dev/null 2>&1; then
    skip "the npm registry is not reachable (npm install of the tarball needs koffi from it)"
  fi
  cat "$tmp/install.log"
  echo "test-runtimes: FAIL: npm install of $tarball failed (log above)" >&2
  exit 1
fi
cp "$repo"/scripts/runtimes/*.js "$repo/scripts/package-check/check.js" "$repo/scripts/package-check/check.mjs" \
  "$repo/scripts/check-header-docs.js" "$consumer/"
cp -r "$repo/scripts/package-check/examples" "$consumer/"
echo "test-runtimes: $tarball installed into a fresh folder; Node $(node --version), Bun $BUN_VERSION, Deno $DENO_VERSION"

cd "$consumer"
export RUNTIME_BUN="$bun" RUNTIME_DENO="$deno"
case "${1:-}" in
  '') node harness.js ;;
  percall) node percall.js --all ;;
  teardown-runs) shift && node teardown-runs.js "$@" ;;
  *) echo "usage: scripts/runtimes/run.sh [percall | teardown-runs [options]]" >&2 && exit 2 ;;
esac
