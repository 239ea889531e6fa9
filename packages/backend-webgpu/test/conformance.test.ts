// backend-webgpu runs the shared conformance suite: the whole suite, nothing skipped.
import { describeBackend } from '@tensile/conformance';
import { createWebGpuBackend } from '../src/index.js';

describeBackend('webgpu', () => createWebGpuBackend(), { readSync: false });
