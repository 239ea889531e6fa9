//! Max/min pooling and its gradient over 2x2 windows at stride 2 that lie wholly inside the
//! plane (LeNet's and VGG's pooling), four windows per step: their taps come out of two input
//! rows by shuffles, and lane-wise selects keep the scalar path's rules (the first NaN wins,
//! else the first strictly better tap).
use crate::simd::F4;

/// Whether `pool2d`'s geometry is 2x2 windows at stride 2 (the caller checks they lie inside).
pub fn applies(kh: usize, kw: usize, sh: usize, sw: usize) -> bool {
    kh == 2 && kw == 2 && sh == 2 && sw == 2
}

/// The taps of the four windows at output columns [ox, ox+4) over the input rows `r0` and
/// `r0 + w`, in window order: top-left, top-right, bottom-left, bottom-right.
#[inline(always)]
unsafe fn taps(r0: *const f32, w: usize, ox: usize) -> [F4; 4] {
    unsafe {
        let (a, b) = (F4::load(r0.add(2 * ox)), F4::load(r0.add(2 * ox + 4)));
        let r1 = r0.add(w);
        let (c, d) = (F4::load(r1.add(2 * ox)), F4::load(r1.add(2 * ox + 4)));
        [a.evens(b), a.odds(b), c.evens(d), c.odds(d)]
    }
}

/// Lane by lane, the tap the scalar path picks (one-hot masks) and its value.
#[inline(always)]
fn pick(t: [F4; 4], min: bool) -> ([F4; 4], F4) {
    let none = F4::zero().ne(F4::zero());
    let mut m = [none.eq(none), none, none, none];
    let mut best = t[0];
    for k in 1..4 {
        let better = if min { t[k].lt(best) } else { t[k].gt(best) };
        let take = best.eq(best).and(better.or(t[k].ne(t[k])));
        for mj in m.iter_mut().take(k) {
            *mj = mj.and_not(take);
        }
        m[k] = take;
        best = take.select(t[k], best);
    }
    (m, best)
}

/// Pooled values of output row `oy`, columns [0, ow4) (a multiple of 4), of the plane `x` of width `w`.
pub unsafe fn row(x: *const f32, w: usize, oy: usize, ow4: usize, out: *mut f32, min: bool) {
    unsafe {
        let r0 = x.add(2 * oy * w);
        for ox in (0..ow4).step_by(4) {
            pick(taps(r0, w, ox), min).1.store(out.add(ox));
        }
    }
}

/// The gradient of `row`: dy[ox] goes to its window's picked tap, 0 to the other three. Writes
/// (not adds) the two rows of dx under the windows, which no other window overlaps.
pub unsafe fn grad_row(x: *const f32, w: usize, oy: usize, ow4: usize, dy: *const f32, dx: *mut f32, min: bool) {
    unsafe {
        let r0 = x.add(2 * oy * w);
        for ox in (0..ow4).step_by(4) {
            let (m, _) = pick(taps(r0, w, ox), min);
            let g = F4::load(dy.add(ox));
            let t = m.map(|mk| mk.select(g, F4::zero()));
            let d0 = dx.add(2 * oy * w + 2 * ox);
            let d1 = d0.add(w);
            t[0].zip_lo(t[1]).store(d0);
            t[0].zip_hi(t[1]).store(d0.add(4));
            t[2].zip_lo(t[3]).store(d1);
            t[2].zip_hi(t[3]).store(d1.add(4));
        }
    }
}
