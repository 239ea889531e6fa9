// Images as one PNG: a grid of grayscale tiles, encoded with pngjs.
import { PNG } from 'pngjs';

export interface GridOptions {
  /** Tiles per row (default: ceil(sqrt(count)), a square grid). */
  columns?: number;
  /** Pixels between tiles and around the grid (default 2). */
  gap?: number;
  /** Gray level of the gaps, 0-255 (default 128). */
  background?: number;
}

/**
 * Encodes `count` grayscale images of `size` x `size` pixels (row-major, one after the other in
 * `pixels`, values in [-1, 1] as a Tanh generator makes them) as a PNG grid.
 * @example const png = pngGrid(values, 64, 28); // 8 x 8 tiles: 8 * 28 + 9 * 2 = 242 pixels square
 */
export function pngGrid(pixels: ArrayLike<number>, count: number, size: number, opts: GridOptions = {}): Buffer {
  const columns = opts.columns ?? Math.ceil(Math.sqrt(count));
  const rows = Math.ceil(count / columns);
  const gap = opts.gap ?? 2;
  const width = columns * size + (columns + 1) * gap, height = rows * size + (rows + 1) * gap;
  // pngjs takes RGBA in `data`; the file is written as 8-bit grayscale (colorType 0).
  const png = new PNG({ width, height });
  png.data.fill(opts.background ?? 128);
  for (let i = 0; i < count; i++) {
    const x0 = gap + (i % columns) * (size + gap), y0 = gap + Math.floor(i / columns) * (size + gap);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const v = pixels[i * size * size + y * size + x]!;
        const g = Math.round(Math.min(1, Math.max(-1, v)) * 127.5 + 127.5);
        const at = 4 * ((y0 + y) * width + x0 + x);
        png.data[at] = png.data[at + 1] = png.data[at + 2] = g;
      }
    }
  }
  for (let at = 3; at < png.data.length; at += 4) png.data[at] = 255;
  return PNG.sync.write(png, { colorType: 0 });
}
