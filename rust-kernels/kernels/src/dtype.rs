//! dtype codes and element access with the reference backend's store semantics: values are
//! computed in f64 and stored as a typed-array store would (f32 rounding; integer dtypes
//! truncate toward zero and wrap; bool is a byte, 0 or 1 when written by kernels).

pub const F32: u32 = 0;
pub const I32: u32 = 1;
pub const BOOL: u32 = 2;
pub const I8: u32 = 3;
pub const U8: u32 = 4;

/// Bytes per element of a dtype.
#[inline(always)]
pub fn size_of(dt: u32) -> usize {
    if dt == F32 || dt == I32 { 4 } else { 1 }
}

/// Element `i` of the buffer at `p` as f64.
#[inline(always)]
pub unsafe fn load(p: *const u8, dt: u32, i: usize) -> f64 {
    unsafe {
        match dt {
            F32 => *(p as *const f32).add(i) as f64,
            I32 => *(p as *const i32).add(i) as f64,
            I8 => *(p as *const i8).add(i) as f64,
            _ => *p.add(i) as f64,
        }
    }
}

/// Stores `v` into element `i` as a typed-array store of that dtype would.
#[inline(always)]
pub unsafe fn store(p: *mut u8, dt: u32, i: usize, v: f64) {
    unsafe {
        match dt {
            F32 => *(p as *mut f32).add(i) = v as f32,
            I32 => *(p as *mut u32).add(i) = crate::math::js_wrap(v, 32),
            _ => *p.add(i) = crate::math::js_wrap(v, 8) as u8,
        }
    }
}

/// Copies one element of `esize` bytes.
#[inline(always)]
pub unsafe fn copy_elem(src: *const u8, si: usize, dst: *mut u8, di: usize, esize: usize) {
    unsafe {
        if esize == 4 {
            *(dst as *mut u32).add(di) = *(src as *const u32).add(si);
        } else {
            *dst.add(di) = *src.add(si);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_wraps_like_typed_arrays() {
        let mut b = [0u8; 4];
        unsafe {
            store(b.as_mut_ptr(), I8, 0, 200.0);
            store(b.as_mut_ptr(), U8, 1, -1.0);
            store(b.as_mut_ptr(), U8, 2, 3.9);
            assert_eq!(load(b.as_ptr(), I8, 0), -56.0);
            assert_eq!(load(b.as_ptr(), U8, 1), 255.0);
            assert_eq!(load(b.as_ptr(), U8, 2), 3.0);
        }
        let mut w = [0i32; 1];
        unsafe { store(w.as_mut_ptr() as *mut u8, I32, 0, -7.9) };
        assert_eq!(w[0], -7);
    }
}
