// The geometry of a convolution as WGSL constants, shared by the Conv2D kernels and both
// gradients: each shader is specialised to its shape.
import type { ConvAttrs } from '@tensile/core';
import type { Uniform } from '../uniforms.js';

/**
 * The geometry as WGSL constants and a key suffix: shape-specialised shaders (the compiler
 * unrolls the small kernel loops and folds the index arithmetic, several times faster).
 */
export function specialise(g: Uniform[]): { consts: string; key: string } {
  const consts = g.map(([n, t, v]) => `const ${n} = ${v}${t === 'u32' ? 'u' : 'i'};`).join('\n');
  return { consts, key: g.map(([, , v]) => v).join(',') };
}

/** Geometry shared by the three kernels: x [N, C, H, W], w [Co, C/g, kH, kW], y [N, Co, oH, oW]. */
export function geometry(x: number[], w: number[], y: number[], a: ConvAttrs): Uniform[] {
  return [
    ['N', 'u32', x[0]!], ['C', 'u32', x[1]!], ['H', 'u32', x[2]!], ['W', 'u32', x[3]!],
    ['CO', 'u32', w[0]!], ['CG', 'u32', w[1]!], ['KH', 'u32', w[2]!], ['KW', 'u32', w[3]!],
    ['OH', 'u32', y[2]!], ['OW', 'u32', y[3]!],
    ['SH', 'i32', a.stride[0]], ['SW', 'i32', a.stride[1]], ['PT', 'i32', a.pad[0]], ['PL', 'i32', a.pad[2]],
    ['DH', 'i32', a.dilation[0]], ['DW', 'i32', a.dilation[1]], ['COG', 'u32', w[0]! / a.groups],
  ];
}
