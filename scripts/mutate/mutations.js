/**
 * The native mutations `make mutate-native` applies, one at a time: the kind
 * of slip a maintainer could make in the Rust checks that C and JS callers
 * rely on. Each names the file, the exact text replaced (it must occur once),
 * the replacement, why it matters, and the suites that must notice it
 * (`killedBy`: 'cargo', 'c', 'jest'). A mutation no suite can notice, because
 * it does not change behaviour, carries `equivalent` with the reason. `jest`
 * names the test files run first (the likeliest to notice, so a killed mutant
 * costs seconds); if they pass, the whole jest suite runs.
 */
'use strict';

const MUTATIONS = [
  {
    id: 'shape-tag-off-by-one',
    jest: ['test/enums', 'test/error'],
    file: 'rust/src/enums.rs',
    find: 'if tag >= SHAPE_TAGS {',
    replace: 'if tag > SHAPE_TAGS {',
    why: 'tag 3 accepted as a shape (reads bytes as an invalid enum)',
    killedBy: ['c', 'jest'],
  },
  {
    id: 'length-zero-refused',
    jest: ['test/enums', 'test/badinput'],
    file: 'rust/src/enums.rs',
    find: 'x.is_finite() && x >= 0.0',
    replace: 'x.is_finite() && x > 0.0',
    why: 'a zero dimension (documented as allowed) refused',
    killedBy: ['c', 'jest'],
  },
  {
    id: 'length-nan-accepted',
    jest: ['test/enums', 'test/badinput'],
    file: 'rust/src/enums.rs',
    find: 'x.is_finite() && x >= 0.0',
    replace: '!x.is_infinite() && !(x < 0.0)',
    why: 'NaN accepted as a length',
    killedBy: ['c', 'jest'],
  },
  {
    id: 'triangle-flat-refused',
    jest: ['test/enums', 'test/badinput'],
    file: 'rust/src/enums.rs',
    find: 'if x > (y + z) * (1.0 + TRIANGLE_SLACK) {',
    replace: 'if x >= (y + z) * (1.0 + TRIANGLE_SLACK) {',
    why: 'a flat triangle (documented as allowed, area 0) refused',
    killedBy: ['jest'],
  },
  {
    id: 'triangle-inequality-gone',
    jest: ['test/enums', 'test/badinput'],
    file: 'rust/src/enums.rs',
    find: 'if x > (y + z) * (1.0 + TRIANGLE_SLACK) {',
    replace: 'if x > (y + z) * (1.0 + TRIANGLE_SLACK) * 4.0 {',
    why: 'an impossible triangle (1, 1, 5) accepted',
    killedBy: ['c', 'jest'],
  },
  {
    id: 'primes-limit-off-by-one',
    jest: ['test/slices', 'test/badinput'],
    file: 'rust/src/slices.rs',
    find: 'if limit > PRIMES_UP_TO_MAX_LIMIT {',
    replace: 'if limit >= PRIMES_UP_TO_MAX_LIMIT {',
    why: 'PRIMES_UP_TO_MAX_LIMIT itself refused',
    // Not C: sieving up to 2^30 takes seconds and 208 MiB, and the C tests also
    // run under valgrind; jest's bad-input table calls it once.
    killedBy: ['jest'],
  },
  {
    id: 'sum-even-parity',
    jest: ['test/slices'],
    file: 'rust/src/slices.rs',
    find: 'let even = n & !((n & 1).wrapping_neg());',
    replace: 'let even = n & (n & 1).wrapping_neg();',
    why: 'sums the odd values instead of the even ones',
    killedBy: ['cargo', 'c', 'jest'],
  },
  {
    id: 'concat-buffer-exact-fit',
    jest: ['test/strings', 'test/error'],
    file: 'rust/src/strings.rs',
    find: '        }\n        if total > buf_len {\n            if buf_len > 0 {\n                // SAFETY: `buf` is non-NULL (checked above)',
    replace:
      '        }\n        if total >= buf_len {\n            if buf_len > 0 {\n                // SAFETY: `buf` is non-NULL (checked above)',
    why: 'a buffer of exactly the needed size reported as too small',
    // Not jest: the public concatStrings uses concat_strings_utf16_into; this
    // UTF-8 export is reached from JS only through the raw layer.
    killedBy: ['cargo', 'c'],
  },
  {
    id: 'concat-null-buffer',
    jest: ['test/strings', 'test/header-statuses'],
    file: 'rust/src/strings.rs',
    find: 'if buf.is_null() && buf_len > 0 {',
    replace: 'if buf.is_null() && buf_len > 1 {',
    why: 'a NULL buffer with length 1 is written through',
    killedBy: ['c'],
  },
  {
    id: 'checked-add-wraps',
    jest: ['test/numbers'],
    file: 'rust/src/numbers.rs',
    find: 'a.checked_add(b).ok_or_else(|| {',
    replace: 'Some(a.wrapping_add(b)).ok_or_else(|| {',
    why: 'add_in_rust_checked wraps instead of reporting OVERFLOW',
    killedBy: ['cargo', 'c', 'jest'],
  },
  {
    id: 'count-where-stop-ignored',
    jest: ['test/callbacks'],
    file: 'rust/src/callbacks.rs',
    find: '            _ => Verdict::Stop,',
    replace: '            _ => Verdict::NoMatch,',
    why: 'a predicate asking to stop (a negative answer) is called again',
    killedBy: ['cargo', 'c', 'jest'],
  },
  {
    id: 'string-free-uncounted',
    jest: ['test/strings', 'test/badinput'],
    file: 'rust/src/strings.rs',
    find: 'LIVE_STRINGS.fetch_sub(1, Ordering::Relaxed);',
    replace: '',
    why: 'freeing a string is not counted (the leak tests read this counter)',
    killedBy: ['cargo', 'c', 'jest'],
  },
  {
    id: 'slice-null-check',
    jest: ['test/conformance'],
    file: 'rust/src/boundary.rs',
    find: '    if null {\n        return Err(fail!(\n            NullArgument,',
    replace: '    if null && len > usize::MAX / 2 {\n        return Err(fail!(\n            NullArgument,',
    why: 'a NULL array with a length is read (a crash from C)',
    killedBy: ['cargo', 'c', 'jest'],
  },
  {
    id: 'error-not-recorded',
    jest: ['test/error'],
    file: 'rust/src/boundary.rs',
    find: '        guard(|| error.record(&failure));',
    replace: '',
    why: "a failure returns its status but leaves the caller's FfiError without the reason",
    killedBy: ['cargo', 'c', 'jest'],
  },
  {
    id: 'parse-empty-reason',
    jest: ['test/error', 'test/unions'],
    file: 'rust/src/unions.rs',
    find: '    if text.is_empty() {\n        return Some(',
    replace: '    if text.len() == usize::MAX {\n        return Some(',
    why: 'the empty text falls through to the int32 path: still INVALID_ARGUMENT, but with the wrong reason',
    killedBy: ['cargo', 'c', 'jest'],
  },
  {
    id: 'error-object-not-thread-owned',
    jest: ['test/lifetimes', 'test/hostile/class5'],
    file: 'rust/src/error.rs',
    find: 'unsafe { (*object).thread_owned = thread_owned::adopt(&THREAD_OWNED, object) };',
    replace: 'let _ = object;',
    why: "ffi_error_new_thread_owned gives an ordinary object: a terminated worker's error object is never freed",
    killedBy: ['cargo', 'c', 'jest'],
  },
  {
    id: 'thread-owned-freed-twice',
    jest: ['test/lifetimes'],
    file: 'rust/src/thread_owned.rs',
    find: '        .try_with(|owned| owned.remove(boxed))\n        .unwrap_or(false)\n',
    replace: '        .try_with(|owned| owned.remove(boxed))\n        .unwrap_or(false)\n        || true\n',
    why: "free() on another thread (or on an exiting one) frees a handle its owner's registry frees again",
    killedBy: ['cargo'],
  },
  {
    id: 'concat-length-plus-one',
    jest: ['test/strings'],
    file: 'rust/src/strings.rs',
    find: '            .checked_add(b.len())\n            .and_then(|n| n.checked_add(1))\n',
    replace: '            .checked_add(b.len() + 1)\n',
    why: 'the NUL byte added to the length before the sum instead of after',
    equivalent:
      'both strings are in memory, so each length is at most isize::MAX and neither b.len() + 1 nor the sum can overflow: the two forms give the same total',
  },
];

module.exports = { MUTATIONS };
