import '@tensile/backend-wasm/register';
import { setBackend, randn, rand, dispose } from '@tensile/core';
await setBackend('wasm');
for (const [name, f] of [['rand', () => rand([102760448], { seed: 1 })], ['randn', () => randn([102760448], { seed: 1 })], ['randn std', () => randn([102760448], { seed: 1, std: 0.01 })], ['rand', () => rand([102760448], { seed: 1 })]]) {
  const t = performance.now(); const r = f(); console.log(name, (performance.now() - t).toFixed(0)); dispose(r);
}
