// The error a dataset loader throws when the dataset's files are not installed.
import { TensileError } from '@tensile/core';

/**
 * A dataset's files are not on this machine. Nothing is ever downloaded at run time: the
 * message names the system package that provides the files and the command that installs it.
 * @example try { await loadFashionMnist(); } catch (e) { if (e instanceof DatasetNotFoundError) console.log(e.installCommand); }
 */
export class DatasetNotFoundError extends TensileError {
  constructor(
    message: string,
    /** The missing file or directory. */
    readonly path: string,
    /** The package that provides the dataset (e.g. Debian's `dataset-fashion-mnist`). */
    readonly packageName: string,
    /** The command that installs it. */
    readonly installCommand: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
