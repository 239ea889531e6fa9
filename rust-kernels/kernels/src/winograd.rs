//! Winograd F(2x2, 3x3) for 3x3 convolutions at stride 1 (Lavin & Gray, 2015): each 4x4 input
//! tile and each filter are transformed so that a 2x2 output tile costs 16 multiply-adds per
//! (input, output) channel pair instead of 36. The 16 products over all tiles are GEMMs on the
//! packed micro-kernel; the transforms run on four tiles at once (one per vector lane).
//!
//! Transforms: V = Bᵀ d B (input tile d), U = G g Gᵀ (filter g), Y = Aᵀ M A (output), with
//! Bᵀ = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1], G = [1 0 0; ½ ½ ½; ½ -½ ½; 0 0 1],
//! Aᵀ = [1 1 1 0; 0 1 -1 -1].
//!
//! The filter gradient is F(3x3, 2x2): per 2x2 tile δ of dy and the 4x4 input patch d under it,
//! dW gains Aᵀ[(G δ Gᵀ) ⊙ (Bᵀ d B)]A with Bᵀ as above but its last row negated, G = [1 0; ½ ½;
//! ½ -½; 0 1] and Aᵀ = [1 1 1 0; 0 1 -1 0; 0 1 1 1]; summed over tiles, each of the 16 elements
//! is one GEMM [o, tiles] x [tiles, c].
use crate::matmul::{Mat, sgemm};
use crate::memory::Scratch;
use crate::simd::F4;
use crate::threads::{self, Shared};

/// Channels (in and out) from which the transforms cost less than the multiply-adds they save
/// (LeNet's and a stem's few channels stay on the direct GEMM).
const MIN_CHANNELS: usize = 16;

/// Whether a 3x3 convolution at stride 1 (no dilation, no groups) with `c` input and `o` output
/// channels runs here. Padding of at most 2 lets the input gradient run here too.
pub fn applies(kh: usize, kw: usize, stride: (usize, usize), dilation: (usize, usize), groups: usize, pad: (usize, usize), c: usize, o: usize) -> bool {
    kh == 3 && kw == 3 && stride == (1, 1) && dilation == (1, 1) && groups == 1 && pad.0 <= 2 && pad.1 <= 2
        && c >= MIN_CHANNELS && o >= MIN_CHANNELS
}

/// A stride-1 3x3 convolution of `n` images of `c` planes (h x w) into `o` planes (oh x ow),
/// the input's top-left padding `pt`, `pl` (the rest of the input is zero outside too). The
/// filter comes as `u`: its 16 transformed [o, c] matrices (`transform_filter`).
pub struct Plan {
    pub n: usize,
    pub c: usize,
    pub h: usize,
    pub w: usize,
    pub o: usize,
    pub oh: usize,
    pub ow: usize,
    pub pt: usize,
    pub pl: usize,
}

/// U = G g Gᵀ for every (output, input) channel pair: 16 matrices [o, c], the 3x3 filter g of
/// pair (f, ch) read at w[f * fs + ch * cs + ki * 3 + kj], flipped 180° when `flip` (the input
/// gradient's filter).
pub unsafe fn transform_filter(w: *const f32, o: usize, c: usize, fs: usize, cs: usize, flip: bool, u: *mut f32) {
    for f in 0..o {
        for ch in 0..c {
            let mut g = [[0f32; 3]; 3];
            for (ki, row) in g.iter_mut().enumerate() {
                for (kj, v) in row.iter_mut().enumerate() {
                    let (a, b) = if flip { (2 - ki, 2 - kj) } else { (ki, kj) };
                    *v = unsafe { *w.add(f * fs + ch * cs + a * 3 + b) };
                }
            }
            // G g on columns (gg[k][i] = (G g)[i][k]), then (G g) Gᵀ on rows.
            let gg: [[f32; 4]; 3] = core::array::from_fn(|k| gt([g[0][k], g[1][k], g[2][k]]));
            for i in 0..4 {
                for (j, v) in gt([gg[0][i], gg[1][i], gg[2][i]]).into_iter().enumerate() {
                    unsafe { *u.add(((i * 4 + j) * o + f) * c + ch) = v };
                }
            }
        }
    }
}

/// G v (or, on rows, v Gᵀ) of one 3-vector.
fn gt(v: [f32; 3]) -> [f32; 4] {
    [v[0], (v[0] + v[1] + v[2]) * 0.5, (v[0] - v[1] + v[2]) * 0.5, v[2]]
}

/// Bᵀ d (or, on rows, d B) of one 4-vector.
#[inline(always)]
fn bt(d: [F4; 4]) -> [F4; 4] {
    [d[0].sub(d[2]), d[1].add(d[2]), d[2].sub(d[1]), d[1].sub(d[3])]
}

/// Aᵀ m (or m A) of one 4-vector.
#[inline(always)]
fn at(m: [F4; 4]) -> [F4; 2] {
    [m[0].add(m[1]).add(m[2]), m[1].sub(m[2]).sub(m[3])]
}

/// Transformed tiles of at most about this many floats at a time: a band of tile rows whose
/// transforms stay in L2 between the input transform, the GEMMs and the output transform.
const BAND_FLOATS: usize = 1 << 17;

/// Tile rows per band of `p` (sized for the larger of its channel counts).
fn band_rows(p: &Plan) -> usize {
    (BAND_FLOATS / (16 * p.c.max(p.o) * p.ow.div_ceil(2))).clamp(1, p.oh.div_ceil(2).max(1))
}

/// For each image i and band of tile rows: transforms that band of image i's input planes into
/// `v` (element e of channel ch's tile t at v[(e * c + ch) * tiles + t]; spread over the
/// threads, a channel per task), then calls `f(i, rows, tiles)`.
unsafe fn for_each_band(p: &Plan, x: *const f32, v: *mut f32, band: usize, mut f: impl FnMut(usize, (usize, usize), usize)) {
    let (th, tw) = (p.oh.div_ceil(2), p.ow.div_ceil(2));
    let (xs, vs) = (Shared(x), Shared(v));
    for i in 0..p.n {
        for ty0 in (0..th).step_by(band) {
            let rows = (ty0, th.min(ty0 + band));
            let tiles = (rows.1 - rows.0) * tw;
            threads::parallel_for(p.c, &|ch| unsafe {
                input_tiles(p, rows, xs.get().add((i * p.c + ch) * p.h * p.w), vs.get().add(ch * tiles), p.c * tiles);
            });
            f(i, rows, tiles);
        }
    }
}

/// Runs `plan` for x [n, c, h, w] into out [n, o, oh, ow] with the transformed filter `u`.
pub unsafe fn conv(p: &Plan, x: *const f32, u: *const f32, out: *mut f32) {
    let (th, tw) = (p.oh.div_ceil(2), p.ow.div_ceil(2));
    if p.n * p.o * th * tw == 0 {
        return;
    }
    let band = band_rows(p);
    let mut v = Scratch::new(16 * p.c * band * tw);
    let mut m = Scratch::new(16 * p.o * band * tw);
    let (vp, ms, os) = (v.ptr(), Shared(m.ptr()), Shared(out));
    unsafe {
        for_each_band(p, x, vp, band, |i, rows, tiles| {
            for e in 0..16 {
                let a = Mat { ptr: u.add(e * p.o * p.c), rs: p.c, cs: 1 };
                let b = Mat { ptr: vp.add(e * p.c * tiles), rs: tiles, cs: 1 };
                sgemm(p.o, tiles, p.c, a, b, ms.get().add(e * p.o * tiles), tiles, false);
            }
            // The output transform, like the input's, a channel per task.
            threads::parallel_for(p.o, &|f| {
                output_tiles(p, rows, ms.get().add(f * tiles), p.o * tiles, os.get().add((i * p.o + f) * p.oh * p.ow));
            });
        });
    }
}

/// V = Bᵀ d B of every tile of one input plane: element e of tile t goes to v[e * es + t].
/// Four tiles of a tile row per step; tiles wholly inside the plane read it with vector loads.
unsafe fn input_tiles(p: &Plan, rows: (usize, usize), x: *const f32, v: *mut f32, es: usize) {
    let tw = p.ow.div_ceil(2);
    let (h, w) = (p.h as isize, p.w as isize);
    unsafe {
        for ty in rows.0..rows.1 {
            let y0 = (2 * ty) as isize - p.pt as isize;
            for tx in (0..tw).step_by(4) {
                let x0 = (2 * tx) as isize - p.pl as isize;
                let lanes = 4.min(tw - tx);
                // d[r][k]: row r, column k of the four tiles' 4x4 patches, a tile per lane.
                let mut d = [[F4::zero(); 4]; 4];
                if lanes == 4 && y0 >= 0 && y0 + 4 <= h && x0 >= 0 && x0 + 10 <= w {
                    for (r, dr) in d.iter_mut().enumerate() {
                        let row = x.offset((y0 + r as isize) * w + x0);
                        let (a, b) = (F4::load(row), F4::load(row.add(4)));
                        let (c, e) = (F4::load(row.add(2)), F4::load(row.add(6)));
                        *dr = [a.evens(b), a.odds(b), c.evens(e), c.odds(e)];
                    }
                } else {
                    for (r, dr) in d.iter_mut().enumerate() {
                        for (k, dk) in dr.iter_mut().enumerate() {
                            *dk = gather(x, (h, w), y0 + r as isize, x0 + k as isize, lanes);
                        }
                    }
                }
                // Bᵀ d on columns, then d B on rows.
                let cols: [[F4; 4]; 4] = core::array::from_fn(|k| bt([d[0][k], d[1][k], d[2][k], d[3][k]]));
                let t = (ty - rows.0) * tw + tx;
                for i in 0..4 {
                    let row = bt([cols[0][i], cols[1][i], cols[2][i], cols[3][i]]);
                    for (j, vj) in row.into_iter().enumerate() {
                        store(vj, v.add((i * 4 + j) * es + t), lanes);
                    }
                }
            }
        }
    }
}

/// Y = Aᵀ M A of every tile of one output plane (element e of tile t at m[e * es + t]).
unsafe fn output_tiles(p: &Plan, rows: (usize, usize), m: *const f32, es: usize, out: *mut f32) {
    let tw = p.ow.div_ceil(2);
    unsafe {
        for ty in rows.0..rows.1 {
            for tx in (0..tw).step_by(4) {
                let lanes = 4.min(tw - tx);
                let t = (ty - rows.0) * tw + tx;
                let mm: [[F4; 4]; 4] = core::array::from_fn(|i| core::array::from_fn(|j| load(m.add((i * 4 + j) * es + t), lanes)));
                // Aᵀ M on columns, then (Aᵀ M) A on rows: y[a][b] for the tiles' 2x2 outputs.
                let cols: [[F4; 2]; 4] = core::array::from_fn(|j| at([mm[0][j], mm[1][j], mm[2][j], mm[3][j]]));
                let y: [[F4; 2]; 2] = core::array::from_fn(|a| at([cols[0][a], cols[1][a], cols[2][a], cols[3][a]]));
                let (oy, ox) = (2 * ty, 2 * tx);
                for (a, ya) in y.iter().enumerate() {
                    if oy + a >= p.oh {
                        break;
                    }
                    let row = out.add((oy + a) * p.ow + ox);
                    if lanes == 4 && ox + 8 <= p.ow {
                        ya[0].zip_lo(ya[1]).store(row);
                        ya[0].zip_hi(ya[1]).store(row.add(4));
                    } else {
                        let (l0, l1) = (ya[0].lanes(), ya[1].lanes());
                        for j in 0..lanes {
                            *row.add(2 * j) = l0[j];
                            if ox + 2 * j + 1 < p.ow {
                                *row.add(2 * j + 1) = l1[j];
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Conv2DBackpropFilter of the convolution `p` by F(3x3, 2x2): dw [o, c, 3, 3] from x
/// [n, c, h, w] and dy [n, o, oh, ow], summed over the images in order.
pub unsafe fn filter_grad(p: &Plan, x: *const f32, dy: *const f32, dw: *mut f32) {
    let (th, tw) = (p.oh.div_ceil(2), p.ow.div_ceil(2));
    let mut m = Scratch::new(16 * p.o * p.c);
    unsafe {
        if p.n * th * tw == 0 {
            core::slice::from_raw_parts_mut(dw, p.o * p.c * 9).fill(0.0);
            return;
        }
        let band = band_rows(p);
        let mut v = Scratch::new(16 * p.c * band * tw);
        let mut d = Scratch::new(16 * p.o * band * tw);
        let (vp, ds, dys) = (v.ptr(), Shared(d.ptr()), Shared(dy));
        for_each_band(p, x, vp, band, |i, rows, tiles| {
            threads::parallel_for(p.o, &|f| {
                dy_tiles(p, rows, dys.get().add((i * p.o + f) * p.oh * p.ow), ds.get().add(f * tiles), p.o * tiles);
            });
            for e in 0..16 {
                // M_e [o, c] (+)= Δ_e [o, tiles] V_eᵀ, V_e being [c, tiles].
                let a = Mat { ptr: ds.get().add(e * p.o * tiles), rs: tiles, cs: 1 };
                let b = Mat { ptr: vp.add(e * p.c * tiles), rs: 1, cs: tiles };
                sgemm(p.o, p.c, tiles, a, b, m.ptr().add(e * p.o * p.c), p.c, i > 0 || rows.0 > 0);
            }
        });
        // dW = Aᵀ M A per (output, input) channel pair.
        for fc in 0..p.o * p.c {
            let mm: [[f32; 4]; 4] = core::array::from_fn(|r| core::array::from_fn(|k| *m.ptr().add((r * 4 + k) * p.o * p.c + fc)));
            let at3 = |v: [f32; 4]| [v[0] + v[1] + v[2], v[1] - v[2], v[1] + v[2] + v[3]];
            let cols: [[f32; 3]; 4] = core::array::from_fn(|k| at3([mm[0][k], mm[1][k], mm[2][k], mm[3][k]]));
            for ki in 0..3 {
                let row = at3([cols[0][ki], cols[1][ki], cols[2][ki], cols[3][ki]]);
                for (kj, v) in row.into_iter().enumerate() {
                    *dw.add(fc * 9 + ki * 3 + kj) = v;
                }
            }
        }
    }
}

/// G δ Gᵀ of every 2x2 tile δ of one dy plane (oh x ow, zero past its edges), with rows and
/// columns 3 negated (F(3x3, 2x2)'s Bᵀ differs from `input_tiles`' in the sign of its last row;
/// the sign moves onto this factor of the product): element e of tile t to v[e * es + t].
unsafe fn dy_tiles(p: &Plan, rows: (usize, usize), dy: *const f32, v: *mut f32, es: usize) {
    let tw = p.ow.div_ceil(2);
    unsafe {
        for ty in rows.0..rows.1 {
            for tx in (0..tw).step_by(4) {
                let lanes = 4.min(tw - tx);
                // δ[a][b] of the four tiles, a tile per lane.
                let mut dl = [[F4::zero(); 2]; 2];
                let (y0, x0) = (2 * ty, 2 * tx);
                if lanes == 4 && y0 + 2 <= p.oh && x0 + 8 <= p.ow {
                    for (a, da) in dl.iter_mut().enumerate() {
                        let row = dy.add((y0 + a) * p.ow + x0);
                        let (l, r) = (F4::load(row), F4::load(row.add(4)));
                        *da = [l.evens(r), l.odds(r)];
                    }
                } else {
                    for (a, da) in dl.iter_mut().enumerate() {
                        for (b, dab) in da.iter_mut().enumerate() {
                            *dab = gather(dy, (p.oh as isize, p.ow as isize), (y0 + a) as isize, (x0 + b) as isize, lanes);
                        }
                    }
                }
                // G δ on columns, then (G δ) Gᵀ on rows; the last entries negated.
                let half = F4::splat(0.5);
                let g = |v: [F4; 2]| [v[0], v[0].add(v[1]).mul(half), v[0].sub(v[1]).mul(half), v[1].neg()];
                let cols: [[F4; 4]; 2] = core::array::from_fn(|b| g([dl[0][b], dl[1][b]]));
                let t = (ty - rows.0) * tw + tx;
                for i in 0..4 {
                    let row = g([cols[0][i], cols[1][i]]);
                    for (j, vj) in row.into_iter().enumerate() {
                        store(vj, v.add((i * 4 + j) * es + t), lanes);
                    }
                }
            }
        }
    }
}

/// Lane j (< `lanes`; the others 0) holds plane[y][x + 2j] of a plane of `size` (rows,
/// columns), or 0 outside it: one element of each of four tiles side by side at a border.
#[inline(always)]
unsafe fn gather(plane: *const f32, size: (isize, isize), y: isize, x: isize, lanes: usize) -> F4 {
    let mut l = [0f32; 4];
    for (j, lj) in l.iter_mut().enumerate().take(lanes) {
        let xj = x + 2 * j as isize;
        if y >= 0 && y < size.0 && xj >= 0 && xj < size.1 {
            *lj = unsafe { *plane.offset(y * size.1 + xj) };
        }
    }
    unsafe { F4::load(l.as_ptr()) }
}

/// Stores the first `lanes` lanes of `v` at `p`.
#[inline(always)]
unsafe fn store(v: F4, p: *mut f32, lanes: usize) {
    unsafe {
        if lanes == 4 {
            v.store(p);
        } else {
            for (j, x) in v.lanes().into_iter().enumerate().take(lanes) {
                *p.add(j) = x;
            }
        }
    }
}

/// Loads `lanes` floats at `p` (the other lanes 0).
#[inline(always)]
unsafe fn load(p: *const f32, lanes: usize) -> F4 {
    unsafe {
        if lanes == 4 {
            return F4::load(p);
        }
        let mut l = [0f32; 4];
        for (j, x) in l.iter_mut().enumerate().take(lanes) {
            *x = *p.add(j);
        }
        F4::load(l.as_ptr())
    }
}
