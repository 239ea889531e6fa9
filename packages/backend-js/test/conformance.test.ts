// backend-js runs the shared conformance suite: the whole suite, nothing skipped.
import { describeBackend } from '@tensile/conformance';
import { createJsBackend } from '../src/index.js';

describeBackend('js', createJsBackend, { readSync: true });

// Again without the fused-kernel overrides, so core's decompositions run the same suite.
describeBackend('js-unfused', () => ({ ...createJsBackend(), fused: {} }), { readSync: true });
