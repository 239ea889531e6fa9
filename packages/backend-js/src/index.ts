// @tensile/backend-js: the plain-TypeScript reference backend.
export { createJsBackend } from './backend.js';
export type { JsBackend, JsData } from './backend.js';
