//! Data movement: BroadcastTo, Transpose, Slice (one strided gather), Concat, Pad, Gather,
//! ScatterAdd, OneHot. Work on raw elements of 1 or 4 bytes, so every dtype shares them.
use crate::dtype::{self, F32, load, store};
use crate::walk::for_each_row;

/// out (contiguous, walked in order over `dims`) = src[base + sum idx[d] * strides[d]].
/// Serves BroadcastTo (0 strides), Slice (stepped strides) and general Transpose.
pub unsafe fn strided_copy(es: usize, src: *const u8, base: usize, dims: &[usize], strides: &[usize], out: *mut u8) {
    let r = dims.len();
    unsafe {
        if r == 0 {
            dtype::copy_elem(src, base, out, 0, es);
            return;
        }
        let inner = dims[r - 1];
        let step = strides[r - 1];
        for_each_row(dims, [strides], |o, [s]| {
            let s = s + base;
            if step == 1 {
                core::ptr::copy_nonoverlapping(src.add(s * es), out.add(o * es), inner * es);
            } else if es == 4 {
                let (sp, op) = (src as *const u32, out as *mut u32);
                for i in 0..inner {
                    *op.add(o + i) = *sp.add(s + i * step);
                }
            } else {
                for i in 0..inner {
                    *out.add(o + i) = *src.add(s + i * step);
                }
            }
        });
    }
}

/// out[j, i] = x[i, j] for x of rows x cols, in 32 x 32 tiles.
pub unsafe fn transpose2d(es: usize, x: *const u8, out: *mut u8, rows: usize, cols: usize) {
    const B: usize = 32;
    unsafe {
        for i0 in (0..rows).step_by(B) {
            let i1 = rows.min(i0 + B);
            for j0 in (0..cols).step_by(B) {
                let j1 = cols.min(j0 + B);
                for i in i0..i1 {
                    for j in j0..j1 {
                        dtype::copy_elem(x, i * cols + j, out, j * rows + i, es);
                    }
                }
            }
        }
    }
}

/// Concat: for each of `outer` rows, each input k contributes `chunks[k]` elements.
pub unsafe fn concat(es: usize, inputs: &[*const u8], chunks: &[usize], outer: usize, out: *mut u8) {
    let mut o = 0;
    unsafe {
        for i in 0..outer {
            for (x, &len) in inputs.iter().zip(chunks) {
                core::ptr::copy_nonoverlapping(x.add(i * len * es), out.add(o * es), len * es);
                o += len;
            }
        }
    }
}

/// Pad: out (of `out_size` elements, strides `out_strides`) filled with `value`, then x (of
/// `shape`) copied row by row to `dst0` + its position.
pub unsafe fn pad(dt: u32, x: *const u8, shape: &[usize], out: *mut u8, out_size: usize, out_strides: &[usize], dst0: usize, value: f64) {
    let es = dtype::size_of(dt);
    let v = if dt == dtype::BOOL { (value != 0.0) as i32 as f64 } else { value };
    unsafe {
        crate::elementwise::fill(dt, out, out_size, v);
        let r = shape.len();
        let n: usize = shape.iter().product();
        if n == 0 {
            return;
        }
        if r == 0 {
            dtype::copy_elem(x, 0, out, 0, es);
            return;
        }
        let inner = shape[r - 1];
        // Walk x's rows; the destination moves by the output strides.
        let mut ones = [0usize; 32];
        let dims_strides = &mut ones[..r];
        let mut acc = 1;
        for d in (0..r).rev() {
            dims_strides[d] = acc;
            acc *= shape[d];
        }
        for_each_row(shape, [&*dims_strides, out_strides], |_, [src, dst]| {
            core::ptr::copy_nonoverlapping(x.add(src * es), out.add((dst0 + dst) * es), inner * es);
        });
    }
}

/// Gather: x viewed as [outer, len, inner]; out [outer, m, inner] picks index j's slice;
/// negative indices wrap once, out-of-range ones give zeros.
pub unsafe fn gather(es: usize, x: *const u8, idx: *const i32, out: *mut u8, outer: usize, len: usize, inner: usize, m: usize) {
    unsafe {
        core::slice::from_raw_parts_mut(out, outer * m * inner * es).fill(0);
        for o in 0..outer {
            for j in 0..m {
                let mut k = *idx.add(j) as isize;
                if k < 0 {
                    k += len as isize;
                }
                if k < 0 || k >= len as isize {
                    continue;
                }
                let src = (o * len + k as usize) * inner;
                let dst = (o * m + j) * inner;
                core::ptr::copy_nonoverlapping(x.add(src * es), out.add(dst * es), inner * es);
            }
        }
    }
}

/// ScatterAdd: zeros [outer, size, inner], then each update slice j of [outer, m, inner]
/// added at idx[j] (negative wraps, out of range dropped), in index order.
pub unsafe fn scatter_add(dt: u32, upd: *const u8, idx: *const i32, out: *mut u8, outer: usize, size: usize, inner: usize, m: usize) {
    unsafe {
        core::slice::from_raw_parts_mut(out, outer * size * inner * dtype::size_of(dt)).fill(0);
        for o in 0..outer {
            for j in 0..m {
                let mut k = *idx.add(j) as isize;
                if k < 0 {
                    k += size as isize;
                }
                if k < 0 || k >= size as isize {
                    continue;
                }
                let src = (o * m + j) * inner;
                let dst = (o * size + k as usize) * inner;
                if dt == F32 {
                    let (u, d) = (upd as *const f32, out as *mut f32);
                    for i in 0..inner {
                        *d.add(dst + i) += *u.add(src + i);
                    }
                } else {
                    for i in 0..inner {
                        store(out, dt, dst + i, load(out, dt, dst + i) + load(upd, dt, src + i));
                    }
                }
            }
        }
    }
}

/// OneHot: out [count, depth] of dtype `dt`: `on` at each in-range index, `off` elsewhere.
pub unsafe fn one_hot(dt: u32, idx: *const i32, count: usize, depth: usize, on: f64, off: f64, out: *mut u8) {
    unsafe {
        crate::elementwise::fill(dt, out, count * depth, off);
        for j in 0..count {
            let k = *idx.add(j);
            if k >= 0 && (k as usize) < depth {
                store(out, dt, j * depth + k as usize, on);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dtype::I32;

    #[test]
    fn strided_copy_broadcasts_slices_and_transposes() {
        let x = [1i32, 2, 3, 4, 5, 6]; // [2, 3]
        let mut out = [0i32; 6];
        // Transpose to [3, 2]: out dims [3, 2], input strides [1, 3].
        unsafe { strided_copy(4, x.as_ptr() as _, 0, &[3, 2], &[1, 3], out.as_mut_ptr() as _) };
        assert_eq!(out, [1, 4, 2, 5, 3, 6]);
        // Slice [:, 1::2] -> [[2], [5]]
        let mut s = [0i32; 2];
        unsafe { strided_copy(4, x.as_ptr() as _, 1, &[2, 1], &[3, 2], s.as_mut_ptr() as _) };
        assert_eq!(s, [2, 5]);
        // BroadcastTo [3] -> [2, 3]
        unsafe { strided_copy(4, x.as_ptr() as _, 0, &[2, 3], &[0, 1], out.as_mut_ptr() as _) };
        assert_eq!(out, [1, 2, 3, 1, 2, 3]);
        let mut t = [0u8; 6];
        let b = [1u8, 2, 3, 4, 5, 6];
        unsafe { transpose2d(1, b.as_ptr(), t.as_mut_ptr(), 2, 3) };
        assert_eq!(t, [1, 4, 2, 5, 3, 6]);
    }

    #[test]
    fn concat_pad_gather_scatter_onehot() {
        let a = [1i32, 2, 3, 4];
        let b = [5i32, 6];
        let mut out = [0i32; 6];
        // [2, 2] ++ [2, 1] along axis 1
        unsafe { concat(4, &[a.as_ptr() as _, b.as_ptr() as _], &[2, 1], 2, out.as_mut_ptr() as _) };
        assert_eq!(out, [1, 2, 5, 3, 4, 6]);
        let mut p = [0i32; 8];
        // pad [2] = [7, 8] by [[1, 1]] on a [1, 2] -> [2, 4]: pads (0,1) and (1,1)
        let x = [7i32, 8];
        unsafe { pad(I32, x.as_ptr() as _, &[1, 2], p.as_mut_ptr() as _, 8, &[4, 1], 1, -1.0) };
        assert_eq!(p, [-1, 7, 8, -1, -1, -1, -1, -1]);
        let idx = [2i32, -1, 5];
        let src = [10.0f32, 20.0, 30.0];
        let mut g = [9f32; 3];
        unsafe { gather(4, src.as_ptr() as _, idx.as_ptr(), g.as_mut_ptr() as _, 1, 3, 1, 3) };
        assert_eq!(g, [30.0, 30.0, 0.0]);
        let mut s = [0f32; 3];
        unsafe { scatter_add(F32, [1.0f32, 2.0, 4.0].as_ptr() as _, idx.as_ptr(), s.as_mut_ptr() as _, 1, 3, 1, 3) };
        assert_eq!(s, [0.0, 0.0, 3.0]);
        let mut oh = [0i32; 6];
        unsafe { one_hot(I32, [1i32, 7].as_ptr(), 2, 3, 5.0, -1.0, oh.as_mut_ptr() as _) };
        assert_eq!(oh, [-1, 5, -1, -1, -1, -1]);
    }
}
