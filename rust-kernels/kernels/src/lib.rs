//! Tensile's compute kernels, one module per kernel family. Every kernel of the backend
//! contract (`packages/core/src/backend/kernels.ts`) has a `tk_*` export in `exports`;
//! the TypeScript side only lays out pointers and shapes (bookkeeping) and calls them.
//!
//! Pointers are byte addresses in linear memory; dtype codes are those of `dtype`.
// The threaded build (nightly, +atomics) waits and notifies with the wasm atomics intrinsics.
#![cfg_attr(target_feature = "atomics", feature(stdarch_wasm_atomic_wait))]
#![allow(clippy::missing_safety_doc, clippy::too_many_arguments, clippy::needless_range_loop)]

pub mod conv;
pub mod dtype;
pub mod elementwise;
pub mod exports;
pub mod math;
pub mod matmul;
pub mod memory;
pub mod movement;
pub mod norm;
pub mod pool;
pub mod pool_2x2;
pub mod random;
pub mod reduce;
pub mod simd;
pub mod threads;
pub mod walk;
pub mod winograd;
