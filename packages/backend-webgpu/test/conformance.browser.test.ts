// backend-webgpu runs the shared conformance suite in Chromium (navigator.gpu): the whole suite.
import { describeBackend } from '@tensile/conformance';
import { createWebGpuBackend } from '../src/index.js';

describeBackend('webgpu', () => createWebGpuBackend(), { readSync: false });
