// Side-effect entry: `import '@tensile/backend-wasm/register'` makes the 'wasm' backend
// available, preferred over 'js' (priority 2 > 1) wherever its kernels load.
import { registerBackend } from '@tensile/core';
import { createWasmBackend } from './backend.js';

registerBackend('wasm', () => createWasmBackend(), { priority: 2 });
