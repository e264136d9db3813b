/**
 * The native mutations `make mutate-native` applies, one at a time: the kind
 * of slip a maintainer could make in the Rust checks that C and JS callers
 * rely on. Each names the file, the exact text replaced (it must occur once),
 * the replacement, why it matters, and the suites that must notice it
 * (`killedBy`: 'cargo', 'c', 'jest'). A mutation no suite can notice, because
 * it does not change behaviour, carries `equivalent` with the reason.
 */
'use strict';

const MUTATIONS = [
  {
    id: 'shape-tag-off-by-one',
    file: 'rust/src/enums.rs',
    find: 'if tag >= SHAPE_TAGS {',
    replace: 'if tag > SHAPE_TAGS {',
    why: 'tag 3 accepted as a shape (reads bytes as an invalid enum)',
    killedBy: ['c', 'jest'],
  },
  {
    id: 'length-zero-refused',
    file: 'rust/src/enums.rs',
    find: 'x.is_finite() && x >= 0.0',
    replace: 'x.is_finite() && x > 0.0',
    why: 'a zero dimension (documented as allowed) refused',
    killedBy: ['c', 'jest'],
  },
  {
    id: 'length-nan-accepted',
    file: 'rust/src/enums.rs',
    find: 'x.is_finite() && x >= 0.0',
    replace: '!x.is_infinite() && !(x < 0.0)',
    why: 'NaN accepted as a length',
    killedBy: ['c', 'jest'],
  },
  {
    id: 'triangle-flat-refused',
    file: 'rust/src/enums.rs',
    find: 'if x > (y + z) * (1.0 + TRIANGLE_SLACK) {',
    replace: 'if x >= (y + z) * (1.0 + TRIANGLE_SLACK) {',
    why: 'a flat triangle (documented as allowed, area 0) refused',
    killedBy: ['jest'],
  },
  {
    id: 'triangle-inequality-gone',
    file: 'rust/src/enums.rs',
    find: 'if x > (y + z) * (1.0 + TRIANGLE_SLACK) {',
    replace: 'if x > (y + z) * (1.0 + TRIANGLE_SLACK) * 4.0 {',
    why: 'an impossible triangle (1, 1, 5) accepted',
    killedBy: ['c', 'jest'],
  },
  {
    id: 'primes-limit-off-by-one',
    file: 'rust/src/slices.rs',
    find: 'if limit > PRIMES_UP_TO_MAX_LIMIT {',
    replace: 'if limit >= PRIMES_UP_TO_MAX_LIMIT {',
    why: 'PRIMES_UP_TO_MAX_LIMIT itself refused',
    killedBy: ['c', 'jest'],
  },
  {
    id: 'sum-even-parity',
    file: 'rust/src/slices.rs',
    find: 'let even = n & !((n & 1).wrapping_neg());',
    replace: 'let even = n & (n & 1).wrapping_neg();',
    why: 'sums the odd values instead of the even ones',
    killedBy: ['cargo', 'c', 'jest'],
  },
  {
    id: 'concat-buffer-exact-fit',
    file: 'rust/src/strings.rs',
    find: 'if total > buf_len {',
    replace: 'if total >= buf_len {',
    why: 'a buffer of exactly the needed size reported as too small',
    killedBy: ['c', 'jest'],
  },
  {
    id: 'concat-null-buffer',
    file: 'rust/src/strings.rs',
    find: 'if buf.is_null() && buf_len > 0 {',
    replace: 'if buf.is_null() && buf_len > 1 {',
    why: 'a NULL buffer with length 1 is written through',
    killedBy: ['c'],
  },
  {
    id: 'checked-add-wraps',
    file: 'rust/src/numbers.rs',
    find: 'a.checked_add(b).ok_or(FfiStatus::Overflow)',
    replace: 'Ok::<i32, FfiStatus>(a.wrapping_add(b))',
    why: 'add_in_rust_checked wraps instead of reporting OVERFLOW',
    killedBy: ['cargo', 'c', 'jest'],
  },
  {
    id: 'count-where-stop-ignored',
    file: 'rust/src/callbacks.rs',
    find: 'Verdict::Stop => return Err(count),',
    replace: 'Verdict::Stop => {}',
    why: 'a predicate asking to stop is called again',
    killedBy: ['cargo', 'c', 'jest'],
  },
  {
    id: 'string-free-uncounted',
    file: 'rust/src/strings.rs',
    find: 'LIVE_STRINGS.fetch_sub(1, Ordering::Relaxed);',
    replace: '',
    why: 'freeing a string is not counted (the leak tests read this counter)',
    killedBy: ['cargo', 'c', 'jest'],
  },
  {
    id: 'slice-null-check',
    file: 'rust/src/boundary.rs',
    find: 'if ptr.is_null() {\n        return Err(FfiStatus::NullArgument);\n    }\n    if len > isize::MAX as usize / std::mem::size_of::<T>().max(1) {\n        return Err(FfiStatus::InvalidArgument);\n    }\n    // SAFETY: non-NULL, and the caller',
    replace:
      'if len > isize::MAX as usize / std::mem::size_of::<T>().max(1) {\n        return Err(FfiStatus::InvalidArgument);\n    }\n    // SAFETY: non-NULL, and the caller',
    why: 'a NULL slice with a length is read (a crash from C)',
    killedBy: ['cargo', 'c', 'jest'],
  },
  {
    id: 'parse-empty-digits',
    file: 'rust/src/unions.rs',
    find: 'if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {',
    replace: 'if digits.bytes().all(|b| b.is_ascii_digit()) {',
    why: 'the empty-digits guard in parse_number removed',
    equivalent:
      '"", "+" and "-" then take the integer path, where i32::from_str refuses them with the same INVALID_ARGUMENT the float path gives',
  },
];

module.exports = { MUTATIONS };
