//! Allocation exports: the TypeScript memory manager asks for 16-byte-aligned blocks and
//! frees them on dispose; Rust's allocator (dlmalloc on wasm32) reuses freed blocks, so a
//! steady training loop stops growing memory after its first step.
use std::alloc::{Layout, alloc, dealloc};

const ALIGN: usize = 16;

/// A block of at least `bytes` (16 minimum) bytes, 16-byte aligned; 0 if memory is exhausted.
pub fn allocate(bytes: usize) -> *mut u8 {
    let size = bytes.max(ALIGN).next_multiple_of(ALIGN);
    unsafe { alloc(Layout::from_size_align_unchecked(size, ALIGN)) }
}

/// Frees a block from `allocate` of the same `bytes`.
pub unsafe fn release(p: *mut u8, bytes: usize) {
    let size = bytes.max(ALIGN).next_multiple_of(ALIGN);
    unsafe { dealloc(p, Layout::from_size_align_unchecked(size, ALIGN)) }
}

/// A kernel's scratch buffer of f32, left uninitialised: every user writes each element before
/// reading it (packed GEMM panels, im2col columns), so zero-filling megabytes per call would be
/// wasted work. Only raw pointers reach it, never a `&[f32]` over unwritten memory.
pub struct Scratch(Vec<core::mem::MaybeUninit<f32>>);

impl Scratch {
    pub fn new(len: usize) -> Scratch {
        let mut v = Vec::with_capacity(len);
        // SAFETY: MaybeUninit<f32> needs no initialisation.
        unsafe { v.set_len(len) };
        Scratch(v)
    }
    pub fn ptr(&mut self) -> *mut f32 {
        self.0.as_mut_ptr().cast()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_aligned_and_reusable() {
        let a = allocate(100);
        assert_eq!(a as usize % 16, 0);
        unsafe { release(a, 100) };
        let b = allocate(0);
        assert!(!b.is_null());
        unsafe { release(b, 0) };
    }
}
