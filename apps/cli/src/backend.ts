// Picks the compute backend: the highest-priority registered one that initialises.
import '@tensile/backend-js/register';
import { listBackends, setBackend } from '@tensile/core';

/**
 * Activates `name`, or else the first registered backend (highest priority first) that
 * initialises; returns the name chosen.
 */
export async function useBestBackend(name?: string): Promise<string> {
  const candidates = name ? [name] : listBackends();
  const failures: string[] = [];
  for (const candidate of candidates) {
    try {
      await setBackend(candidate);
      return candidate;
    } catch (err) {
      failures.push(`${candidate}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  throw new Error(`no usable backend (${failures.join('; ') || 'none registered'})`);
}
