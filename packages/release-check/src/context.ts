// What the global set-up hands every test file: the packed tarballs and the npm project.
import type { PackedPackage } from './pack.js';

/** A backend package of the workspace, as the smoke tests load it. */
export interface BackendEntry {
  name: string;
  /** Whether the package exports a `./register` side-effect entry. */
  hasRegister: boolean;
}

/** The packed workspace, shared by every release-check test file. */
export interface ReleaseContext {
  packDir: string;
  /** A fresh npm project with every tarball installed. */
  projectDir: string;
  packed: PackedPackage[];
  backends: BackendEntry[];
  /** Backends DESIGN.md names that are not in this workspace, with the reason. */
  missingBackends: { name: string; reason: string }[];
}

declare module 'vitest' {
  export interface ProvidedContext {
    release: ReleaseContext;
  }
}
