// @size-limit/file and @size-limit/esbuild ship no types: each default-exports a plugin list.
declare module '@size-limit/file' {
  const plugins: ((...args: unknown[]) => unknown)[];
  export default plugins;
}
declare module '@size-limit/esbuild' {
  const plugins: ((...args: unknown[]) => unknown)[];
  export default plugins;
}
