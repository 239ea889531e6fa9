//! Conv2D and both backprop kernels on the packed GEMM. The forward pass and the filter
//! gradient never store the column matrix (im2col): the GEMM packs its panels straight from
//! the input, one pass over it instead of writing and re-reading taps x pixels floats. The input
//! gradient computes the columns and adds them back (col2im). NCHW activations, OIHW filters,
//! cross-correlation as in PyTorch.
use crate::matmul::{Mat, NR, PARALLEL_MIN, PackB, sgemm};
use crate::memory::Scratch;
use crate::simd::F4;
use crate::threads::{self, Shared};
use crate::winograd;

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
    /// Whether Winograd runs this convolution and both its gradients.
    fn winograd(&self) -> bool {
        winograd::applies(self.kh, self.kw, (self.sh, self.sw), (self.dh, self.dw), self.groups, (self.pt, self.pl), self.c, self.o)
    }
    /// This convolution as a Winograd plan.
    fn winograd_plan(&self) -> winograd::Plan {
        winograd::Plan { n: self.n, c: self.c, h: self.h, w: self.w, o: self.o, oh: self.oh, ow: self.ow, pt: self.pt, pl: self.pl }
    }
    /// Output columns [lo, hi) whose tap at offset `off` (= kj*dw - pl) lands inside [0, w).
    fn col_range(&self, off: isize) -> (usize, usize) {
        let (s, w, ow) = (self.sw as isize, self.w as isize, self.ow as isize);
        let lo = if off >= 0 { 0 } else { (-off + s - 1) / s };
        let hi = if w - 1 - off < 0 { 0 } else { ((w - 1 - off) / s + 1).min(ow) };
        (lo.min(ow) as usize, hi.max(lo.min(ow)) as usize)
    }
}

/// One tap (ch, ki, kj) of the filter window: its input offset from a pixel's window origin,
/// and its row and column within the window.
#[derive(Clone, Copy)]
struct Tap {
    off: isize,
    dy: isize,
    dx: isize,
}

/// The taps of a channel group, in the column matrix's row order (ch, ki, kj).
fn taps(g: &Geometry) -> Vec<Tap> {
    let mut t = Vec::with_capacity(g.taps());
    for ch in 0..g.cpg() {
        for ki in 0..g.kh {
            for kj in 0..g.kw {
                let (dy, dx) = ((ki * g.dh) as isize, (kj * g.dw) as isize);
                t.push(Tap { off: (ch * g.h * g.w) as isize + dy * g.w as isize + dx, dy, dx });
            }
        }
    }
    t
}

/// The column matrix of one image's channel group, read in place: element (tap, pixel) is the
/// input under that tap of that output pixel's window, 0 in the padding.
#[derive(Clone, Copy)]
struct Columns {
    x: *const f32,
    taps: *const Tap,
    /// Output pixel of column 0 (threads take column ranges).
    first: usize,
    g: Geometry,
}

impl Columns {
    /// The window origin (top-left input row and column, padding included) of output pixel `pix`.
    fn origin(&self, pix: usize) -> (isize, isize) {
        let g = &self.g;
        let (oy, ox) = (pix / g.ow, pix % g.ow);
        ((oy * g.sh) as isize - g.pt as isize, (ox * g.sw) as isize - g.pl as isize)
    }
    /// The input under tap `t` of the window at (iy, ix), or 0 in the padding.
    #[inline(always)]
    unsafe fn at(&self, t: Tap, iy: isize, ix: isize) -> f32 {
        let (y, x) = (iy + t.dy, ix + t.dx);
        if y < 0 || x < 0 || y >= self.g.h as isize || x >= self.g.w as isize {
            return 0.0;
        }
        unsafe { *self.x.offset(t.off + iy * self.g.w as isize + ix) }
    }
    /// Copies the inputs under one tap of NR windows side by side in one row (`src`: the first
    /// one's) to `dst`: two vector loads at stride 1, four and two shuffles at stride 2 when
    /// `pairs` says the float after the last one is in the row too.
    #[inline(always)]
    unsafe fn copy_row(&self, src: *const f32, dst: *mut f32, pairs: bool) {
        unsafe {
            if self.g.sw == 1 {
                F4::load(src).store(dst);
                F4::load(src.add(4)).store(dst.add(4));
            } else if pairs {
                F4::load(src).evens(F4::load(src.add(4))).store(dst);
                F4::load(src.add(8)).evens(F4::load(src.add(12))).store(dst.add(4));
            } else {
                for c in 0..NR {
                    *dst.add(c) = *src.add(c * self.g.sw);
                }
            }
        }
    }
    /// Whether the input block of `span_y` rows x `span_x` columns from (iy, ix) lies inside the plane.
    fn inside(&self, iy: isize, ix: isize, span_y: isize, span_x: isize) -> bool {
        let g = &self.g;
        iy >= 0 && ix >= 0 && iy + span_y <= g.h as isize && ix + span_x <= g.w as isize
    }
}

impl PackB for Columns {
    /// Panels of NR pixels. NR neighbours of one output row read their inputs per tap with
    /// `copy_row`, without checks when all their windows lie inside, else checking the row and
    /// the column range once per tap; a panel across rows gathers, checking every element only if
    /// one of its windows reaches the padding.
    unsafe fn pack(&self, p0: usize, kc: usize, j0: usize, nc: usize, dst: *mut f32) {
        let g = &self.g;
        let (span_y, span_x) = (((g.kh - 1) * g.dh + 1) as isize, ((g.kw - 1) * g.dw + 1) as isize);
        unsafe {
            let taps = self.taps.add(p0);
            let mut jr = 0;
            while jr < nc {
                let cols = NR.min(nc - jr);
                let d = dst.add(jr * kc);
                let pix = self.first + j0 + jr;
                let (iy, ix) = self.origin(pix);
                let row = cols == NR && self.origin(pix + NR - 1).0 == iy;
                let span_row = span_x + ((NR - 1) * g.sw) as isize;
                // The shuffles read one float past the last window: it must be in the row.
                let pairs = g.sw == 2 && ix + span_row < g.w as isize;
                if row && self.inside(iy, ix, span_y, span_row) {
                    // NR windows side by side in one row, all inside: no checks.
                    let base = self.x.offset(iy * g.w as isize + ix);
                    for p in 0..kc {
                        self.copy_row(base.offset((*taps.add(p)).off), d.add(p * NR), pairs);
                    }
                } else if row {
                    // One row at the border: per tap, the columns [lo, hi) that land inside.
                    let (h, w, sw) = (g.h as isize, g.w as isize, g.sw as isize);
                    for p in 0..kc {
                        let t = *taps.add(p);
                        let dp = d.add(p * NR);
                        let (y, x0) = (iy + t.dy, ix + t.dx);
                        let lo = if x0 >= 0 { 0 } else { (-x0 + sw - 1) / sw };
                        let hi = if x0 >= w { 0 } else { ((w - 1 - x0) / sw + 1).min(NR as isize) };
                        if y < 0 || y >= h || lo >= hi {
                            F4::zero().store(dp);
                            F4::zero().store(dp.add(4));
                        } else if lo == 0 && hi == NR as isize {
                            self.copy_row(self.x.offset(t.off + iy * w + ix), dp, pairs);
                        } else {
                            for c in 0..NR as isize {
                                let inside = c >= lo && c < hi;
                                *dp.offset(c) = if inside { *self.x.offset(t.off + iy * w + ix + c * sw) } else { 0.0 };
                            }
                        }
                    }
                } else {
                    // Across output rows (or a partial panel): per column, its window origin.
                    let mut o = [(0isize, 0isize); NR];
                    let mut inside = cols == NR;
                    for c in 0..NR {
                        o[c] = self.origin(pix + c.min(cols - 1));
                        inside &= self.inside(o[c].0, o[c].1, span_y, span_x);
                    }
                    if inside {
                        // Every window inside (no padding reached): a gather without checks.
                        let base = o.map(|(y, x)| self.x.offset(y * g.w as isize + x));
                        for p in 0..kc {
                            let off = (*taps.add(p)).off;
                            for c in 0..NR {
                                *d.add(p * NR + c) = *base[c].offset(off);
                            }
                        }
                    } else {
                        for p in 0..kc {
                            let t = *taps.add(p);
                            for c in 0..NR {
                                *d.add(p * NR + c) = if c < cols { self.at(t, o[c].0, o[c].1) } else { 0.0 };
                            }
                        }
                    }
                }
                jr += NR;
            }
        }
    }
    unsafe fn skip_cols(self, j0: usize) -> Columns {
        Columns { first: self.first + j0, ..self }
    }
}

/// The transposed column matrix (pixel, tap), read in place: the filter gradient's B operand.
#[derive(Clone, Copy)]
struct ColumnsT(Columns);

impl PackB for ColumnsT {
    /// Panels of NR taps over kc pixels: a pixel whose whole window lies inside skips the checks.
    unsafe fn pack(&self, p0: usize, kc: usize, j0: usize, nc: usize, dst: *mut f32) {
        let c0 = &self.0;
        let g = &c0.g;
        let (span_y, span_x) = (((g.kh - 1) * g.dh + 1) as isize, ((g.kw - 1) * g.dw + 1) as isize);
        unsafe {
            let mut jr = 0;
            while jr < nc {
                let cols = NR.min(nc - jr);
                let d = dst.add(jr * kc);
                let t: [Tap; NR] = core::array::from_fn(|c| *c0.taps.add(c0.first + j0 + jr + c.min(cols - 1)));
                for p in 0..kc {
                    let (iy, ix) = c0.origin(p0 + p);
                    let dp = d.add(p * NR);
                    if c0.inside(iy, ix, span_y, span_x) {
                        let base = c0.x.offset(iy * g.w as isize + ix);
                        for c in 0..NR {
                            *dp.add(c) = if c < cols { *base.offset(t[c].off) } else { 0.0 };
                        }
                    } else {
                        for c in 0..NR {
                            *dp.add(c) = if c < cols { c0.at(t[c], iy, ix) } else { 0.0 };
                        }
                    }
                }
                jr += NR;
            }
        }
    }
    unsafe fn skip_cols(self, j0: usize) -> ColumnsT {
        ColumnsT(Columns { first: self.0.first + j0, ..self.0 })
    }
}

/// The adjoint of the column matrix: adds col (taps x pixels) back into one image's channel group of dx.
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

/// Images per partial sum of the filter gradient: the batch is summed in chunks of this many
/// images, then the chunks in order, so the bits do not depend on which thread took which chunk.
const CHUNK: usize = 8;

/// Runs `f(0..count)`: spread over the threads when the GEMMs inside one call (`macs`
/// multiply-adds each) are too small for `sgemm` to split, else in order here, each GEMM split.
/// LeNet's per-image GEMMs are all below that size.
fn for_each(count: usize, macs: usize, f: &(dyn Fn(usize) + Sync)) {
    if count > 1 && macs < PARALLEL_MIN {
        threads::parallel_for(count, f)
    } else {
        (0..count).for_each(f)
    }
}

/// Conv2D: out [n, o, oh, ow] = x * w.
pub unsafe fn conv2d(g: &Geometry, x: *const f32, w: *const f32, out: *mut f32) {
    let (cpg, opg, k, hw) = (g.cpg(), g.opg(), g.taps(), g.hw());
    if g.n * g.o * hw == 0 {
        return;
    }
    if g.winograd() {
        let mut u = Scratch::new(16 * g.o * g.c);
        unsafe {
            winograd::transform_filter(w, g.o, g.c, g.c * 9, 9, false, u.ptr());
            winograd::conv(&g.winograd_plan(), x, u.ptr(), out);
        }
        return;
    }
    let taps = taps(g);
    let (x, w, out, tp) = (Shared(x), Shared(w), Shared(out), Shared(taps.as_ptr()));
    for_each(g.n, opg * hw * k, &|i| unsafe {
        for gi in 0..g.groups {
            let xg = x.get().add((i * g.c + gi * cpg) * g.h * g.w);
            let a = Mat { ptr: w.get().add(gi * opg * k), rs: k, cs: 1 };
            let c = out.get().add((i * g.o + gi * opg) * hw);
            if g.pointwise() {
                sgemm(opg, hw, k, a, Mat { ptr: xg, rs: hw, cs: 1 }, c, hw, false);
            } else {
                sgemm(opg, hw, k, a, Columns { x: xg, taps: tp.get(), first: 0, g: *g }, c, hw, false);
            }
        }
    });
}

/// Conv2DBackpropInput: dx [n, c, h, w] from dy [n, o, oh, ow] and w.
pub unsafe fn conv2d_backprop_input(g: &Geometry, dy: *const f32, w: *const f32, dx: *mut f32) {
    let (cpg, opg, k, hw) = (g.cpg(), g.opg(), g.taps(), g.hw());
    if g.winograd() && hw > 0 {
        // dx is the full convolution of dy with the filter turned 180° and its channels swapped:
        // padding 2 - p at the top left, and dx's planes as the output (every element written).
        let mut u = Scratch::new(16 * g.o * g.c);
        let plan = winograd::Plan { n: g.n, c: g.o, h: g.oh, w: g.ow, o: g.c, oh: g.h, ow: g.w, pt: 2 - g.pt, pl: 2 - g.pl };
        unsafe {
            winograd::transform_filter(w, g.c, g.o, 9, g.c * 9, true, u.ptr());
            winograd::conv(&plan, dy, u.ptr(), dx);
        }
        return;
    }
    // col2im adds into dx.
    unsafe {
        core::slice::from_raw_parts_mut(dx, g.n * g.c * g.h * g.w).fill(0.0);
    }
    if hw == 0 {
        return;
    }
    let (dy, w, dx) = (Shared(dy), Shared(w), Shared(dx));
    for_each(g.n, k * hw * opg, &|i| unsafe {
        let mut col = Scratch::new(if g.pointwise() { 0 } else { k * hw });
        for gi in 0..g.groups {
            // w_g^T: element (q, f) = w[(gi*opg + f) * k + q].
            let a = Mat { ptr: w.get().add(gi * opg * k), rs: 1, cs: k };
            let b = Mat { ptr: dy.get().add((i * g.o + gi * opg) * hw), rs: hw, cs: 1 };
            let dxg = dx.get().add((i * g.c + gi * cpg) * g.h * g.w);
            if g.pointwise() {
                sgemm(cpg, hw, opg, a, b, dxg, hw, false);
            } else {
                sgemm(k, hw, opg, a, b, col.ptr(), hw, false);
                col2im(g, col.ptr(), dxg);
            }
        }
    });
}

/// Conv2DBackpropFilter: dw [o, c/groups, kh, kw] from x and dy (summed over the batch, in
/// chunks of `CHUNK` images: the first chunk's sum goes to dw, the others' to scratch, added
/// to dw in order).
pub unsafe fn conv2d_backprop_filter(g: &Geometry, x: *const f32, dy: *const f32, dw: *mut f32) {
    let (cpg, opg, k, hw) = (g.cpg(), g.opg(), g.taps(), g.hw());
    let size = g.o * k;
    unsafe {
        core::slice::from_raw_parts_mut(dw, size).fill(0.0);
    }
    if hw == 0 || g.n == 0 {
        return;
    }
    if g.winograd() {
        unsafe { winograd::filter_grad(&g.winograd_plan(), x, dy, dw) };
        return;
    }
    let taps = taps(g);
    let chunks = g.n.div_ceil(CHUNK);
    let mut partial = Scratch::new((chunks - 1) * size);
    let (x, dy, tp) = (Shared(x), Shared(dy), Shared(taps.as_ptr()));
    let (dw, rest) = (Shared(dw), Shared(partial.ptr()));
    for_each(chunks, opg * k * hw, &|j| unsafe {
        let sum = if j == 0 { dw.get() } else { rest.get().add((j - 1) * size) };
        for i in j * CHUNK..g.n.min((j + 1) * CHUNK) {
            for gi in 0..g.groups {
                let xg = x.get().add((i * g.c + gi * cpg) * g.h * g.w);
                let a = Mat { ptr: dy.get().add((i * g.o + gi * opg) * hw), rs: hw, cs: 1 };
                let c = sum.add(gi * opg * k);
                if g.pointwise() {
                    // x^T: element (p, ch) = x[ch * hw + p].
                    sgemm(opg, k, hw, a, Mat { ptr: xg, rs: 1, cs: hw }, c, k, i > j * CHUNK);
                } else {
                    let cols = ColumnsT(Columns { x: xg, taps: tp.get(), first: 0, g: *g });
                    sgemm(opg, k, hw, a, cols, c, k, i > j * CHUNK);
                }
            }
        }
    });
    unsafe {
        let dw = core::slice::from_raw_parts_mut(dw.get(), size);
        for j in 1..chunks {
            let part = core::slice::from_raw_parts(rest.get().add((j - 1) * size), size);
            dw.iter_mut().zip(part).for_each(|(d, p)| *d += *p);
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

    /// Geometries for both tests. Rows of 20 pixels: panels of NR = 8 straddle output rows,
    /// and interior panels take the vector paths (stride 1, and stride 2 on the 40- and 30-wide
    /// inputs); the 37-wide input with a 5x5 window at dilation 2 has few of them; 19 images:
    /// the filter gradient sums chunks of 8, 8 and 3. The last four run Winograd (3x3, stride
    /// 1, 16+ channels): odd output sizes leave partial tiles, 21-wide rows hold tiles read with
    /// vectors, padding 2 makes the input gradient's padding 0, and 40x64 planes take two bands
    /// of tile rows (16 and 4).
    fn geometries() -> [Geometry; 15] {
        [
            geo(2, 3, 7, 6, 4, 3, 1, 1, 1, 1),
            geo(1, 4, 9, 9, 6, 3, 2, 0, 2, 2),
            geo(2, 5, 4, 4, 3, 1, 1, 0, 1, 1),
            geo(2, 3, 7, 6, 4, 3, 2, 1, 1, 1),
            geo(1, 4, 6, 6, 2, 2, 1, 1, 2, 2),
            geo(1, 2, 3, 3, 2, 1, 1, 0, 1, 1),
            geo(2, 2, 12, 20, 3, 3, 1, 1, 1, 1),
            geo(1, 3, 11, 37, 5, 5, 1, 3, 2, 1),
            geo(1, 2, 9, 40, 3, 3, 2, 1, 1, 1),
            geo(1, 3, 30, 30, 4, 7, 2, 3, 1, 1),
            geo(19, 2, 5, 6, 3, 3, 1, 1, 1, 1),
            geo(2, 16, 9, 11, 17, 3, 1, 1, 1, 1),
            geo(1, 16, 12, 21, 16, 3, 1, 0, 1, 1),
            geo(1, 17, 11, 20, 16, 3, 1, 2, 1, 1),
            geo(1, 16, 40, 64, 16, 3, 1, 1, 1, 1),
        ]
    }

    #[test]
    fn the_last_geometries_take_winograd_and_the_others_do_not() {
        let on: Vec<bool> = geometries().iter().map(|g| g.winograd()).collect();
        assert_eq!(on.iter().filter(|w| **w).count(), 4);
        assert!(on[11..].iter().all(|w| *w));
    }

    #[test]
    fn forward_matches_the_definition() {
        for g in geometries() {
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
        for g in geometries() {
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
