//! Row iteration over a (merged) broadcast/permutation plan: the TypeScript side merges dims
//! and computes each operand's element strides; kernels walk the output in order, one
//! innermost row at a time, with each operand's offset at the row start.

/// Calls `row(out_offset, offsets)` for every innermost row of `dims` (row length is the last
/// dim); `strides[k]` are operand k's element strides over `dims`.
#[inline(always)]
pub fn for_each_row<const K: usize>(dims: &[usize], strides: [&[usize]; K], mut row: impl FnMut(usize, [usize; K])) {
    let r = dims.len();
    if r == 0 {
        row(0, [0; K]);
        return;
    }
    let inner = dims[r - 1];
    let size: usize = dims.iter().product();
    if size == 0 {
        return;
    }
    let rows = size / inner;
    let mut idx = [0usize; 32];
    let mut offs = [0usize; K];
    for i in 0..rows {
        row(i * inner, offs);
        let mut d = r - 1;
        while d > 0 {
            d -= 1;
            idx[d] += 1;
            for k in 0..K {
                offs[k] += strides[k][d];
            }
            if idx[d] < dims[d] {
                break;
            }
            for k in 0..K {
                offs[k] -= strides[k][d] * dims[d];
            }
            idx[d] = 0;
        }
    }
}

/// A plan as the TypeScript side lays it out in the parameter block:
/// `[rank, dims[rank], strides_0[rank], ..., strides_{K-1}[rank]]`.
pub struct Plan<'a> {
    pub dims: &'a [usize],
    pub strides: [&'a [usize]; 3],
}

/// Reads a plan of `k` operands from `p` (u32 words).
pub unsafe fn read_plan<'a>(p: *const usize, k: usize) -> Plan<'a> {
    unsafe {
        let r = *p;
        let dims = core::slice::from_raw_parts(p.add(1), r);
        let mut strides: [&[usize]; 3] = [&[], &[], &[]];
        for j in 0..k {
            strides[j] = core::slice::from_raw_parts(p.add(1 + r * (j + 1)), r);
        }
        Plan { dims, strides }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_broadcast_rows_in_output_order() {
        // out [2, 3] from a [2, 1] (stride 1, 0) and b [3] (stride 0, 1)
        let mut seen = vec![];
        for_each_row(&[2, 3], [&[1, 0], &[0, 1]], |o, offs| seen.push((o, offs)));
        assert_eq!(seen, vec![(0, [0, 0]), (3, [1, 0])]);
        let mut n = 0;
        for_each_row(&[2, 0, 4], [&[0, 0, 1]], |_, _| n += 1);
        assert_eq!(n, 0);
    }
}
