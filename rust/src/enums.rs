//! Enums with data: a Rust enum whose variants carry fields crosses the
//! boundary as is, because RFC 2195 defines its layout.
//!
//! [`Shape`] is `#[repr(u32)]`, RFC 2195's "primitive representation": a C
//! union of one `#[repr(C)]` struct per variant, each starting with the
//! `uint32_t` tag. cbindgen generates exactly that (`Shape_Tag`, the
//! `Shape_*_Body` structs and `union Shape`), and every member has a name,
//! so TypeScript can mirror it with `koffi.union`/`koffi.struct`. (The
//! `#[repr(C)]` form of RFC 2195, a struct of the tag and a union, has the same
//! offsets for this enum, but cbindgen 0.24 emits its union anonymously.)
//!
//! A tag read from C memory is only a number until checked: [`read_shape`]
//! reads it as a `u32` and refuses an unknown value before the bytes are ever
//! read as a Rust `Shape` (an out-of-range discriminant would be undefined
//! behaviour).

use crate::boundary::{guard_status, write_out, ErrorOut};
use crate::error::{fail, null_argument, Failure, FfiError, Num};
use crate::status::FfiStatus;

/// A geometric shape: a tagged union with one struct per kind. In C, `tag`
/// (the first field of every member) says which member is valid:
/// SHAPE_CIRCLE → `CIRCLE`, SHAPE_RECTANGLE → `RECTANGLE`, SHAPE_TRIANGLE →
/// `TRIANGLE`. Set `tag` and the fields of that one member; any other tag
/// value is refused with FFI_STATUS_INVALID_ARGUMENT.
///
/// Dimensions are lengths: finite and >= 0 (zero is allowed and gives a
/// degenerate shape with area 0). A plain value owned by the caller.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shape {
    /// A circle of the given radius.
    Circle {
        /// The radius.
        radius: f64,
    },
    /// An axis-aligned rectangle.
    Rectangle {
        /// The width.
        width: f64,
        /// The height.
        height: f64,
    },
    /// A triangle given by the lengths of its three sides.
    Triangle {
        /// The first side.
        a: f64,
        /// The second side.
        b: f64,
        /// The third side.
        c: f64,
    },
}

/// The number of valid tags: `0..SHAPE_TAGS` (checked by a test).
const SHAPE_TAGS: u32 = 3;

/// Relative slack for the triangle inequality, so that rounding (e.g. in
/// [`Shape::scaled`]) cannot turn a valid, flat triangle into a refused one.
const TRIANGLE_SLACK: f64 = 4.0 * f64::EPSILON;

/// A length: finite and >= 0. The reason names the field and its value.
fn check_length(name: &str, x: f64) -> Result<(), Failure> {
    // NaN fails both tests.
    if x.is_finite() && x >= 0.0 {
        Ok(())
    } else {
        Err(fail!(
            InvalidArgument,
            "{name} is {}: a dimension must be finite and >= 0",
            Num(x)
        ))
    }
}

/// The sides of a triangle, named, sorted by decreasing length.
fn sorted_desc(a: f64, b: f64, c: f64) -> [(&'static str, f64); 3] {
    let mut s = [("a", a), ("b", b), ("c", c)];
    s.sort_by(|x, y| y.1.total_cmp(&x.1));
    s
}

/// A finite result, or [`FfiStatus::Overflow`] with the reason `what()`
/// followed by "is too large for a double".
fn finite_or_overflow(x: f64, what: impl FnOnce() -> String) -> Result<f64, Failure> {
    if x.is_finite() {
        Ok(x)
    } else {
        Err(fail!(
            Overflow,
            "{} is too large for a double (above {:e})",
            what(),
            f64::MAX
        ))
    }
}

impl Shape {
    /// The name of this shape's kind, as in the reasons: "circle", ...
    pub fn kind(&self) -> &'static str {
        match self {
            Shape::Circle { .. } => "circle",
            Shape::Rectangle { .. } => "rectangle",
            Shape::Triangle { .. } => "triangle",
        }
    }

    /// Checks that every dimension is finite and >= 0 and that a triangle's
    /// sides obey the triangle inequality (the longest side is at most the
    /// sum of the other two, up to a relative rounding slack of 4 ε; a flat
    /// triangle is allowed). The reason names the field and its value, or
    /// the three sides.
    pub fn validate(&self) -> Result<(), Failure> {
        match *self {
            Shape::Circle { radius } => check_length("radius", radius),
            Shape::Rectangle { width, height } => {
                check_length("width", width)?;
                check_length("height", height)
            }
            Shape::Triangle { a, b, c } => {
                check_length("a", a)?;
                check_length("b", b)?;
                check_length("c", c)?;
                let [(xn, x), (mut yn, y), (mut zn, z)] = sorted_desc(a, b, c);
                if x > (y + z) * (1.0 + TRIANGLE_SLACK) {
                    // The two shorter sides in alphabetical order: "a + b".
                    if zn < yn {
                        std::mem::swap(&mut yn, &mut zn);
                    }
                    return Err(fail!(
                        InvalidArgument,
                        "the sides a = {}, b = {}, c = {} break the triangle inequality: \
                         {xn} = {} is longer than {yn} + {zn} = {}",
                        Num(a),
                        Num(b),
                        Num(c),
                        Num(x),
                        Num(y + z)
                    ));
                }
                Ok(())
            }
        }
    }

    /// The dimensions, for reasons: "radius 2" or "width 3, height 4".
    fn describe(&self) -> String {
        match *self {
            Shape::Circle { radius } => format!("radius {}", Num(radius)),
            Shape::Rectangle { width, height } => {
                format!("width {}, height {}", Num(width), Num(height))
            }
            Shape::Triangle { a, b, c } => {
                format!("sides {}, {}, {}", Num(a), Num(b), Num(c))
            }
        }
    }

    /// The area: π r², w h, or Heron's formula for the triangle (in Kahan's
    /// numerically stable form, on sides scaled by the longest one so that
    /// no intermediate overflows).
    ///
    /// [`FfiStatus::InvalidArgument`] for a shape [`validate`](Self::validate)
    /// refuses; [`FfiStatus::Overflow`] if the area is too large for an f64.
    pub fn area(&self) -> Result<f64, Failure> {
        self.validate()?;
        let area = match *self {
            Shape::Circle { radius } => std::f64::consts::PI * radius * radius,
            Shape::Rectangle { width, height } => width * height,
            Shape::Triangle { a, b, c } => {
                let [(_, longest), (_, y), (_, z)] = sorted_desc(a, b, c);
                if longest == 0.0 {
                    return Ok(0.0);
                }
                // Kahan: 1/4 sqrt((x+(y+z)) (z-(x-y)) (z+(x-y)) (x+(y-z))) for
                // x >= y >= z, on sides divided by the longest (x = 1). A
                // factor that rounding made slightly negative (flat triangles
                // within the slack) counts as 0.
                let (x, y, z) = (1.0, y / longest, z / longest);
                let p = (x + (y + z)) * (z - (x - y)).max(0.0) * (z + (x - y)) * (x + (y - z));
                0.25 * p.sqrt() * longest * longest
            }
        };
        finite_or_overflow(area, || {
            format!("the area of the {} with {}", self.kind(), self.describe())
        })
    }

    /// This shape with every dimension multiplied by `factor` (so the area
    /// is multiplied by `factor²`).
    ///
    /// [`FfiStatus::InvalidArgument`] for an invalid shape or a `factor`
    /// that is negative, NaN or infinite; [`FfiStatus::Overflow`] if a
    /// scaled dimension is too large for an f64.
    pub fn scaled(&self, factor: f64) -> Result<Shape, Failure> {
        self.validate()?;
        if !(factor.is_finite() && factor >= 0.0) {
            return Err(fail!(
                InvalidArgument,
                "factor is {}: a scale factor must be finite and >= 0",
                Num(factor)
            ));
        }
        let s = |name: &str, x: f64| {
            finite_or_overflow(x * factor, || {
                format!("{name} {} × factor {}", Num(x), Num(factor))
            })
        };
        Ok(match *self {
            Shape::Circle { radius } => Shape::Circle {
                radius: s("radius", radius)?,
            },
            Shape::Rectangle { width, height } => Shape::Rectangle {
                width: s("width", width)?,
                height: s("height", height)?,
            },
            Shape::Triangle { a, b, c } => Shape::Triangle {
                a: s("a", a)?,
                b: s("b", b)?,
                c: s("c", c)?,
            },
        })
    }
}

/// Reads a `Shape` from C memory, checking the tag first.
///
/// The tag is read as a plain `u32`; only a known value lets the bytes be
/// read as a Rust `Shape`. [`FfiStatus::NullArgument`] for NULL,
/// [`FfiStatus::InvalidArgument`] for an unknown tag.
///
/// # Safety
/// `ptr` is NULL or valid for reading a `Shape`, with the fields of the
/// member its tag names initialised.
pub unsafe fn read_shape(ptr: *const Shape) -> Result<Shape, Failure> {
    if ptr.is_null() {
        return Err(null_argument!("shape"));
    }
    // SAFETY: `ptr` is valid and aligned for a Shape (caller's promise), whose
    // first four bytes are the `u32` tag in every member (RFC 2195, repr(u32));
    // any bit pattern is a valid u32.
    let tag = unsafe { ptr.cast::<u32>().read() };
    if tag >= SHAPE_TAGS {
        return Err(fail!(
            InvalidArgument,
            "unknown Shape tag {tag}: expected SHAPE_CIRCLE (0), SHAPE_RECTANGLE (1) or SHAPE_TRIANGLE (2)"
        ));
    }
    // SAFETY: the tag is a valid discriminant, and the caller initialised the
    // fields of that variant (f64, for which any bit pattern is valid).
    Ok(unsafe { ptr.read() })
}

/// Stores the area of `*shape` in `*out`: π r² for a circle, width × height
/// for a rectangle, Heron's formula for a triangle.
///
/// Returns FFI_STATUS_OK; FFI_STATUS_INVALID_ARGUMENT for an unknown tag, a
/// dimension that is negative, NaN or infinite ("radius is -1: a dimension
/// must be finite and >= 0"), or a triangle whose longest side is longer
/// than the sum of the other two ("the sides a = 1, b = 1, c = 5 break the
/// triangle inequality: c = 5 is longer than a + b = 2");
/// FFI_STATUS_OVERFLOW if the area does not fit in a double;
/// FFI_STATUS_NULL_ARGUMENT if `shape` or `out` is NULL. `*out` is written
/// only on success.
///
/// Both pointers are borrowed for the call; `error` is NULL or receives the
/// status and reason of a failure. Thread-safe.
///
/// # Safety
/// `shape` is NULL or points to a whole `Shape`: all `sizeof(Shape)` bytes
/// (32) readable and 8-byte aligned, whatever the tag (a circle's storage
/// alone, such as a `Shape_Circle_Body`, is too short), with the tag's
/// member initialised; `out` is NULL or valid for writing one `double`, and
/// overlaps neither `*shape` nor `error`; `error` is NULL or a live FfiError
/// used by no other call at the same time.
#[no_mangle]
pub unsafe extern "C" fn shape_area(
    shape: *const Shape,
    out: *mut f64,
    error: *mut FfiError,
) -> FfiStatus {
    // SAFETY: the header's promise on `error`.
    let error = unsafe { ErrorOut::from_raw(error) };
    guard_status(error, || {
        if out.is_null() {
            return Err(null_argument!("out"));
        }
        // SAFETY: "`shape` is NULL or points to a whole `Shape`: all
        // `sizeof(Shape)` bytes (32) readable and 8-byte aligned, whatever
        // the tag ... with the tag's member initialised".
        let area = unsafe { read_shape(shape) }?.area()?;
        // SAFETY: `out` is non-NULL and, per the header, a valid `double *`.
        unsafe { write_out(out, area, "out") }
    })
}

/// Multiplies every dimension of `*shape` by `factor`, in place (the area
/// is multiplied by `factor²`). The tag does not change.
///
/// Returns FFI_STATUS_OK; FFI_STATUS_INVALID_ARGUMENT for an invalid shape
/// (as for shape_area()) or a `factor` that is negative, NaN or infinite
/// ("factor is -2: a scale factor must be finite and >= 0");
/// FFI_STATUS_OVERFLOW if a scaled dimension does not fit in a double
/// ("width 2 × factor 1e308 is too large for a double (above ...)");
/// FFI_STATUS_NULL_ARGUMENT if `shape` is NULL. On any error `*shape` is
/// left unchanged.
///
/// `shape` is borrowed for the call; `error` is NULL or receives the status
/// and reason of a failure. Thread-safe for different shapes.
///
/// # Safety
/// `shape` is NULL or points to a whole `Shape`: all `sizeof(Shape)` bytes
/// (32) readable, writable and 8-byte aligned, whatever the tag (the call
/// reads and rewrites all of them, so a circle's storage alone, such as a
/// `Shape_Circle_Body`, is too short), with the tag's member initialised,
/// and not overlapping `error`; `error` is NULL or a live FfiError used by
/// no other call at the same time.
#[no_mangle]
pub unsafe extern "C" fn shape_scale(
    shape: *mut Shape,
    factor: f64,
    error: *mut FfiError,
) -> FfiStatus {
    // SAFETY: the header's promise on `error`.
    let error = unsafe { ErrorOut::from_raw(error) };
    guard_status(error, || {
        // SAFETY: "`shape` is NULL or points to a whole `Shape`: all
        // `sizeof(Shape)` bytes (32) readable, writable and 8-byte aligned,
        // whatever the tag ... with the tag's member initialised".
        let scaled = unsafe { read_shape(shape) }?.scaled(factor)?;
        // SAFETY: as above: non-NULL (read_shape checked), and all 32 bytes
        // writable whatever the tag.
        unsafe { write_out(shape, scaled, "shape") }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::{align_of, size_of, MaybeUninit};
    use std::ptr::addr_of;

    /// Offset of a field reached through `field` from the start of `value`.
    fn offset<T, F>(value: &T, field: &F) -> usize {
        (field as *const F as usize) - (value as *const T as usize)
    }

    fn tag_of(s: &Shape) -> u32 {
        // SAFETY: the first four bytes of a repr(u32) enum are its tag.
        unsafe { addr_of!(*s).cast::<u32>().read() }
    }

    #[test]
    fn layout_matches_rfc_2195_and_the_header() {
        assert_eq!(size_of::<Shape>(), 32);
        assert_eq!(align_of::<Shape>(), 8);
        let c = Shape::Circle { radius: 1.0 };
        let r = Shape::Rectangle {
            width: 1.0,
            height: 2.0,
        };
        let t = Shape::Triangle {
            a: 3.0,
            b: 4.0,
            c: 5.0,
        };
        assert_eq!([tag_of(&c), tag_of(&r), tag_of(&t)], [0, 1, 2]);
        assert_eq!(SHAPE_TAGS, 3);
        if let Shape::Circle { radius } = &c {
            assert_eq!(offset(&c, radius), 8);
        }
        if let Shape::Rectangle { width, height } = &r {
            assert_eq!((offset(&r, width), offset(&r, height)), (8, 16));
        }
        if let Shape::Triangle { a, b, c } = &t {
            assert_eq!((offset(&t, a), offset(&t, b), offset(&t, c)), (8, 16, 24));
        }
    }

    fn approx(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0)
    }

    #[test]
    fn areas() {
        let circle = Shape::Circle { radius: 2.0 };
        assert!(approx(circle.area().unwrap(), 4.0 * std::f64::consts::PI));
        let rect = Shape::Rectangle {
            width: 3.0,
            height: 4.5,
        };
        assert_eq!(rect.area(), Ok(13.5));
        let tri = Shape::Triangle {
            a: 3.0,
            b: 4.0,
            c: 5.0,
        };
        assert!(approx(tri.area().unwrap(), 6.0));
        let flat = Shape::Triangle {
            a: 1.0,
            b: 2.0,
            c: 3.0,
        };
        assert_eq!(flat.area(), Ok(0.0));
        let zero = Shape::Triangle {
            a: 0.0,
            b: 0.0,
            c: 0.0,
        };
        assert_eq!(zero.area(), Ok(0.0));
        // No intermediate overflow: sides of 1e100 have an area of ~4.3e199.
        let huge = Shape::Triangle {
            a: 1e100,
            b: 1e100,
            c: 1e100,
        };
        assert!(approx(huge.area().unwrap(), 3f64.sqrt() / 4.0 * 1e200));
    }

    /// The status and reason of a refused shape operation.
    fn why<T: std::fmt::Debug>(r: Result<T, Failure>) -> (FfiStatus, String) {
        let f = r.unwrap_err();
        (f.status(), f.reason().to_owned())
    }

    #[test]
    fn refuses_bad_dimensions_with_the_field_and_value() {
        for (bad, shown) in [
            (-1.0, "-1"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "Infinity"),
            (f64::NEG_INFINITY, "-Infinity"),
            (-0.0 - 1e-300, "-1e-300"),
        ] {
            assert_eq!(
                why(Shape::Circle { radius: bad }.area()),
                (
                    FfiStatus::InvalidArgument,
                    format!("radius is {shown}: a dimension must be finite and >= 0")
                )
            );
            assert_eq!(
                why(Shape::Rectangle {
                    width: 1.0,
                    height: bad
                }
                .area()),
                (
                    FfiStatus::InvalidArgument,
                    format!("height is {shown}: a dimension must be finite and >= 0")
                )
            );
            assert_eq!(
                why(Shape::Triangle {
                    a: 1.0,
                    b: bad,
                    c: 1.0
                }
                .area()),
                (
                    FfiStatus::InvalidArgument,
                    format!("b is {shown}: a dimension must be finite and >= 0")
                )
            );
        }
        let broken = Shape::Triangle {
            a: 1.0,
            b: 2.0,
            c: 3.5,
        };
        let reason = "the sides a = 1, b = 2, c = 3.5 break the triangle inequality: c = 3.5 is longer than a + b = 3";
        assert_eq!(
            why(broken.area()),
            (FfiStatus::InvalidArgument, reason.to_owned())
        );
        assert_eq!(
            why(broken.scaled(2.0)),
            (FfiStatus::InvalidArgument, reason.to_owned())
        );
        assert_eq!(
            why(Shape::Triangle { a: 5.0, b: 1.0, c: 1.0 }.area()).1,
            "the sides a = 5, b = 1, c = 1 break the triangle inequality: a = 5 is longer than b + c = 2"
        );
        assert_eq!(
            why(Shape::Circle { radius: 1e200 }.area()),
            (
                FfiStatus::Overflow,
                "the area of the circle with radius 1e200 is too large for a double (above 1.7976931348623157e308)".to_owned()
            )
        );
        assert_eq!(
            why(Shape::Rectangle {
                width: 1e300,
                height: 1e10
            }
            .area())
            .0,
            FfiStatus::Overflow
        );
    }

    #[test]
    fn scaling() {
        let t = Shape::Triangle {
            a: 3.0,
            b: 4.0,
            c: 5.0,
        };
        assert_eq!(
            t.scaled(2.0),
            Ok(Shape::Triangle {
                a: 6.0,
                b: 8.0,
                c: 10.0
            })
        );
        assert!(approx(t.scaled(2.0).unwrap().area().unwrap(), 24.0));
        assert_eq!(
            t.scaled(0.0),
            Ok(Shape::Triangle {
                a: 0.0,
                b: 0.0,
                c: 0.0
            })
        );
        for (bad, shown) in [(-2.0, "-2"), (f64::NAN, "NaN"), (f64::INFINITY, "Infinity")] {
            assert_eq!(
                why(t.scaled(bad)),
                (
                    FfiStatus::InvalidArgument,
                    format!("factor is {shown}: a scale factor must be finite and >= 0")
                )
            );
        }
        assert_eq!(
            why(Shape::Circle { radius: 1e300 }.scaled(1e10)).0,
            FfiStatus::Overflow
        );
    }

    #[test]
    fn exports_check_the_raw_tag_before_reading_an_enum() {
        // A Shape-sized buffer written as C would, with a bogus tag.
        let mut raw = MaybeUninit::<Shape>::zeroed();
        let mut out = -1.0;
        let e = crate::error::ffi_error_new();
        for bogus in [3u32, 4, 0x8000_0000, u32::MAX] {
            let reason = format!(
                "unknown Shape tag {bogus}: expected SHAPE_CIRCLE (0), SHAPE_RECTANGLE (1) or SHAPE_TRIANGLE (2)"
            );
            // SAFETY: the buffer is Shape-sized and aligned; writing a u32 at
            // its start is what a C caller does. It is never read as a Shape
            // in Rust code here, only passed on as a pointer.
            unsafe {
                raw.as_mut_ptr().cast::<u32>().write(bogus);
                assert_eq!(
                    shape_area(raw.as_ptr(), &mut out, e),
                    FfiStatus::InvalidArgument
                );
                assert_eq!(crate::testing_support::message(e), reason);
                assert_eq!(
                    shape_scale(raw.as_mut_ptr(), 2.0, std::ptr::null_mut()),
                    FfiStatus::InvalidArgument
                );
                assert_eq!(
                    shape_scale(raw.as_mut_ptr(), 2.0, e),
                    FfiStatus::InvalidArgument
                );
                assert_eq!(crate::testing_support::message(e), reason);
                assert_eq!(raw.as_ptr().cast::<u32>().read(), bogus, "untouched");
            }
        }
        assert_eq!(out, -1.0);
        // SAFETY: `e` came from ffi_error_new and is freed once.
        unsafe { crate::error::ffi_error_free(e) };
    }

    #[test]
    fn exports_work_and_check_null() {
        let mut s = Shape::Rectangle {
            width: 2.0,
            height: 3.0,
        };
        let mut out = 0.0;
        let e = crate::error::ffi_error_new();
        let reason = || crate::testing_support::message(e);
        let null = std::ptr::null_mut();
        // SAFETY: every pointer is NULL or valid for the call.
        unsafe {
            assert_eq!(shape_area(&s, &mut out, e), FfiStatus::Ok);
            assert_eq!(out, 6.0);
            assert_eq!(shape_scale(&mut s, 10.0, null), FfiStatus::Ok);
            assert_eq!(shape_area(&s, &mut out, null), FfiStatus::Ok);
            assert_eq!(out, 600.0);
            assert_eq!(shape_scale(&mut s, -1.0, e), FfiStatus::InvalidArgument);
            assert_eq!(
                reason(),
                "factor is -1: a scale factor must be finite and >= 0"
            );
            assert_eq!(shape_scale(&mut s, 1e308, e), FfiStatus::Overflow);
            assert_eq!(
                reason(),
                "width 20 × factor 1e308 is too large for a double (above 1.7976931348623157e308)"
            );
            assert_eq!(
                s,
                Shape::Rectangle {
                    width: 20.0,
                    height: 30.0
                },
                "unchanged on error"
            );
            assert_eq!(
                shape_area(std::ptr::null(), &mut out, e),
                FfiStatus::NullArgument
            );
            assert_eq!(reason(), "shape is NULL");
            assert_eq!(
                shape_area(&s, std::ptr::null_mut(), e),
                FfiStatus::NullArgument
            );
            assert_eq!(reason(), "out is NULL");
            assert_eq!(
                shape_scale(std::ptr::null_mut(), 2.0, e),
                FfiStatus::NullArgument
            );
            assert_eq!(reason(), "shape is NULL");
            crate::error::ffi_error_free(e);
        }
    }
}
