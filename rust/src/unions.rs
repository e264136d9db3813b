//! Unions: the same bytes seen as two types.
//!
//! [`IntOrFloat`] is an untagged C union: nothing records which member was
//! written, and reading the other one is the point (it shows a float's
//! IEEE-754 bit pattern). Both members are four bytes and every bit pattern
//! is valid for both, so reading either member is always sound.
//!
//! [`Either`] is a tagged union: a tag that says which member of the union
//! is valid, like Rust's `Result`. [`parse_number`] returns one.

use std::ffi::c_char;

use crate::boundary::{c_str_utf8, guard, guard_status, write_out, ErrorOut, PanicFallback};
use crate::error::{fail, null_argument, quote, Failure, FfiError};
use crate::status::FfiStatus;

/// An untagged union of an `int32_t` and a `float` sharing the same four
/// bytes. Writing `as_float` and reading `as_int` gives the float's IEEE-754
/// bit pattern (and the other way round). Every bit pattern is valid for
/// both members. A plain value: passed by value, nothing to free.
#[repr(C)]
#[derive(Clone, Copy)]
pub union IntOrFloat {
    /// The four bytes as a two's-complement integer.
    pub as_int: i32,
    /// The four bytes as an IEEE-754 single-precision float.
    pub as_float: f32,
}

impl IntOrFloat {
    /// A union whose `as_float` member is `value`.
    pub fn from_float(value: f32) -> Self {
        IntOrFloat { as_float: value }
    }

    /// A union whose `as_int` member is `value`.
    pub fn from_int(value: i32) -> Self {
        IntOrFloat { as_int: value }
    }

    /// The four bytes read as a float.
    pub fn float(self) -> f32 {
        // SAFETY: both members are 4-byte plain numbers that cover the whole
        // union, and every bit pattern is a valid f32.
        unsafe { self.as_float }
    }

    /// The four bytes read as an integer (the float's bit pattern).
    pub fn int(self) -> i32 {
        // SAFETY: as in `float`: every bit pattern is a valid i32.
        unsafe { self.as_int }
    }
}

impl std::fmt::Debug for IntOrFloat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IntOrFloat({:#010x})", self.int())
    }
}

impl PanicFallback for IntOrFloat {
    fn panic_fallback() -> Self {
        IntOrFloat { as_int: 0 }
    }
}

/// Returns a union whose `as_float` member is `value`; read its `as_int`
/// member to see the bit pattern (`1.0f` gives `0x3f800000`).
///
/// The float is stored as is: NaN payloads and the sign of zero are kept.
/// By value. No pointers: nothing to own, borrow or free, and no NULL case.
/// Cannot fail. Thread-safe.
#[no_mangle]
pub extern "C" fn int_or_float_from_float(value: f32) -> IntOrFloat {
    guard(|| IntOrFloat::from_float(value))
}

/// Returns the `as_float` member of `value`, whichever member was written:
/// `int_or_float_as_float((IntOrFloat){ .as_int = 0x3f800000 })` is `1.0f`.
///
/// By value. No pointers: nothing to own, borrow or free, and no NULL case.
/// Cannot fail (returns NaN on an internal panic). Thread-safe.
#[no_mangle]
pub extern "C" fn int_or_float_as_float(value: IntOrFloat) -> f32 {
    guard(|| value.float())
}

/// Returns the `as_int` member of `value`, whichever member was written:
/// the IEEE-754 bit pattern of a float, as a signed 32-bit integer
/// (`-1.0f` gives `(int32_t)0xbf800000`).
///
/// By value. No pointers: nothing to own, borrow or free, and no NULL case.
/// Cannot fail (returns 0 on an internal panic). Thread-safe.
#[no_mangle]
pub extern "C" fn int_or_float_as_int(value: IntOrFloat) -> i32 {
    guard(|| value.int())
}

/// `Either.tag` when `value.left` (an `int32_t`) is valid.
pub const EITHER_LEFT: u32 = 0;

/// `Either.tag` when `value.right` (a `float`) is valid.
pub const EITHER_RIGHT: u32 = 1;

/// The payload of an `Either`: which member is valid is in its `tag`.
#[repr(C)]
#[derive(Clone, Copy)]
pub union EitherValue {
    /// Valid when the tag is `EITHER_LEFT`.
    pub left: i32,
    /// Valid when the tag is `EITHER_RIGHT`.
    pub right: f32,
}

/// A tagged union, like Rust's `Result<i32, f32>` spelled out for C: `tag`
/// says which member of `value` holds the data. Written by parse_number();
/// read `value.left` only when `tag == EITHER_LEFT` and `value.right` only
/// when `tag == EITHER_RIGHT`. The tag is a fixed-width integer rather than
/// a C enum, so its size is the same for every compiler, and any value read
/// back is at worst an unknown tag, never undefined behaviour.
/// A plain value: nothing to free.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Either {
    /// EITHER_LEFT or EITHER_RIGHT: which member of `value` is valid.
    pub tag: u32,
    /// The data.
    pub value: EitherValue,
}

impl Either {
    /// `Left(value)`: an integer.
    pub fn left(value: i32) -> Self {
        Either {
            tag: EITHER_LEFT,
            value: EitherValue { left: value },
        }
    }

    /// `Right(value)`: a float.
    pub fn right(value: f32) -> Self {
        Either {
            tag: EITHER_RIGHT,
            value: EitherValue { right: value },
        }
    }

    /// The content as a Rust `Result` (`Ok` for Left, `Err` for Right), or
    /// `None` for an unknown tag.
    pub fn into_result(self) -> Option<Result<i32, f32>> {
        match self.tag {
            // SAFETY: both members are 4-byte plain numbers covering the whole
            // union, and any bit pattern is valid for each: reading the one
            // the tag names is always sound.
            EITHER_LEFT => Some(Ok(unsafe { self.value.left })),
            // SAFETY: as above, for `right`.
            EITHER_RIGHT => Some(Err(unsafe { self.value.right })),
            _ => None,
        }
    }
}

impl std::fmt::Debug for Either {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.into_result() {
            Some(Ok(i)) => write!(f, "Left({i})"),
            Some(Err(x)) => write!(f, "Right({x:?})"),
            None => write!(f, "Either {{ tag: {} }}", self.tag),
        }
    }
}

/// Where `text` leaves the number grammar, as a reason; `None` if it
/// follows it. The grammar is Rust's for finite decimals: an optional sign,
/// digits with at most one `.` (at least one digit in all), and an optional
/// exponent (`e` or `E`, an optional sign, at least one digit).
fn syntax_error(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let digits_from = |mut i: usize| {
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        i
    };
    // Only ASCII bytes are skipped, so `at` is always on a character boundary.
    // Nothing is formatted when no one will read the reason.
    let wanted = crate::error::reasons_wanted();
    let unexpected = |at: usize| match text[at..].chars().next() {
        _ if !wanted => String::new(),
        Some(ch) => format!(
            "{} is not a number: unexpected {ch:?} at byte {at}",
            quote(text)
        ),
        None => format!(
            "{} is not a number: expected a digit at byte {at}, found the end of the text",
            quote(text)
        ),
    };
    if text.is_empty() {
        return Some(if wanted {
            "\"\" is not a number: the text is empty".to_owned()
        } else {
            String::new()
        });
    }
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    if ["nan", "inf", "infinity"]
        .iter()
        .any(|w| unsigned.eq_ignore_ascii_case(w))
    {
        return Some(if wanted {
            format!(
                "{} is not a finite number: NaN and infinities are refused",
                quote(text)
            )
        } else {
            String::new()
        });
    }
    let mut i = text.len() - unsigned.len();
    let int_end = digits_from(i);
    let mut digits = int_end - i;
    i = int_end;
    if bytes.get(i) == Some(&b'.') {
        let frac_end = digits_from(i + 1);
        digits += frac_end - (i + 1);
        i = frac_end;
    }
    if digits == 0 {
        return Some(unexpected(i));
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp_end = digits_from(i);
        if exp_end == i {
            return Some(unexpected(i));
        }
        i = exp_end;
    }
    (i < bytes.len()).then(|| unexpected(i))
}

/// The safe core of [`parse_number`].
///
/// - An optional sign and ASCII digits only (`"42"`, `"+1"`, `"-7"`, `"007"`)
///   is an integer: `Left` if it fits in `i32`, otherwise
///   [`FfiStatus::InvalidArgument`] ("out of range for int32"; never silently
///   turned into a float).
/// - Any other text Rust's `f32` parser accepts as a *finite* number
///   (`"4.5"`, `"-0.5"`, `".5"`, `"1e3"`, `"1E-3"`) is `Right`, rounded to
///   the nearest `f32`. Text that names or rounds to a non-finite value
///   (`"nan"`, `"inf"`, `"1e39"`) is [`FfiStatus::InvalidArgument`].
/// - Everything else is [`FfiStatus::InvalidArgument`], with the position
///   of the first character that does not fit: the empty string, whitespace
///   anywhere (no trimming: `" 42"` is invalid), `"0x10"`, `"1_000"`,
///   `"4.5f"`.
pub fn parse_number_str(text: &str) -> Result<Either, Failure> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse::<i32>().map(Either::left).map_err(|_| {
            fail!(
                InvalidArgument,
                "{} is out of range for int32 (-2147483648 to 2147483647)",
                quote(text)
            )
        });
    }
    // Rust's float grammar is the one `syntax_error` checks, apart from the
    // names of NaN and the infinities, which parse to non-finite values: so
    // a finite result needs no further check, and the grammar is walked only
    // to explain a failure.
    match text.parse::<f32>() {
        Ok(x) if x.is_finite() => Ok(Either::right(x)),
        parsed => Err(not_a_float(text, parsed)),
    }
}

/// Why `text` (not an integer) is not a finite `f32`: `parsed` is what
/// Rust's parser made of it. Out of line: the success path never needs it.
#[cold]
#[inline(never)]
fn not_a_float(text: &str, parsed: Result<f32, std::num::ParseFloatError>) -> Failure {
    if let Some(reason) = syntax_error(text) {
        return Failure::new(FfiStatus::InvalidArgument, reason);
    }
    match parsed {
        Ok(_) => fail!(
            InvalidArgument,
            "{} is out of range for float (its magnitude is above {:e})",
            quote(text),
            f32::MAX
        ),
        // The grammar is Rust's, so this is not expected to happen.
        Err(e) => fail!(InvalidArgument, "{} is not a number: {e}", quote(text)),
    }
}

/// Parses `text` as a number and stores it in `*out` as a tagged union:
/// `"42"` gives `{EITHER_LEFT, .left = 42}`, `"4.5"` gives
/// `{EITHER_RIGHT, .right = 4.5f}`.
///
/// The rules: an optional `+`/`-` followed by ASCII digits only is an
/// integer, and must fit in `int32_t` (`"2147483648"` is
/// FFI_STATUS_INVALID_ARGUMENT, not a float). Any other finite decimal
/// number (`"4.5"`, `".5"`, `"-1e3"`) is a float, rounded to the nearest
/// `float`; `"nan"`, `"inf"` and values too large for a `float` (`"1e39"`)
/// are refused. No whitespace is allowed anywhere (`" 42"` is refused), and
/// there is no hexadecimal, no `_` separator, no suffix.
///
/// Returns FFI_STATUS_OK; FFI_STATUS_INVALID_ARGUMENT for text that is not
/// such a number, with the text (quoted, cut after 40 characters) and why:
/// `"4 2" is not a number: unexpected ' ' at byte 1`, `"2147483648" is out
/// of range for int32 (...)`, `"1e39" is out of range for float (...)`;
/// FFI_STATUS_INVALID_UTF8 if `text` is not UTF-8 (with the byte offset of
/// the first invalid byte); FFI_STATUS_NULL_ARGUMENT if `text` or `out` is
/// NULL. `*out` is written only on success. Everything is borrowed for the
/// call; `error` is NULL or receives the status and reason of a failure.
/// Thread-safe.
///
/// # Safety
/// `text` is NULL or a NUL-terminated string; `out` is NULL or valid for
/// writing one `Either`; `error` is NULL or a live FfiError used by no other
/// call at the same time.
#[no_mangle]
pub unsafe extern "C" fn parse_number(
    text: *const c_char,
    out: *mut Either,
    error: *mut FfiError,
) -> FfiStatus {
    // SAFETY: the header's promise on `error`.
    let error = unsafe { ErrorOut::from_raw(error) };
    guard_status(error, || {
        if out.is_null() {
            return Err(null_argument!("out"));
        }
        // SAFETY: the header requires NULL or a valid NUL-terminated string.
        let text = unsafe { c_str_utf8(text, "text") }?;
        let parsed = parse_number_str(text)?;
        // SAFETY: `out` is non-NULL and, per the header, valid for one Either.
        unsafe { write_out(out, parsed, "out") }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::{align_of, offset_of, size_of};

    #[test]
    fn layouts_match_the_header() {
        assert_eq!(size_of::<IntOrFloat>(), 4);
        assert_eq!(align_of::<IntOrFloat>(), 4);
        assert_eq!(offset_of!(IntOrFloat, as_int), 0);
        assert_eq!(offset_of!(IntOrFloat, as_float), 0);

        assert_eq!(size_of::<EitherValue>(), 4);
        assert_eq!(offset_of!(EitherValue, left), 0);
        assert_eq!(offset_of!(EitherValue, right), 0);
        assert_eq!(size_of::<Either>(), 8);
        assert_eq!(align_of::<Either>(), 4);
        assert_eq!(offset_of!(Either, tag), 0);
        assert_eq!(offset_of!(Either, value), 4);
    }

    #[test]
    fn int_or_float_shows_bit_patterns() {
        assert_eq!(int_or_float_from_float(1.0).int(), 0x3f80_0000);
        assert_eq!(
            int_or_float_as_int(IntOrFloat::from_float(1.0)),
            0x3f80_0000
        );
        assert_eq!(
            int_or_float_as_int(IntOrFloat::from_float(-1.0)),
            0xbf80_0000_u32 as i32
        );
        assert_eq!(int_or_float_as_int(IntOrFloat::from_float(-0.0)), i32::MIN);
        assert_eq!(
            int_or_float_as_float(IntOrFloat::from_int(0x4049_0fdb)),
            std::f32::consts::PI
        );
        for x in [
            0.0f32,
            1.5,
            -2.25,
            f32::MIN_POSITIVE,
            f32::MAX,
            f32::INFINITY,
        ] {
            assert_eq!(
                int_or_float_as_int(int_or_float_from_float(x)),
                x.to_bits() as i32
            );
            assert_eq!(
                int_or_float_as_float(IntOrFloat::from_int(x.to_bits() as i32)),
                x
            );
        }
        // NaN payloads pass through untouched, quiet or signalling.
        for bits in [0x7fc0_0000u32, 0x7fc1_2345, 0xffc0_0001, 0x7f80_0001] {
            let x = int_or_float_as_float(IntOrFloat::from_int(bits as i32));
            assert_eq!(x.to_bits(), bits);
            assert_eq!(int_or_float_as_int(int_or_float_from_float(x)) as u32, bits);
        }
    }

    fn parse(s: &str) -> Result<Result<i32, f32>, FfiStatus> {
        parse_number_str(s)
            .map(|e| e.into_result().expect("a known tag"))
            .map_err(|f| f.status())
    }

    fn reason(s: &str) -> String {
        parse_number_str(s).unwrap_err().reason().to_owned()
    }
    #[test]
    fn parses_integers_and_floats() {
        assert_eq!(parse("42"), Ok(Ok(42)));
        assert_eq!(parse("-7"), Ok(Ok(-7)));
        assert_eq!(parse("+1"), Ok(Ok(1)));
        assert_eq!(parse("-0"), Ok(Ok(0)));
        assert_eq!(parse("007"), Ok(Ok(7)));
        assert_eq!(parse("2147483647"), Ok(Ok(i32::MAX)));
        assert_eq!(parse("-2147483648"), Ok(Ok(i32::MIN)));
        assert_eq!(parse("4.5"), Ok(Err(4.5)));
        assert_eq!(parse("-0.5"), Ok(Err(-0.5)));
        assert_eq!(parse(".5"), Ok(Err(0.5)));
        assert_eq!(parse("1e3"), Ok(Err(1000.0)));
        assert_eq!(parse("1."), Ok(Err(1.0)));
        assert_eq!(parse("0.1"), Ok(Err(0.1f32)));
        assert_eq!(parse("3.4028235e38"), Ok(Err(f32::MAX)));
    }

    #[test]
    fn refuses_everything_else() {
        for bad in [
            "",
            "+",
            "-",
            " 42",
            "42 ",
            "4 2",
            "2147483648",
            "-2147483649",
            "99999999999999999999",
            "nan",
            "NaN",
            "inf",
            "-infinity",
            "1e39",
            "0x10",
            "1_000",
            "4.5f",
            "abc",
            "١٢", // Arabic-Indic digits are not ASCII digits
        ] {
            assert_eq!(parse(bad), Err(FfiStatus::InvalidArgument), "{bad:?}");
        }
    }

    #[test]
    fn reasons_say_where_and_why() {
        for (text, why) in [
            ("", "\"\" is not a number: the text is empty"),
            ("4 2", r#""4 2" is not a number: unexpected ' ' at byte 1"#),
            (" 42", r#"" 42" is not a number: unexpected ' ' at byte 0"#),
            ("42 ", r#""42 " is not a number: unexpected ' ' at byte 2"#),
            (
                "+",
                r#""+" is not a number: expected a digit at byte 1, found the end of the text"#,
            ),
            (
                ".",
                r#""." is not a number: expected a digit at byte 1, found the end of the text"#,
            ),
            (
                "1e",
                r#""1e" is not a number: expected a digit at byte 2, found the end of the text"#,
            ),
            (
                "1e+x",
                r#""1e+x" is not a number: unexpected 'x' at byte 3"#,
            ),
            (
                "0x10",
                r#""0x10" is not a number: unexpected 'x' at byte 1"#,
            ),
            (
                "1_000",
                r#""1_000" is not a number: unexpected '_' at byte 1"#,
            ),
            (
                "4.5f",
                r#""4.5f" is not a number: unexpected 'f' at byte 3"#,
            ),
            (
                "1.2.3",
                r#""1.2.3" is not a number: unexpected '.' at byte 3"#,
            ),
            ("é1", r#""é1" is not a number: unexpected 'é' at byte 0"#),
            ("1é", r#""1é" is not a number: unexpected 'é' at byte 1"#),
            (
                "-nan",
                r#""-nan" is not a finite number: NaN and infinities are refused"#,
            ),
            (
                "Infinity",
                r#""Infinity" is not a finite number: NaN and infinities are refused"#,
            ),
            (
                "2147483648",
                r#""2147483648" is out of range for int32 (-2147483648 to 2147483647)"#,
            ),
            (
                "-2147483649",
                r#""-2147483649" is out of range for int32 (-2147483648 to 2147483647)"#,
            ),
            (
                "1e39",
                r#""1e39" is out of range for float (its magnitude is above 3.4028235e38)"#,
            ),
            (
                "a\tb",
                r#""a\tb" is not a number: unexpected 'a' at byte 0"#,
            ),
        ] {
            assert_eq!(reason(text), why, "{text:?}");
        }
        // Long input is cut in the reason, with its length.
        let long = format!("{}x", "1".repeat(99));
        assert_eq!(
            reason(&long),
            format!(
                "\"{}\"... (100 bytes) is not a number: unexpected 'x' at byte 99",
                "1".repeat(40)
            )
        );
    }

    #[test]
    fn export_checks_pointers_and_utf8() {
        let mut out = Either::left(99);
        let e = crate::error::ffi_error_new();
        let reason = || crate::testing_support::message(e);
        // SAFETY: every pointer is NULL or valid for the call.
        unsafe {
            assert_eq!(parse_number(cs!("42"), &mut out, e), FfiStatus::Ok);
            assert_eq!(out.into_result(), Some(Ok(42)));
            assert_eq!(parse_number(cs!("4.5"), &mut out, e), FfiStatus::Ok);
            assert_eq!(out.into_result(), Some(Err(4.5)));
            assert_eq!(
                parse_number(cs!("x"), &mut out, std::ptr::null_mut()),
                FfiStatus::InvalidArgument
            );
            assert_eq!(
                parse_number(cs!("x"), &mut out, e),
                FfiStatus::InvalidArgument
            );
            assert_eq!(reason(), r#""x" is not a number: unexpected 'x' at byte 0"#);
            assert_eq!(out.into_result(), Some(Err(4.5)), "untouched on failure");
            assert_eq!(
                parse_number(b"4\xff\0".as_ptr().cast(), &mut out, e),
                FfiStatus::InvalidUtf8
            );
            assert_eq!(
                reason(),
                "text is not valid UTF-8: invalid byte sequence 0xff at byte offset 1"
            );
            assert_eq!(
                parse_number(std::ptr::null(), &mut out, e),
                FfiStatus::NullArgument
            );
            assert_eq!(reason(), "text is NULL");
            assert_eq!(
                parse_number(cs!("1"), std::ptr::null_mut(), e),
                FfiStatus::NullArgument
            );
            assert_eq!(reason(), "out is NULL");
            crate::error::ffi_error_free(e);
        }
    }
}
