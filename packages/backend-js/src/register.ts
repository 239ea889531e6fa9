// Side-effect entry: `import '@tensile/backend-js/register'` makes the 'js' backend available.
import { registerBackend } from '@tensile/core';
import { createJsBackend } from './backend.js';

registerBackend('js', createJsBackend, { priority: 1 });
