// Runs a command and hands back its output, or throws an error that carries the output.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';

/** What a finished command printed. */
export interface RunResult {
  stdout: string;
  stderr: string;
}

/**
 * Runs `cmd args` to completion; throws (with the command, exit status and output) when it fails.
 * @example run('npm', ['--version']).stdout // '10.8.2\n'
 */
export function run(cmd: string, args: string[], options: SpawnSyncOptions = {}): RunResult {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 << 20, ...options });
  const stdout = String(r.stdout ?? '');
  const stderr = String(r.stderr ?? '');
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.message : `exit status ${r.status ?? r.signal}`;
    throw new Error(`'${cmd} ${args.join(' ')}' failed (${why})\n${stdout}\n${stderr}`.trim());
  }
  return { stdout, stderr };
}
