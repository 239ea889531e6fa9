//! The wasm artifact: links every `#[unsafe(no_mangle)]` kernel export of `tensile-kernels`.
//! wasm-bindgen is a dependency only because wasm-pack runs the wasm-bindgen CLI, which needs
//! at least one binding to process; the TypeScript loader instantiates the raw exports itself.
use wasm_bindgen::prelude::wasm_bindgen;

pub use tensile_kernels::*;

/// Version of the `tk_*` ABI (rust-kernels/kernels/src/exports.rs); the loader checks it.
#[wasm_bindgen]
pub fn abi_version() -> u32 {
    1
}
