import { inflateSync } from 'node:zlib';

export interface DecodedPng {
  width: number;
  height: number;
  /** RGBA, 4 bytes a pixel, row by row. */
  pixels: Buffer;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Decodes a PNG as resvg writes them (8-bit RGBA or RGB, not interlaced): enough to check that an image is a real
 * PNG of the expected size and to compare it with a golden one. Throws on anything else, or on a broken file.
 */
export function decodePng(png: Buffer): DecodedPng {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG');
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const data: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [depth, colour, , , interlace] = [body[8], body[9], body[10], body[11], body[12]];
      if (depth !== 8 || interlace !== 0 || (colour !== 6 && colour !== 2)) throw new Error('unsupported PNG kind');
      channels = colour === 6 ? 4 : 3;
    } else if (type === 'IDAT') data.push(body);
    else if (type === 'IEND') break;
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const out = Buffer.alloc(width * height * 4);
  let previous = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? (line[i - channels] ?? 0) : 0;
      const b = previous[i] ?? 0;
      const c = i >= channels ? (previous[i - channels] ?? 0) : 0;
      const x = line[i] ?? 0;
      if (filter === 1) line[i] = x + a;
      else if (filter === 2) line[i] = x + b;
      else if (filter === 3) line[i] = x + ((a + b) >> 1);
      else if (filter === 4) {
        const p = a + b - c;
        const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
        line[i] = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
      } else if (filter !== 0) throw new Error(`bad filter ${filter}`);
    }
    for (let px = 0; px < width; px++) {
      line.copy(out, (y * width + px) * 4, px * channels, px * channels + channels);
      if (channels === 3) out[(y * width + px) * 4 + 3] = 255;
    }
    previous = line;
  }
  return { width, height, pixels: out };
}

/** The share of pixels whose colour differs by more than `threshold` in any channel. */
export function pixelDifference(a: DecodedPng, b: DecodedPng, threshold = 48): number {
  if (a.width !== b.width || a.height !== b.height) return 1;
  let differing = 0;
  for (let i = 0; i < a.pixels.length; i += 4) {
    for (let ch = 0; ch < 4; ch++) {
      if (Math.abs((a.pixels[i + ch] ?? 0) - (b.pixels[i + ch] ?? 0)) > threshold) {
        differing++;
        break;
      }
    }
  }
  return differing / (a.width * a.height);
}
