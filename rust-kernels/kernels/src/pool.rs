//! Pool2D (max/avg/min, optional argmax indices) and Pool2DGrad, over per-axis window ranges
//! computed once per call so the inner loops never test bounds.
use crate::pool_2x2;
use crate::simd::F4;

pub const MAX: usize = 0;
pub const AVG: usize = 1;
pub const MIN: usize = 2;

/// Pooling geometry: the 18 words the TypeScript side writes, in field order.
#[derive(Clone, Copy, Debug)]
pub struct PoolGeometry {
    pub n: usize, pub c: usize, pub h: usize, pub w: usize, pub oh: usize, pub ow: usize,
    pub kh: usize, pub kw: usize, pub sh: usize, pub sw: usize,
    pub pt: usize, pub pb: usize, pub pl: usize, pub pr: usize, pub dh: usize, pub dw: usize,
    pub op: usize, pub count_include_pad: usize,
}

impl PoolGeometry {
    pub unsafe fn read(p: *const usize) -> PoolGeometry {
        let v = unsafe { core::slice::from_raw_parts(p, 18) };
        PoolGeometry {
            n: v[0], c: v[1], h: v[2], w: v[3], oh: v[4], ow: v[5], kh: v[6], kw: v[7], sh: v[8], sw: v[9],
            pt: v[10], pb: v[11], pl: v[12], pr: v[13], dh: v[14], dw: v[15], op: v[16], count_include_pad: v[17],
        }
    }
}

/// Per output index along one axis: input index of tap 0, in-bounds taps [lo, hi), and the
/// taps inside the padded extent (count_include_pad's divisor).
struct Axis {
    start: Vec<isize>,
    lo: Vec<usize>,
    hi: Vec<usize>,
    padded: Vec<usize>,
}

fn axis(out: usize, size: usize, k: usize, stride: usize, before: usize, after: usize, dil: usize) -> Axis {
    let mut a = Axis { start: vec![0; out], lo: vec![0; out], hi: vec![0; out], padded: vec![0; out] };
    let clamp = |v: isize| v.max(0).min(k as isize) as usize;
    let d = dil as isize;
    for o in 0..out {
        let s = (o * stride) as isize - before as isize;
        a.start[o] = s;
        // ceil(-s / d) and floor((size - 1 - s) / d) for either sign.
        let lo = clamp((-s).div_euclid(d) + ((-s).rem_euclid(d) != 0) as isize);
        let hi = clamp((size as isize - 1 - s).div_euclid(d) + 1).max(lo);
        a.lo[o] = lo;
        a.hi[o] = hi;
        a.padded[o] = clamp((size as isize + after as isize - 1 - s).div_euclid(d) + 1);
    }
    a
}

fn axes(g: &PoolGeometry) -> (Axis, Axis) {
    (axis(g.oh, g.h, g.kh, g.sh, g.pt, g.pb, g.dh), axis(g.ow, g.w, g.kw, g.sw, g.pl, g.pr, g.dw))
}

/// Index (row * w + col) in the plane of the first max (sign 1) or min (sign -1) of window
/// (oy, ox); the first NaN wins; -1 for a window with no input cell.
#[inline(always)]
unsafe fn extreme(x: *const f32, g: &PoolGeometry, ay: &Axis, ax: &Axis, oy: usize, ox: usize, sign: f32) -> isize {
    let mut best = 0f32;
    let mut idx: isize = -1;
    unsafe {
        let (ylo, yhi, ys) = (*ay.lo.get_unchecked(oy), *ay.hi.get_unchecked(oy), *ay.start.get_unchecked(oy));
        let (xlo, xhi, xs) = (*ax.lo.get_unchecked(ox), *ax.hi.get_unchecked(ox), *ax.start.get_unchecked(ox));
        let (w, dh, dw) = (g.w as isize, g.dh as isize, g.dw as isize);
        for ki in ylo..yhi {
            let row = (ys + ki as isize * dh) * w + xs;
            let mut at = row + xlo as isize * dw;
            for _ in xlo..xhi {
                let v = sign * *x.offset(at);
                // The first cell always takes; after that strictly better or NaN, until a NaN
                // holds. Non-short-circuit `|`/`&` compile to selects: random data would
                // mispredict a branch here half the time.
                let take = (idx < 0) | ((best == best) & ((v > best) | (v != v)));
                best = if take { v } else { best };
                idx = if take { at } else { idx };
                at += dw;
            }
        }
    }
    idx
}

/// Whether every window lies wholly inside the plane with contiguous taps (no padding, no
/// dilation, no partial ceil-mode window): the common case, which `extreme_inside` serves.
fn inside(g: &PoolGeometry) -> bool {
    g.pt == 0 && g.pb == 0 && g.pl == 0 && g.pr == 0 && g.dh == 1 && g.dw == 1 && g.oh > 0 && g.ow > 0
        && (g.oh - 1) * g.sh + g.kh <= g.h && (g.ow - 1) * g.sw + g.kw <= g.w
}

/// `extreme` for a kh x kw window wholly inside a plane of width w, starting at index `at`:
/// the same first-extreme and NaN rules, without the per-axis range lookups.
#[inline(always)]
unsafe fn extreme_inside(x: *const f32, w: usize, kh: usize, kw: usize, at: usize, sign: f32) -> isize {
    unsafe {
        let mut best = sign * *x.add(at);
        let mut idx = at;
        for ki in 0..kh {
            for kj in (if ki == 0 { 1 } else { 0 })..kw {
                let a = at + ki * w + kj;
                let v = sign * *x.add(a);
                let take = (best == best) & ((v > best) | (v != v));
                best = if take { v } else { best };
                idx = if take { a } else { idx };
            }
        }
        idx as isize
    }
}

/// The extreme's index of window (oy, ox): `extreme_inside` (unrolled for 2x2 and 3x3
/// windows) when `fast`, else the general `extreme`.
#[inline(always)]
unsafe fn window_extreme(x: *const f32, g: &PoolGeometry, ay: &Axis, ax: &Axis, oy: usize, ox: usize, sign: f32, fast: bool) -> isize {
    unsafe {
        if !fast {
            return extreme(x, g, ay, ax, oy, ox, sign);
        }
        let at = oy * g.sh * g.w + ox * g.sw;
        match (g.kh, g.kw) {
            (2, 2) => extreme_inside(x, g.w, 2, 2, at, sign),
            (3, 3) => extreme_inside(x, g.w, 3, 3, at, sign),
            (kh, kw) => extreme_inside(x, g.w, kh, kw, at, sign),
        }
    }
}

/// Pool2D of x [n, c, h, w] into out [n, c, oh, ow]: f32 values, or i32 indices if `indices`.
pub unsafe fn pool2d(g: &PoolGeometry, x: *const f32, out: *mut u8, indices: bool) {
    let (ay, ax) = axes(g);
    let sign = if g.op == MIN { -1.0 } else { 1.0 };
    let fast = inside(g);
    // Four 2x2 windows at a time, for values (indices keep the scalar path).
    let pairs = fast && g.op != AVG && !indices && pool_2x2::applies(g.kh, g.kw, g.sh, g.sw);
    let plane_out = g.oh * g.ow;
    unsafe {
        for p in 0..g.n * g.c {
            let xp = x.add(p * g.h * g.w);
            for oy in 0..g.oh {
                let mut ox0 = 0;
                if pairs {
                    ox0 = g.ow & !3;
                    pool_2x2::row(xp, g.w, oy, ox0, (out as *mut f32).add(p * plane_out + oy * g.ow), g.op == MIN);
                }
                for ox in ox0..g.ow {
                    let o = p * plane_out + oy * g.ow + ox;
                    if g.op != AVG {
                        let idx = window_extreme(xp, g, &ay, &ax, oy, ox, sign, fast);
                        if indices {
                            *(out as *mut i32).add(o) = idx as i32;
                        } else {
                            *(out as *mut f32).add(o) = if idx < 0 { -sign * f32::INFINITY } else { *xp.offset(idx) };
                        }
                        continue;
                    }
                    if indices {
                        *(out as *mut i32).add(o) = -1;
                        continue;
                    }
                    let (lo, hi) = (ax.lo[ox], ax.hi[ox]);
                    let mut sum = 0f64;
                    for ki in ay.lo[oy]..ay.hi[oy] {
                        let row = xp.offset((ay.start[oy] + (ki * g.dh) as isize) * g.w as isize + ax.start[ox]);
                        if g.dw == 1 {
                            let mut v = F4::zero();
                            let mut kj = lo;
                            while kj + 4 <= hi {
                                v = v.add(F4::load(row.add(kj)));
                                kj += 4;
                            }
                            for l in v.lanes() {
                                sum += l as f64;
                            }
                            while kj < hi {
                                sum += *row.add(kj) as f64;
                                kj += 1;
                            }
                        } else {
                            for kj in lo..hi {
                                sum += *row.add(kj * g.dw) as f64;
                            }
                        }
                    }
                    let count = if g.count_include_pad != 0 { ay.padded[oy] * ax.padded[ox] } else { (ay.hi[oy] - ay.lo[oy]) * (hi - lo) };
                    *(out as *mut f32).add(o) = if count > 0 { (sum / count as f64) as f32 } else { 0.0 };
                }
            }
        }
    }
}

/// Pool2DGrad: dx for Pool2D; max/min route dy to the first extreme, avg spreads it.
pub unsafe fn pool2d_grad(g: &PoolGeometry, x: *const f32, dy: *const f32, dx: *mut f32) {
    let (ay, ax) = axes(g);
    let sign = if g.op == MIN { -1.0 } else { 1.0 };
    let fast = inside(g);
    let pairs = fast && g.op != AVG && pool_2x2::applies(g.kh, g.kw, g.sh, g.sw);
    unsafe {
        core::slice::from_raw_parts_mut(dx, g.n * g.c * g.h * g.w).fill(0.0);
        for p in 0..g.n * g.c {
            let xp = x.add(p * g.h * g.w);
            let dp = dx.add(p * g.h * g.w);
            for oy in 0..g.oh {
                let dyr = dy.add((p * g.oh + oy) * g.ow);
                let mut ox0 = 0;
                if pairs {
                    ox0 = g.ow & !3;
                    pool_2x2::grad_row(xp, g.w, oy, ox0, dyr, dp, g.op == MIN);
                }
                for ox in ox0..g.ow {
                    let gv = *dyr.add(ox);
                    if g.op != AVG {
                        let idx = window_extreme(xp, g, &ay, &ax, oy, ox, sign, fast);
                        if idx >= 0 {
                            *dp.offset(idx) += gv;
                        }
                        continue;
                    }
                    let (lo, hi) = (ax.lo[ox], ax.hi[ox]);
                    let count = if g.count_include_pad != 0 { ay.padded[oy] * ax.padded[ox] } else { (ay.hi[oy] - ay.lo[oy]) * (hi - lo) };
                    if count == 0 {
                        continue;
                    }
                    let share = ((gv as f64) / count as f64) as f32;
                    for ki in ay.lo[oy]..ay.hi[oy] {
                        let row = dp.offset((ay.start[oy] + (ki * g.dh) as isize) * g.w as isize + ax.start[ox]);
                        for kj in lo..hi {
                            *row.add(kj * g.dw) += share;
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g2(op: usize, pad: usize, cip: usize) -> PoolGeometry {
        // 1x1x4x4, 2x2 windows, stride 2.
        let o = (4 + 2 * pad - 2) / 2 + 1;
        PoolGeometry {
            n: 1, c: 1, h: 4, w: 4, oh: o, ow: o, kh: 2, kw: 2, sh: 2, sw: 2, pt: pad, pb: pad, pl: pad, pr: pad,
            dh: 1, dw: 1, op, count_include_pad: cip,
        }
    }

    #[test]
    fn max_avg_and_indices_by_hand() {
        let x: Vec<f32> = (0..16).map(|i| i as f32).collect();
        let mut out = [0f32; 4];
        unsafe { pool2d(&g2(MAX, 0, 0), x.as_ptr(), out.as_mut_ptr() as _, false) };
        assert_eq!(out, [5.0, 7.0, 13.0, 15.0]);
        unsafe { pool2d(&g2(AVG, 0, 0), x.as_ptr(), out.as_mut_ptr() as _, false) };
        assert_eq!(out, [2.5, 4.5, 10.5, 12.5]);
        let mut idx = [0i32; 4];
        unsafe { pool2d(&g2(MIN, 0, 0), x.as_ptr(), idx.as_mut_ptr() as _, true) };
        assert_eq!(idx, [0, 2, 8, 10]);
        // Padding 1: corner window holds x[0] only; avg excluding pad = 0, including pad = 0/4.
        let mut o9 = [0f32; 9];
        unsafe { pool2d(&g2(AVG, 1, 0), x.as_ptr(), o9.as_mut_ptr() as _, false) };
        assert_eq!(o9[1], 1.5);
        unsafe { pool2d(&g2(AVG, 1, 1), x.as_ptr(), o9.as_mut_ptr() as _, false) };
        assert_eq!(o9[1], 0.75);
    }

    #[test]
    fn inside_windows_pick_the_same_extreme_as_the_general_path() {
        // Values with ties, -0/+0 and NaNs, so the first-extreme and NaN rules are exercised.
        let pool = [1.0f32, 1.0, -0.0, 0.0, f32::NAN, 3.0, -2.0, 3.0];
        for &(h, w, kh, kw, sh, sw) in &[(6, 6, 2, 2, 2, 2), (7, 5, 3, 3, 1, 1), (5, 8, 2, 3, 1, 2), (4, 4, 1, 1, 1, 1)] {
            let oh = (h - kh) / sh + 1;
            let ow = (w - kw) / sw + 1;
            let g = PoolGeometry { n: 1, c: 1, h, w, oh, ow, kh, kw, sh, sw, pt: 0, pb: 0, pl: 0, pr: 0, dh: 1, dw: 1, op: MAX, count_include_pad: 0 };
            assert!(inside(&g));
            let x: Vec<f32> = (0..h * w).map(|i| pool[(i * 7 + i / 3) % pool.len()]).collect();
            let (ay, ax) = axes(&g);
            for sign in [1.0f32, -1.0] {
                for oy in 0..oh {
                    for ox in 0..ow {
                        let want = unsafe { extreme(x.as_ptr(), &g, &ay, &ax, oy, ox, sign) };
                        let got = unsafe { window_extreme(x.as_ptr(), &g, &ay, &ax, oy, ox, sign, true) };
                        assert_eq!(got, want, "{h}x{w} k{kh}x{kw} s{sh}x{sw} sign {sign} at ({oy}, {ox})");
                    }
                }
            }
        }
        // Padding, dilation or a partial window take the general path.
        assert!(!inside(&g2(MAX, 1, 0)));
    }

    #[test]
    fn two_by_two_vectors_pick_the_same_extreme_as_the_general_path() {
        // Ties, -0/+0 and NaNs; odd widths and heights leave a column and a row outside every
        // window, and widths of 9-11 outputs a scalar tail after the vectors.
        let pool = [1.0f32, 1.0, -0.0, 0.0, f32::NAN, 3.0, -2.0, 3.0, 0.0, -0.0];
        for &(h, w) in &[(6, 12), (5, 19), (8, 8), (4, 22)] {
            let (oh, ow) = (h / 2, w / 2);
            for op in [MAX, MIN] {
                let g = PoolGeometry { n: 2, c: 1, h, w, oh, ow, kh: 2, kw: 2, sh: 2, sw: 2, pt: 0, pb: 0, pl: 0, pr: 0, dh: 1, dw: 1, op, count_include_pad: 0 };
                let x: Vec<f32> = (0..2 * h * w).map(|i| pool[(i * 7 + i / 3) % pool.len()]).collect();
                let dy: Vec<f32> = (0..2 * oh * ow).map(|i| i as f32 + 1.0).collect();
                let mut out = vec![0f32; 2 * oh * ow];
                let mut dx = vec![7f32; 2 * h * w];
                unsafe {
                    pool2d(&g, x.as_ptr(), out.as_mut_ptr() as _, false);
                    pool2d_grad(&g, x.as_ptr(), dy.as_ptr(), dx.as_mut_ptr());
                }
                let (ay, ax) = axes(&g);
                let mut want_dx = vec![0f32; 2 * h * w];
                for p in 0..2 {
                    for oy in 0..oh {
                        for ox in 0..ow {
                            let sign = if op == MIN { -1.0 } else { 1.0 };
                            let idx = unsafe { extreme(x.as_ptr().add(p * h * w), &g, &ay, &ax, oy, ox, sign) } as usize;
                            let (want, got) = (x[p * h * w + idx], out[(p * oh + oy) * ow + ox]);
                            assert_eq!(want.to_bits(), got.to_bits(), "{h}x{w} op {op} at ({p}, {oy}, {ox})");
                            want_dx[p * h * w + idx] += dy[(p * oh + oy) * ow + ox];
                        }
                    }
                }
                assert_eq!(dx, want_dx, "{h}x{w} op {op}");
            }
        }
    }

    #[test]
    fn grad_routes_to_the_extreme_and_spreads_averages() {
        let x: Vec<f32> = (0..16).map(|i| i as f32).collect();
        let dy = [1.0f32, 2.0, 3.0, 4.0];
        let mut dx = [9f32; 16];
        unsafe { pool2d_grad(&g2(MAX, 0, 0), x.as_ptr(), dy.as_ptr(), dx.as_mut_ptr()) };
        let mut want = [0f32; 16];
        want[5] = 1.0;
        want[7] = 2.0;
        want[13] = 3.0;
        want[15] = 4.0;
        assert_eq!(dx, want);
        unsafe { pool2d_grad(&g2(AVG, 0, 0), x.as_ptr(), dy.as_ptr(), dx.as_mut_ptr()) };
        assert_eq!(dx[0], 0.25);
        assert_eq!(dx[15], 1.0);
    }
}
