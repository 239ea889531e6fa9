// How the transfer helpers show a bad argument in their error messages.

/**
 * A short description of a value for error messages.
 * @example describeValue(null) // 'null'; describeValue([1, 2]) // 'an array of length 2'
 */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === 'object') return `an object (${(v as object).constructor?.name ?? 'Object'})`;
  return `${typeof v} ${String(v)}`;
}
