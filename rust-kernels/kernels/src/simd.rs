//! `F4`: four f32 lanes. SIMD128 (`v128`) on wasm32; a plain array on the host, with the same
//! lane semantics (NaN-propagating max/min that order -0 below +0, as wasm's f32x4.max and
//! JS's Math.max do), so `cargo test` exercises the very code the .wasm runs.

#[cfg(target_arch = "wasm32")]
mod imp {
    use core::arch::wasm32::*;

    #[derive(Clone, Copy)]
    #[repr(transparent)]
    pub struct F4(pub v128);

    impl F4 {
        #[inline(always)]
        pub fn splat(x: f32) -> F4 {
            F4(f32x4_splat(x))
        }
        #[inline(always)]
        pub fn zero() -> F4 {
            F4(f32x4_splat(0.0))
        }
        #[inline(always)]
        pub unsafe fn load(p: *const f32) -> F4 {
            unsafe { F4(v128_load(p as *const v128)) }
        }
        #[inline(always)]
        pub unsafe fn store(self, p: *mut f32) {
            unsafe { v128_store(p as *mut v128, self.0) }
        }
        #[inline(always)]
        pub fn add(self, o: F4) -> F4 {
            F4(f32x4_add(self.0, o.0))
        }
        #[inline(always)]
        pub fn sub(self, o: F4) -> F4 {
            F4(f32x4_sub(self.0, o.0))
        }
        #[inline(always)]
        pub fn mul(self, o: F4) -> F4 {
            F4(f32x4_mul(self.0, o.0))
        }
        /// acc + self * o: one fused multiply-add in the relaxed-SIMD artifact (an FMA where
        /// the CPU has one), a multiply then an add otherwise.
        #[inline(always)]
        pub fn mul_add(self, o: F4, acc: F4) -> F4 {
            #[cfg(target_feature = "relaxed-simd")]
            return F4(f32x4_relaxed_madd(self.0, o.0, acc.0));
            #[cfg(not(target_feature = "relaxed-simd"))]
            return acc.add(self.mul(o));
        }
        #[inline(always)]
        pub fn div(self, o: F4) -> F4 {
            F4(f32x4_div(self.0, o.0))
        }
        #[inline(always)]
        pub fn max(self, o: F4) -> F4 {
            F4(f32x4_max(self.0, o.0))
        }
        #[inline(always)]
        pub fn min(self, o: F4) -> F4 {
            F4(f32x4_min(self.0, o.0))
        }
        #[inline(always)]
        pub fn sqrt(self) -> F4 {
            F4(f32x4_sqrt(self.0))
        }
        #[inline(always)]
        pub fn neg(self) -> F4 {
            F4(f32x4_neg(self.0))
        }
        #[inline(always)]
        pub fn abs(self) -> F4 {
            F4(f32x4_abs(self.0))
        }
        /// x > 0 or NaN keeps x; everything else (negatives, -0) becomes +0.
        #[inline(always)]
        pub fn relu(self) -> F4 {
            let keep = v128_or(f32x4_gt(self.0, f32x4_splat(0.0)), f32x4_ne(self.0, self.0));
            F4(v128_and(self.0, keep))
        }
        /// Lanes 1 and 3 of `self`, then lanes 1 and 3 of `o`.
        #[inline(always)]
        pub fn odds(self, o: F4) -> F4 {
            F4(i32x4_shuffle::<1, 3, 5, 7>(self.0, o.0))
        }
        /// Lanes 0, 1 of `self` and `o` interleaved: s0 o0 s1 o1 (`zip_hi`: s2 o2 s3 o3).
        #[inline(always)]
        pub fn zip_lo(self, o: F4) -> F4 {
            F4(i32x4_shuffle::<0, 4, 1, 5>(self.0, o.0))
        }
        #[inline(always)]
        pub fn zip_hi(self, o: F4) -> F4 {
            F4(i32x4_shuffle::<2, 6, 3, 7>(self.0, o.0))
        }
        /// Comparison masks: all bits set in a lane where it holds, else clear.
        #[inline(always)]
        pub fn gt(self, o: F4) -> F4 {
            F4(f32x4_gt(self.0, o.0))
        }
        #[inline(always)]
        pub fn lt(self, o: F4) -> F4 {
            F4(f32x4_lt(self.0, o.0))
        }
        #[inline(always)]
        pub fn eq(self, o: F4) -> F4 {
            F4(f32x4_eq(self.0, o.0))
        }
        #[inline(always)]
        pub fn ne(self, o: F4) -> F4 {
            F4(f32x4_ne(self.0, o.0))
        }
        /// Bitwise and, or, and `self & !o`, of masks.
        #[inline(always)]
        pub fn and(self, o: F4) -> F4 {
            F4(v128_and(self.0, o.0))
        }
        #[inline(always)]
        pub fn or(self, o: F4) -> F4 {
            F4(v128_or(self.0, o.0))
        }
        #[inline(always)]
        pub fn and_not(self, o: F4) -> F4 {
            F4(v128_andnot(self.0, o.0))
        }
        /// `a` where the mask `self` is set, else `b` (bit by bit).
        #[inline(always)]
        pub fn select(self, a: F4, b: F4) -> F4 {
            F4(v128_bitselect(a.0, b.0, self.0))
        }
        /// Lanes 0 and 2 of `self`, then lanes 0 and 2 of `o`: every other float of eight.
        #[inline(always)]
        pub fn evens(self, o: F4) -> F4 {
            F4(i32x4_shuffle::<0, 2, 4, 6>(self.0, o.0))
        }
        #[inline(always)]
        pub fn lanes(self) -> [f32; 4] {
            [
                f32x4_extract_lane::<0>(self.0),
                f32x4_extract_lane::<1>(self.0),
                f32x4_extract_lane::<2>(self.0),
                f32x4_extract_lane::<3>(self.0),
            ]
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use crate::math::{js_max32, js_min32};

    #[derive(Clone, Copy)]
    pub struct F4(pub [f32; 4]);

    #[inline(always)]
    fn map2(a: F4, b: F4, f: impl Fn(f32, f32) -> f32) -> F4 {
        F4([f(a.0[0], b.0[0]), f(a.0[1], b.0[1]), f(a.0[2], b.0[2]), f(a.0[3], b.0[3])])
    }
    /// A lane mask as wasm's comparisons give it: all bits set, or clear.
    fn mask(a: F4, b: F4, f: impl Fn(f32, f32) -> bool) -> F4 {
        F4(core::array::from_fn(|i| f32::from_bits(if f(a.0[i], b.0[i]) { u32::MAX } else { 0 })))
    }
    fn bits(a: F4, b: F4, f: impl Fn(u32, u32) -> u32) -> F4 {
        F4(core::array::from_fn(|i| f32::from_bits(f(a.0[i].to_bits(), b.0[i].to_bits()))))
    }
    #[inline(always)]
    fn map1(a: F4, f: impl Fn(f32) -> f32) -> F4 {
        F4([f(a.0[0]), f(a.0[1]), f(a.0[2]), f(a.0[3])])
    }

    impl F4 {
        pub fn splat(x: f32) -> F4 {
            F4([x; 4])
        }
        pub fn zero() -> F4 {
            F4([0.0; 4])
        }
        pub unsafe fn load(p: *const f32) -> F4 {
            unsafe { F4(core::ptr::read_unaligned(p as *const [f32; 4])) }
        }
        pub unsafe fn store(self, p: *mut f32) {
            unsafe { core::ptr::write_unaligned(p as *mut [f32; 4], self.0) }
        }
        pub fn add(self, o: F4) -> F4 {
            map2(self, o, |a, b| a + b)
        }
        pub fn sub(self, o: F4) -> F4 {
            map2(self, o, |a, b| a - b)
        }
        pub fn mul(self, o: F4) -> F4 {
            map2(self, o, |a, b| a * b)
        }
        pub fn mul_add(self, o: F4, acc: F4) -> F4 {
            acc.add(self.mul(o))
        }
        pub fn div(self, o: F4) -> F4 {
            map2(self, o, |a, b| a / b)
        }
        pub fn max(self, o: F4) -> F4 {
            map2(self, o, js_max32)
        }
        pub fn min(self, o: F4) -> F4 {
            map2(self, o, js_min32)
        }
        pub fn sqrt(self) -> F4 {
            map1(self, f32::sqrt)
        }
        pub fn neg(self) -> F4 {
            map1(self, |a| -a)
        }
        pub fn abs(self) -> F4 {
            map1(self, f32::abs)
        }
        pub fn relu(self) -> F4 {
            map1(self, |a| if a > 0.0 || a.is_nan() { a } else { 0.0 })
        }
        pub fn evens(self, o: F4) -> F4 {
            F4([self.0[0], self.0[2], o.0[0], o.0[2]])
        }
        pub fn odds(self, o: F4) -> F4 {
            F4([self.0[1], self.0[3], o.0[1], o.0[3]])
        }
        pub fn zip_lo(self, o: F4) -> F4 {
            F4([self.0[0], o.0[0], self.0[1], o.0[1]])
        }
        pub fn zip_hi(self, o: F4) -> F4 {
            F4([self.0[2], o.0[2], self.0[3], o.0[3]])
        }
        pub fn gt(self, o: F4) -> F4 {
            mask(self, o, |a, b| a > b)
        }
        pub fn lt(self, o: F4) -> F4 {
            mask(self, o, |a, b| a < b)
        }
        pub fn eq(self, o: F4) -> F4 {
            mask(self, o, |a, b| a == b)
        }
        pub fn ne(self, o: F4) -> F4 {
            mask(self, o, |a, b| a != b)
        }
        pub fn and(self, o: F4) -> F4 {
            bits(self, o, |a, b| a & b)
        }
        pub fn or(self, o: F4) -> F4 {
            bits(self, o, |a, b| a | b)
        }
        pub fn and_not(self, o: F4) -> F4 {
            bits(self, o, |a, b| a & !b)
        }
        pub fn select(self, a: F4, b: F4) -> F4 {
            F4(core::array::from_fn(|i| {
                let m = self.0[i].to_bits();
                f32::from_bits((a.0[i].to_bits() & m) | (b.0[i].to_bits() & !m))
            }))
        }
        pub fn lanes(self) -> [f32; 4] {
            self.0
        }
    }
}

pub use imp::F4;

#[cfg(test)]
mod tests {
    use super::F4;

    #[test]
    fn max_min_propagate_nan_and_order_signed_zeros() {
        let a = F4([f32::NAN, -0.0, 1.0, 0.0]);
        let b = F4([1.0, 0.0, 2.0, -0.0]);
        let mx = a.max(b).lanes();
        assert!(mx[0].is_nan());
        assert!(mx[1] == 0.0 && mx[1].is_sign_positive());
        assert_eq!(mx[2], 2.0);
        assert!(mx[3].is_sign_positive());
        let mn = a.min(b).lanes();
        assert!(mn[0].is_nan());
        assert!(mn[1].is_sign_negative());
        assert!(mn[3].is_sign_negative());
    }

    #[test]
    fn evens_take_every_other_lane() {
        let e = F4([1.0, 2.0, 3.0, 4.0]).evens(F4([5.0, 6.0, 7.0, 8.0])).lanes();
        assert_eq!(e, [1.0, 3.0, 5.0, 7.0]);
    }

    #[test]
    fn relu_keeps_nan_and_clears_negative_zero() {
        let r = F4([-2.0, -0.0, f32::NAN, 3.0]).relu().lanes();
        assert_eq!(r[0], 0.0);
        assert!(r[1].is_sign_positive());
        assert!(r[2].is_nan());
        assert_eq!(r[3], 3.0);
    }
}
