// The whole conformance suite on an asynchronous backend (no readSync, async factory, async
// reads), so every path a WebGPU backend takes runs in CI.
import { describeBackend } from '@tensile/conformance';
import { createAsyncTestBackend } from './async_backend.js';

describeBackend('async', () => createAsyncTestBackend('async'), { readSync: false });
