//! The threaded wasm artifact: the same `tk_*` kernel exports as the `wasm` crate, built with
//! `+atomics` on an imported shared memory so worker threads can run parts of a kernel
//! (packages/backend-wasm/scripts/build_wasm.mjs has the flags). No wasm-bindgen: its thread
//! transform would manage stacks and TLS itself; the TypeScript loader does that here.
pub use tensile_kernels::*;

/// Version of the `tk_*` ABI (rust-kernels/kernels/src/exports.rs); the loader checks it.
#[unsafe(no_mangle)]
pub extern "C" fn abi_version() -> u32 {
    1
}
