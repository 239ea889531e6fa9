//! Conv2D and both backprop kernels as im2col + the packed GEMM (pointwise convolutions skip
//! the column matrix). NCHW activations, OIHW filters, cross-correlation as in PyTorch.
use crate::matmul::{Mat, sgemm};
use crate::memory::Scratch;

/// Convolution geometry (input [n, c, h, w], filter [o, c/groups, kh, kw], output [n, o, oh, ow]).
#[derive(Clone, Copy, Debug)]
pub struct Geometry {
    pub n: usize,
    pub c: usize,
    pub h: usize,
    pub w: usize,
    pub o: usize,
    pub kh: usize,
    pub kw: usize,
    pub sh: usize,
    pub sw: usize,
    pub pt: usize,
    pub pl: usize,
    pub dh: usize,
    pub dw: usize,
    pub groups: usize,
    pub oh: usize,
    pub ow: usize,
}

impl Geometry {
    /// Reads the 16 words the TypeScript side writes, in field order.
    pub unsafe fn read(p: *const usize) -> Geometry {
        let v = unsafe { core::slice::from_raw_parts(p, 16) };
        Geometry {
            n: v[0], c: v[1], h: v[2], w: v[3], o: v[4], kh: v[5], kw: v[6], sh: v[7], sw: v[8], pt: v[9], pl: v[10],
            dh: v[11], dw: v[12], groups: v[13], oh: v[14], ow: v[15],
        }
    }
    fn cpg(&self) -> usize {
        self.c / self.groups
    }
    fn opg(&self) -> usize {
        self.o / self.groups
    }
    /// Rows of the column matrix: cpg * kh * kw.
    fn taps(&self) -> usize {
        self.cpg() * self.kh * self.kw
    }
    fn hw(&self) -> usize {
        self.oh * self.ow
    }
    fn pointwise(&self) -> bool {
        self.kh == 1 && self.kw == 1 && self.sh == 1 && self.sw == 1 && self.pt == 0 && self.pl == 0
            && self.oh == self.h && self.ow == self.w
    }
    /// Output columns [lo, hi) whose tap at offset `off` (= kj*dw - pl) lands inside [0, w).
    fn col_range(&self, off: isize) -> (usize, usize) {
        let (s, w, ow) = (self.sw as isize, self.w as isize, self.ow as isize);
        let lo = if off >= 0 { 0 } else { (-off + s - 1) / s };
        let hi = if w - 1 - off < 0 { 0 } else { ((w - 1 - off) / s + 1).min(ow) };
        (lo.min(ow) as usize, hi.max(lo.min(ow)) as usize)
    }
}

/// col[(ch*kh + ki)*kw + kj][oh*ow + ow'] = x[ch, ...] of one image's channel group (zero
/// padded). Writes every element of the `taps` x `hw` block at `col`.
unsafe fn im2col(g: &Geometry, x: *const f32, col: *mut f32) {
    let hw = g.hw();
    let mut row = 0;
    unsafe {
        for ch in 0..g.cpg() {
            let plane = x.add(ch * g.h * g.w);
            for ki in 0..g.kh {
                for kj in 0..g.kw {
                    let dst = col.add(row * hw);
                    let off = (kj * g.dw) as isize - g.pl as isize;
                    let (lo, hi) = g.col_range(off);
                    for oy in 0..g.oh {
                        let iy = (oy * g.sh + ki * g.dh) as isize - g.pt as isize;
                        let d = dst.add(oy * g.ow);
                        if iy < 0 || iy >= g.h as isize {
                            core::ptr::write_bytes(d, 0, g.ow);
                            continue;
                        }
                        let src = plane.add(iy as usize * g.w);
                        core::ptr::write_bytes(d, 0, lo);
                        core::ptr::write_bytes(d.add(hi), 0, g.ow - hi);
                        if g.sw == 1 {
                            let start = (lo as isize + off) as usize;
                            core::ptr::copy_nonoverlapping(src.add(start), d.add(lo), hi - lo);
                        } else {
                            for ox in lo..hi {
                                *d.add(ox) = *src.add((ox as isize * g.sw as isize + off) as usize);
                            }
                        }
                    }
                    row += 1;
                }
            }
        }
    }
}

/// The adjoint of im2col: adds col back into one image's channel group of dx.
unsafe fn col2im(g: &Geometry, col: *const f32, dx: *mut f32) {
    let hw = g.hw();
    let mut row = 0;
    unsafe {
        for ch in 0..g.cpg() {
            let plane = dx.add(ch * g.h * g.w);
            for ki in 0..g.kh {
                for kj in 0..g.kw {
                    let src = col.add(row * hw);
                    let off = (kj * g.dw) as isize - g.pl as isize;
                    let (lo, hi) = g.col_range(off);
                    for oy in 0..g.oh {
                        let iy = (oy * g.sh + ki * g.dh) as isize - g.pt as isize;
                        if iy < 0 || iy >= g.h as isize {
                            continue;
                        }
                        let dst = plane.add(iy as usize * g.w);
                        let s = src.add(oy * g.ow);
                        for ox in lo..hi {
                            *dst.add((ox as isize * g.sw as isize + off) as usize) += *s.add(ox);
                        }
                    }
                    row += 1;
                }
            }
        }
    }
}

/// Conv2D: out [n, o, oh, ow] = x * w.
pub unsafe fn conv2d(g: &Geometry, x: *const f32, w: *const f32, out: *mut f32) {
    let (cpg, opg, k, hw) = (g.cpg(), g.opg(), g.taps(), g.hw());
    if g.n * g.o * hw == 0 {
        return;
    }
    let mut col = Scratch::new(if g.pointwise() { 0 } else { k * hw });
    unsafe {
        for i in 0..g.n {
            for gi in 0..g.groups {
                let xg = x.add((i * g.c + gi * cpg) * g.h * g.w);
                let b = if g.pointwise() {
                    Mat { ptr: xg, rs: hw, cs: 1 }
                } else {
                    im2col(g, xg, col.ptr());
                    Mat { ptr: col.ptr(), rs: hw, cs: 1 }
                };
                let a = Mat { ptr: w.add(gi * opg * k), rs: k, cs: 1 };
                sgemm(opg, hw, k, a, b, out.add((i * g.o + gi * opg) * hw), hw, false);
            }
        }
    }
}

/// Conv2DBackpropInput: dx [n, c, h, w] from dy [n, o, oh, ow] and w.
pub unsafe fn conv2d_backprop_input(g: &Geometry, dy: *const f32, w: *const f32, dx: *mut f32) {
    let (cpg, opg, k, hw) = (g.cpg(), g.opg(), g.taps(), g.hw());
    unsafe {
        core::slice::from_raw_parts_mut(dx, g.n * g.c * g.h * g.w).fill(0.0);
        if hw == 0 {
            return;
        }
        let mut col = Scratch::new(if g.pointwise() { 0 } else { k * hw });
        for i in 0..g.n {
            for gi in 0..g.groups {
                // w_g^T: element (q, f) = w[(gi*opg + f) * k + q].
                let a = Mat { ptr: w.add(gi * opg * k), rs: 1, cs: k };
                let b = Mat { ptr: dy.add((i * g.o + gi * opg) * hw), rs: hw, cs: 1 };
                let dxg = dx.add((i * g.c + gi * cpg) * g.h * g.w);
                if g.pointwise() {
                    sgemm(cpg, hw, opg, a, b, dxg, hw, false);
                } else {
                    sgemm(k, hw, opg, a, b, col.ptr(), hw, false);
                    col2im(g, col.ptr(), dxg);
                }
            }
        }
    }
}

/// Conv2DBackpropFilter: dw [o, c/groups, kh, kw] from x and dy (summed over the batch).
pub unsafe fn conv2d_backprop_filter(g: &Geometry, x: *const f32, dy: *const f32, dw: *mut f32) {
    let (cpg, opg, k, hw) = (g.cpg(), g.opg(), g.taps(), g.hw());
    unsafe {
        core::slice::from_raw_parts_mut(dw, g.o * k).fill(0.0);
        if hw == 0 {
            return;
        }
        let mut col = Scratch::new(if g.pointwise() { 0 } else { k * hw });
        for i in 0..g.n {
            for gi in 0..g.groups {
                let xg = x.add((i * g.c + gi * cpg) * g.h * g.w);
                // col^T: element (p, q) = col[q * hw + p].
                let b = if g.pointwise() {
                    Mat { ptr: xg, rs: 1, cs: hw }
                } else {
                    im2col(g, xg, col.ptr());
                    Mat { ptr: col.ptr(), rs: 1, cs: hw }
                };
                let a = Mat { ptr: dy.add((i * g.o + gi * opg) * hw), rs: hw, cs: 1 };
                sgemm(opg, k, hw, a, b, dw.add(gi * opg * k), k, i > 0);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn geo(n: usize, c: usize, h: usize, w: usize, o: usize, k: usize, s: usize, p: usize, d: usize, groups: usize) -> Geometry {
        let oh = (h + 2 * p - d * (k - 1) - 1) / s + 1;
        let ow = (w + 2 * p - d * (k - 1) - 1) / s + 1;
        Geometry { n, c, h, w, o, kh: k, kw: k, sh: s, sw: s, pt: p, pl: p, dh: d, dw: d, groups, oh, ow }
    }

    /// Direct convolution in f64: the definition, independent of im2col and the GEMM.
    fn direct(g: &Geometry, x: &[f32], w: &[f32]) -> Vec<f64> {
        let (cpg, opg) = (g.c / g.groups, g.o / g.groups);
        let mut out = vec![0f64; g.n * g.o * g.oh * g.ow];
        for i in 0..g.n {
            for f in 0..g.o {
                let gi = f / opg;
                for oy in 0..g.oh {
                    for ox in 0..g.ow {
                        let mut s = 0f64;
                        for ch in 0..cpg {
                            for ki in 0..g.kh {
                                for kj in 0..g.kw {
                                    let iy = (oy * g.sh + ki * g.dh) as isize - g.pt as isize;
                                    let ix = (ox * g.sw + kj * g.dw) as isize - g.pl as isize;
                                    if iy < 0 || ix < 0 || iy >= g.h as isize || ix >= g.w as isize {
                                        continue;
                                    }
                                    let xv = x[((i * g.c + gi * cpg + ch) * g.h + iy as usize) * g.w + ix as usize];
                                    let wv = w[((f * cpg + ch) * g.kh + ki) * g.kw + kj];
                                    s += xv as f64 * wv as f64;
                                }
                            }
                        }
                        out[((i * g.o + f) * g.oh + oy) * g.ow + ox] = s;
                    }
                }
            }
        }
        out
    }

    fn data(n: usize, seed: usize) -> Vec<f32> {
        (0..n).map(|i| (((i * 37 + seed * 11) % 17) as f32 - 8.0) / 8.0).collect()
    }

    #[test]
    fn forward_matches_the_definition() {
        for g in [geo(2, 3, 7, 6, 4, 3, 1, 1, 1, 1), geo(1, 4, 9, 9, 6, 3, 2, 0, 2, 2), geo(2, 5, 4, 4, 3, 1, 1, 0, 1, 1)] {
            let x = data(g.n * g.c * g.h * g.w, 1);
            let w = data(g.o * g.c / g.groups * g.kh * g.kw, 2);
            let mut out = vec![0f32; g.n * g.o * g.oh * g.ow];
            unsafe { conv2d(&g, x.as_ptr(), w.as_ptr(), out.as_mut_ptr()) };
            let want = direct(&g, &x, &w);
            for (a, b) in out.iter().zip(&want) {
                assert!((*a as f64 - b).abs() < 1e-4, "{g:?}");
            }
        }
    }

    #[test]
    fn backprops_are_the_adjoints_of_forward() {
        // <conv(x, w), dy> = <x, dX(dy, w)> = <w, dW(x, dy)> for any x, w, dy.
        for g in [geo(2, 3, 7, 6, 4, 3, 2, 1, 1, 1), geo(1, 4, 6, 6, 2, 2, 1, 1, 2, 2), geo(1, 2, 3, 3, 2, 1, 1, 0, 1, 1)] {
            let x = data(g.n * g.c * g.h * g.w, 3);
            let w = data(g.o * g.c / g.groups * g.kh * g.kw, 4);
            let dy = data(g.n * g.o * g.oh * g.ow, 5);
            let y = direct(&g, &x, &w);
            let lhs: f64 = y.iter().zip(&dy).map(|(a, b)| a * *b as f64).sum();
            let mut dx = vec![0f32; x.len()];
            let mut dw = vec![0f32; w.len()];
            unsafe {
                conv2d_backprop_input(&g, dy.as_ptr(), w.as_ptr(), dx.as_mut_ptr());
                conv2d_backprop_filter(&g, x.as_ptr(), dy.as_ptr(), dw.as_mut_ptr());
            }
            let via_dx: f64 = x.iter().zip(&dx).map(|(a, b)| *a as f64 * *b as f64).sum();
            let via_dw: f64 = w.iter().zip(&dw).map(|(a, b)| *a as f64 * *b as f64).sum();
            assert!((lhs - via_dx).abs() < 1e-3, "{g:?}: {lhs} vs {via_dx}");
            assert!((lhs - via_dw).abs() < 1e-3, "{g:?}: {lhs} vs {via_dw}");
        }
    }
}
