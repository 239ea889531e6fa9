//! The wasm artifact: links every `#[unsafe(no_mangle)]` kernel export of `tensile-kernels`.
//! wasm-bindgen is a dependency only because wasm-pack runs the wasm-bindgen CLI; the
//! TypeScript loader instantiates the raw exports itself.
pub use tensile_kernels::*;
