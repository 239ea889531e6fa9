// backend-webgpu's kernels against backend-js's on random inputs over many shapes: every kernel,
// odd sizes, vec4 and tile edges, broadcasting and empty tensors (Dawn; SwiftShader here).
import { createJsBackend } from '@tensile/backend-js';
import { describeDifferential } from '@tensile/conformance';
import { createWebGpuBackend } from '../src/index.js';

describeDifferential('webgpu', () => createWebGpuBackend(), { reference: createJsBackend });
