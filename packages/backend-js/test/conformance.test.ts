// backend-js runs the shared conformance suite: the whole suite, nothing skipped.
import { describeBackend } from '@tensile/conformance';
import { createJsBackend } from '../src/index.js';

describeBackend('js', createJsBackend, { readSync: true });
