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
