// The initialisation schemes torchvision's vision models apply after building their layers.
import { full } from '@tensile/core';
import { init } from '@tensile/layers';
import type { SeededInit } from './config.js';

/** He-normal over fan_out for a ReLU (ResNet's and VGG's convolutions): N(0, 2 / fan_out). */
export const heNormalFanOut: SeededInit = (shape, seed) => init.kaimingNormal(shape, { mode: 'fan_out', nonlinearity: 'relu', ...seed });

/**
 * N(0, 0.01^2): VGG's Linear weights, and GoogLeNet's convolution and Linear weights
 * (torchvision's trunc_normal_(std=0.01, a=-2, b=2), whose bounds lie 200 standard deviations out and are never reached).
 */
export const normal001: SeededInit = (shape, seed) => init.normal(shape, { std: 0.01, ...seed });

/** Zeros (VGG's biases). */
export const zeroInit: SeededInit = (shape) => full(shape, 0);
