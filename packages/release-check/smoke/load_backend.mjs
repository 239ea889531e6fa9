// Loads one backend package the way its README says, in Node or in a page: its `./register`
// entry (or, without one, its `create*Backend` factory registered under the folder's name).
// Plain JavaScript: it runs from the folder the tarballs are installed in, not the workspace.
import { listBackends, registerBackend } from '@tensile/core';

/**
 * Why WebGPU cannot run here, or null when an adapter exists. Decided without the backend, so a
 * broken WebGPU backend still fails where WebGPU itself works.
 */
export async function webgpuUnavailable() {
  const gpu = globalThis.navigator?.gpu;
  if (!gpu) return 'navigator.gpu is undefined (no WebGPU in this environment)';
  const adapter = await gpu.requestAdapter().catch((e) => { throw new Error(`requestAdapter failed: ${e}`); });
  return adapter ? null : 'navigator.gpu.requestAdapter() returned null (no GPU adapter)';
}

/**
 * Imports a backend package and returns the backend names it registered.
 * `load` imports the package's `./register` entry, `module` is its main entry (for the factory).
 * @example await registerFrom({ pkg: '@tensile/backend-js', load: () => import('@tensile/backend-js/register'), module: () => import('@tensile/backend-js') }) // ['js']
 */
export async function registerFrom({ pkg, load, module }) {
  const before = new Set(listBackends());
  if (load) await load();
  let added = listBackends().filter((n) => !before.has(n));
  if (added.length === 0) {
    const factories = Object.entries(await module()).filter(([k, v]) => /^create\w*Backend$/.test(k) && typeof v === 'function');
    if (factories.length !== 1) throw new Error(`${pkg}: no ./register entry and ${factories.length} create*Backend factories`);
    const name = pkg.replace(/^@tensile\/backend-/, '');
    registerBackend(name, factories[0][1]);
    added = [name];
  }
  return added;
}
