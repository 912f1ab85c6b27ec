/**
 * Draws the add-in's ribbon and store icons (addin/assets/*.png, committed) with
 * a minimal PNG encoder, so no image tool is needed: a blue sheet with table
 * rows for the add-in, and the same sheet with a red flag for "highlight
 * overdue". Run again after changing a drawing: `npx ts-node scripts/icons.ts`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';

type Rgba = [number, number, number, number];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(data.length);
  const tail = Buffer.alloc(4);
  tail.writeUInt32BE(crc32(body));
  return Buffer.concat([head, body, tail]);
}

/** An 8-bit RGBA PNG of size × size pixels. */
export function encodePng(size: number, pixel: (x: number, y: number) => Rgba): Buffer {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) raw.set(pixel(x, y), y * (size * 4 + 1) + 1 + x * 4);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // depth 8, RGBA, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const CLEAR: Rgba = [0, 0, 0, 0];
const BLUE: Rgba = [0x10, 0x6e, 0xbe, 255]; // Excel/Fluent blue
const WHITE: Rgba = [255, 255, 255, 255];
const RED: Rgba = [0xc0, 0x00, 0x00, 255];
const AMBER: Rgba = [0xff, 0xc0, 0x00, 255];

/** A sheet (rounded square) with three table rows; u, v in 0..1. */
function sheet(u: number, v: number): Rgba {
  const r = 0.14;
  const cx = Math.min(Math.max(u, r), 1 - r);
  const cy = Math.min(Math.max(v, r), 1 - r);
  if ((u - cx) ** 2 + (v - cy) ** 2 > r * r || u < 0.04 || u > 0.96 || v < 0.04 || v > 0.96) return CLEAR;
  const inBody = u > 0.18 && u < 0.82 && v > 0.2 && v < 0.8;
  const line = [0.2, 0.4, 0.6, 0.8].some((y) => Math.abs(v - y) < 0.045) || Math.abs(u - 0.36) < 0.04;
  return inBody && !line ? WHITE : BLUE;
}

/** The sheet with a red flag and an amber pole at its lower right. */
function highlight(u: number, v: number): Rgba {
  const flag = u > 0.5 && u < 0.92 && v > 0.5 && v < 0.74 && u - 0.5 < (0.74 - v) * 2.2;
  const pole = u > 0.46 && u < 0.54 && v > 0.46 && v < 0.98;
  if (flag) return RED;
  if (pole) return AMBER;
  return sheet(u, v);
}

export const ICONS: { name: string; sizes: number[]; draw: (u: number, v: number) => Rgba }[] = [
  { name: 'icon', sizes: [16, 32, 64, 80], draw: sheet },
  { name: 'highlight', sizes: [16, 32, 80], draw: highlight },
];

export function writeIcons(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const icon of ICONS) {
    for (const size of icon.sizes) {
      const file = path.join(dir, `${icon.name}-${size}.png`);
      // Sample pixel centres so every size draws the same shapes.
      writeFileSync(file, encodePng(size, (x, y) => icon.draw((x + 0.5) / size, (y + 0.5) / size)));
      written.push(file);
    }
  }
  return written;
}

if (require.main === module) {
  for (const file of writeIcons(path.resolve(__dirname, '..', 'addin', 'assets'))) process.stdout.write(`${file}\n`);
}
