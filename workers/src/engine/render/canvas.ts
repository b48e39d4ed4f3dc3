/** A tiny RGB raster shared by the grid renderers, encoded to PNG with pngjs. */
import { PNG } from 'pngjs';

export type Rgb = readonly [number, number, number];

export class Canvas {
  readonly rgba: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb,
  ) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
      throw new Error(`canvas: size must be whole numbers ≥ 1, got ${width}×${height}`);
    }
    this.rgba = new Uint8Array(width * height * 4);
    this.fillRect(0, 0, width, height, background);
  }

  /** Blends `color` over the pixel with opacity `alpha` (1 = opaque); ignores points off the canvas. */
  blend(x: number, y: number, color: Rgb, alpha = 1): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const o = 4 * (y * this.width + x);
    for (let c = 0; c < 3; c++) this.rgba[o + c] = Math.round(this.rgba[o + c] * (1 - alpha) + color[c] * alpha);
    this.rgba[o + 3] = 255;
  }

  fillRect(x: number, y: number, w: number, h: number, color: Rgb): void {
    for (let j = y; j < y + h; j++) for (let i = x; i < x + w; i++) this.blend(i, j, color);
  }

  toPng(): Uint8Array {
    const png = new PNG({ width: this.width, height: this.height });
    png.data.set(this.rgba);
    return PNG.sync.write(png);
  }
}
