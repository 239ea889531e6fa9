// Side-effect entry: `import '@tensile/backend-webgpu/register'` makes the 'webgpu' backend available.
import { registerBackend } from '@tensile/core';
import { createWebGpuBackend } from './backend.js';

registerBackend('webgpu', () => createWebGpuBackend(), { priority: 0 });
