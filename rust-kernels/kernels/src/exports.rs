//! The C ABI the TypeScript backend calls: one `tk_*` export per contract kernel (plus the
//! fused FusedMatMul, BatchNorm and LayerNorm, and the allocator). Arguments are byte
//! addresses, dtype/op codes and sizes; variable-length geometry (shapes, strides, offsets)
//! sits in a parameter block of u32 words at `p`, laid out as each export documents. Rank-0
//! plans have rank 0.
use crate::walk::read_plan;
use crate::{conv, dtype, elementwise, matmul, memory, movement, norm, pool, random, reduce, threads};
use core::slice::from_raw_parts;

#[inline(always)]
fn ptr<T>(a: usize) -> *const T {
    a as *const T
}
#[inline(always)]
fn mptr<T>(a: usize) -> *mut T {
    a as *mut T
}

/// A 16-byte-aligned block of at least `bytes` bytes (0 when memory is exhausted).
#[unsafe(no_mangle)]
pub extern "C" fn tk_alloc(bytes: usize) -> usize {
    memory::allocate(bytes) as usize
}

/// Frees a block from `tk_alloc(bytes)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tk_free(at: usize, bytes: usize) {
    unsafe { memory::release(mptr(at), bytes) }
}

/// Lets kernels use up to `n` threads, the caller included (the threaded build; else a no-op);
/// `can_block` 1 lets the caller sleep on memory.atomic.wait (never on a browser's main thread).
#[unsafe(no_mangle)]
pub extern "C" fn tk_set_threads(n: usize, can_block: u32) {
    threads::set_threads(n, can_block != 0)
}

/// Threads kernels use now: the limit, at most the parked workers plus the caller.
#[unsafe(no_mangle)]
pub extern "C" fn tk_threads() -> usize {
    threads::threads()
}

/// Parks a worker thread (one that instantiated this module on the shared memory, set its
/// stack pointer and TLS) forever, running its share of every parallel kernel.
#[unsafe(no_mangle)]
pub extern "C" fn tk_worker_loop() {
    threads::worker_loop()
}

/// Unary over n elements; `alpha` NaN selects the op's default.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tk_unary(op: u32, dt: u32, x: usize, out: usize, n: usize, alpha: f64) {
    unsafe { elementwise::unary(op, dt, ptr(x), mptr(out), n, alpha) }
}

/// Binary; p = plan of 2 operands (a, b).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tk_binary(op: u32, dt: u32, a: usize, b: usize, out: usize, p: usize) {
    unsafe { elementwise::binary(op, dt, ptr(a), ptr(b), mptr(out), &read_plan(ptr(p), 2)) }
}

/// Where; p = plan of 3 operands (cond, a, b).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tk_where(dt: u32, cond: usize, a: usize, b: usize, out: usize, p: usize) {
    unsafe { elementwise::select(dt, ptr(cond), ptr(a), ptr(b), mptr(out), &read_plan(ptr(p), 3)) }
}

/// Fill n elements of dt with value.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tk_fill(dt: u32, out: usize, n: usize, value: f64) {
    unsafe { elementwise::fill(dt, mptr(out), n, value) }
}

/// BroadcastTo; p = plan of 1 operand (x's strides over the output dims, 0 where broadcast).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tk_broadcast_to(dt: u32, x: usize, out: usize, p: usize) {
    let plan = unsafe { read_plan(ptr(p), 1) };
    unsafe { movement::strided_copy(dtype::size_of(dt), ptr(x), 0, plan.dims, plan.strides[0], mptr(out)) }
}

/// Cast n elements from dtype src to dtype dst.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tk_cast(src: u32, dst: u32, x: usize, out: usize, n: usize) {
    unsafe { elementwise::cast(src, dst, ptr(x), mptr(out), n) }
}

/// Reduce; p = [g, sizes[g], reduced[g] (0/1), out_strides[g], count].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tk_reduce(op: u32, dt: u32, x: usize, n: usize, out: usize, out_size: usize, p: usize) {
    unsafe {
        let w: *const usize = ptr(p);
        let g = *w;
        let sizes = from_raw_parts(w.add(1), g);
        let reduced = from_raw_parts(w.add(1 + g), g);
        let strides = from_raw_parts(w.add(1 + 2 * g), g);
        let count = *w.add(1 + 3 * g);
        reduce::reduce(op, dt, ptr(x), n, mptr(out), out_size, sizes, reduced, strides, count)
    }
}

/// ArgReduce (op 0 max, 1 min) of x viewed as [outer, len, inner] into int32 out.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tk_arg_reduce(op: u32, dt: u32, x: usize, out: usize, outer: usize, len: usize, inner: usize) {
    unsafe { reduce::arg_reduce(op, dt, ptr(x), mptr(out), outer, len, inner) }
}

/// Softmax / log-softmax of float32 x viewed as [outer, len, inner] along len.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tk_softmax(x: usize, out: usize, outer: usize, len: usize, inner: usize, log: u32) {
    unsafe { reduce::softmax(ptr(x), mptr(out), outer, len, inner, log != 0) }
}

/// MatMul of `count` matrix pairs; p = [a_off, b_off, out_off] * count (elements).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tk_matmul(
    dt: u32, a: usize, b: usize, out: usize, rows: usize, n: usize, k: usize, ta: u32, tb: u32, p: usize, count: usize,
) {
    unsafe {
        let offs = from_raw_parts(ptr::<usize>(p), 3 * count);
        if dt == dtype::F32 {
            matmul::matmul_f32(ptr(a), ptr(b), mptr(out), rows, n, k, ta != 0, tb != 0, offs)
        } else {
            matmul::matmul_i32(ptr(a), ptr(b), mptr(out), rows, n, k, ta != 0, tb != 0, offs)
        }
    }
}

/// FusedMatMul: float32 MatMul, then + bias (address 0: none), then ReLU if `relu`;
/// `out_rows` = rows of the whole output.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tk_fused_matmul(
    a: usize, b: usize, bias: usize, out: usize, rows: usize, n: usize, k: usize, ta: u32, tb: u32, p: usize,
    count: usize, out_rows: usize, relu: u32,
) {
    unsafe {
        let offs = from_raw_parts(ptr::<usize>(p), 3 * count);
        matmul::matmul_f32(ptr(a), ptr(b), mptr(out), rows, n, k, ta != 0, tb != 0, offs);
        if bias != 0 || relu != 0 {
            let bp = if bias == 0 { core::ptr::null() } else { ptr(bias) };
            matmul::bias_act(mptr(out), out_rows, n, bp, relu != 0);
        }
    }
}

/// BatchNorm of float32 x viewed as [outer, c, inner]; weight and bias 0 when absent.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tk_batch_norm(
    x: usize, mean: usize, variance: usize, weight: usize, bias: usize, out: usize, outer: usize, c: usize,
    inner: usize, eps: f32,
) {
    unsafe {
        norm::batch_norm(ptr(x), ptr(mean), ptr(variance), ptr(weight), ptr(bias), mptr(out), outer, c, inner, eps)
    }
}

/// LayerNorm of float32 x as `rows` rows of `len`; weight and bias ([len]) 0 when absent.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tk_layer_norm(x: usize, weight: usize, bias: usize, out: usize, rows: usize, len: usize, eps: f32) {
    unsafe { norm::layer_norm(ptr(x), ptr(weight), ptr(bias), mptr(out), rows, len, eps) }
}

/// Conv2D; p = the 16-word `conv::Geometry`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tk_conv2d(x: usize, w: usize, out: usize, p: usize) {
    unsafe { conv::conv2d(&conv::Geometry::read(ptr(p)), ptr(x), ptr(w), mptr(out)) }
}

/// Conv2DBackpropInput; p = the forward convolution's geometry.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tk_conv2d_backprop_input(dy: usize, w: usize, dx: usize, p: usize) {
    unsafe { conv::conv2d_backprop_input(&conv::Geometry::read(ptr(p)), ptr(dy), ptr(w), mptr(dx)) }
}

/// Conv2DBackpropFilter; p = the forward convolution's geometry.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tk_conv2d_backprop_filter(x: usize, dy: usize, dw: usize, p: usize) {
    unsafe { conv::conv2d_backprop_filter(&conv::Geometry::read(ptr(p)), ptr(x), ptr(dy), mptr(dw)) }
}

/// Pool2D; p = the 18-word `pool::PoolGeometry`; `indices` selects int32 argmax output.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tk_pool2d(x: usize, out: usize, p: usize, indices: u32) {
    unsafe { pool::pool2d(&pool::PoolGeometry::read(ptr(p)), ptr(x), mptr(out), indices != 0) }
}

/// Pool2DGrad; p = the 18-word `pool::PoolGeometry`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tk_pool2d_grad(x: usize, dy: usize, dx: usize, p: usize) {
    unsafe { pool::pool2d_grad(&pool::PoolGeometry::read(ptr(p)), ptr(x), ptr(dy), mptr(dx)) }
}

/// Transpose; p = plan of 1 operand: output dims (coalesced) and x's strides along them.
/// A plain 2-D transpose (strides [1, rows]) runs cache-blocked.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tk_transpose(dt: u32, x: usize, out: usize, p: usize) {
    unsafe {
        let plan = read_plan(ptr(p), 1);
        let es = dtype::size_of(dt);
        let d = plan.dims;
        if d.len() == 2 && plan.strides[0] == [1, d[0]] {
            movement::transpose2d(es, ptr(x), mptr(out), d[1], d[0]);
        } else {
            movement::strided_copy(es, ptr(x), 0, d, plan.strides[0], mptr(out));
        }
    }
}

/// Slice; p = plan of 1 operand (size per axis, stride * step per axis); `base` = begin offset.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tk_slice(dt: u32, x: usize, base: usize, out: usize, p: usize) {
    unsafe {
        let plan = read_plan(ptr(p), 1);
        movement::strided_copy(dtype::size_of(dt), ptr(x), base, plan.dims, plan.strides[0], mptr(out))
    }
}

/// Concat; p = [k, (address, chunk elements) * k]; `outer` rows.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tk_concat(dt: u32, out: usize, outer: usize, p: usize) {
    unsafe {
        let w: *const usize = ptr(p);
        let k = *w;
        let mut inputs = Vec::with_capacity(k);
        let mut chunks = Vec::with_capacity(k);
        for i in 0..k {
            inputs.push(ptr::<u8>(*w.add(1 + 2 * i)));
            chunks.push(*w.add(2 + 2 * i));
        }
        movement::concat(dtype::size_of(dt), &inputs, &chunks, outer, mptr(out))
    }
}

/// Pad; p = [r, shape[r], out_strides[r], dst0]; out has `out_size` elements.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tk_pad(dt: u32, x: usize, out: usize, out_size: usize, p: usize, value: f64) {
    unsafe {
        let w: *const usize = ptr(p);
        let r = *w;
        let shape = from_raw_parts(w.add(1), r);
        let strides = from_raw_parts(w.add(1 + r), r);
        movement::pad(dt, ptr(x), shape, mptr(out), out_size, strides, *w.add(1 + 2 * r), value)
    }
}

/// Gather of x viewed as [outer, len, inner] by m int32 indices.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tk_gather(dt: u32, x: usize, idx: usize, out: usize, outer: usize, len: usize, inner: usize, m: usize) {
    unsafe { movement::gather(dtype::size_of(dt), ptr(x), ptr(idx), mptr(out), outer, len, inner, m) }
}

/// ScatterAdd of updates [outer, m, inner] into zeros [outer, size, inner].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tk_scatter_add(dt: u32, upd: usize, idx: usize, out: usize, outer: usize, size: usize, inner: usize, m: usize) {
    unsafe { movement::scatter_add(dt, ptr(upd), ptr(idx), mptr(out), outer, size, inner, m) }
}

/// OneHot of `count` int32 indices into [count, depth] of dtype dt.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tk_one_hot(dt: u32, idx: usize, count: usize, depth: usize, on: f64, off: f64, out: usize) {
    unsafe { movement::one_hot(dt, ptr(idx), count, depth, on, off, mptr(out)) }
}

/// Random: n float32 numbers, uniform (dist 0) or normal (dist 1), stream (seed, offset).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tk_random(dist: u32, seed: f64, offset: f64, out: usize, n: usize) {
    unsafe { random::fill(dist, seed, offset, core::slice::from_raw_parts_mut(mptr(out), n)) }
}
