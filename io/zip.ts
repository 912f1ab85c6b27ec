/**
 * Zip containers (.xlsx, .ods, .docx) read from bytes in memory, with the
 * zip-bomb guard: the central directory's declared sizes are checked before
 * anything expands, and every entry that does expand is cut off as soon as it
 * yields more than it declared (the directory can lie).
 */
import { createInflateRaw, inflateRawSync } from 'node:zlib';
import { InputError } from '../shared/errors';

/** Most bytes a workbook may expand to: real annexes stay far below (50,000 tasks ≈ 13 MB). */
export const MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024;
/** Most files a workbook may hold. */
export const MAX_ZIP_ENTRIES = 10_000;
/** Bytes each step of a streamed entry inflates to. */
export const INFLATE_CHUNK_BYTES = 256 * 1024;

export const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

export interface ZipLimits {
  maxUncompressedBytes: number;
  maxZipEntries: number;
}

export interface ZipEntryInfo {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export interface ZipInventory {
  entries: ZipEntryInfo[];
  /** Sum of the declared uncompressed sizes. */
  uncompressedBytes: number;
}

export const notWorkbook = (detail?: string) =>
  new InputError(
    `Tệp không phải bảng tính Excel (.xlsx) hợp lệ${detail ? ` (${detail})` : ''}`,
    `Not a valid Excel workbook (.xlsx)${detail ? ` (${detail})` : ''}`,
    'file.not_workbook',
  );

const tooLarge = (limits: ZipLimits) =>
  new InputError(
    `Tệp nén quá lớn khi giải nén (giới hạn ${limits.maxUncompressedBytes / 1024 / 1024} MB, ${limits.maxZipEntries} tệp con)`,
    `The workbook expands beyond the limits (${limits.maxUncompressedBytes / 1024 / 1024} MB, ${limits.maxZipEntries} entries)`,
    'file.too_large',
  );

const DEFAULT_ZIP_LIMITS: ZipLimits = { maxUncompressedBytes: MAX_UNCOMPRESSED_BYTES, maxZipEntries: MAX_ZIP_ENTRIES };

/**
 * Reads the zip central directory (entries and their declared sizes) without
 * expanding anything, and refuses archives beyond the entry or size limits, or
 * whose directory is malformed. Pure: bytes in, facts out.
 */
export function inspectZip(bytes: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipInventory {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  const u64 = (at: number) => u32(at) + u32(at + 4) * 2 ** 32;
  try {
    // End of central directory: 22 bytes plus a comment of up to 65,535 bytes.
    let eocd = -1;
    for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
      if (u32(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw notWorkbook();
    let count = u16(eocd + 10);
    let offset = u32(eocd + 16);
    if ((count === 0xffff || offset === 0xffffffff) && eocd >= 20 && u32(eocd - 20) === 0x07064b50) {
      const zip64 = u64(eocd - 12);
      if (u32(zip64) !== 0x06064b50) throw notWorkbook();
      count = u64(zip64 + 32);
      offset = u64(zip64 + 48);
    }
    if (count > limits.maxZipEntries) throw tooLarge(limits);

    const entries: ZipEntryInfo[] = [];
    let uncompressedBytes = 0;
    for (let i = 0, at = offset; i < count; i++) {
      if (u32(at) !== 0x02014b50) throw notWorkbook();
      const nameLength = u16(at + 28);
      const extraLength = u16(at + 30);
      const entry: ZipEntryInfo = {
        name: new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength)),
        method: u16(at + 10),
        compressedSize: u32(at + 20),
        uncompressedSize: u32(at + 24),
        localHeaderOffset: u32(at + 42),
      };
      readZip64Extra(entry, at + 46 + nameLength, extraLength, u16, u64);
      uncompressedBytes += entry.uncompressedSize;
      if (uncompressedBytes > limits.maxUncompressedBytes) throw tooLarge(limits);
      entries.push(entry);
      at += 46 + nameLength + extraLength + u16(at + 32);
    }
    return { entries, uncompressedBytes };
  } catch (e) {
    // A directory pointing outside the file makes DataView throw RangeError.
    if (e instanceof RangeError) throw notWorkbook();
    throw e;
  }
}

/** Sizes of 0xFFFFFFFF mean "see the zip64 extra field" (id 1), which lists only those, in this order. */
function readZip64Extra(
  entry: ZipEntryInfo,
  start: number,
  length: number,
  u16: (at: number) => number,
  u64: (at: number) => number,
): void {
  const fields = (['uncompressedSize', 'compressedSize', 'localHeaderOffset'] as const).filter((f) => entry[f] === 0xffffffff);
  if (fields.length === 0) return;
  for (let at = start; at + 4 <= start + length; at += 4 + u16(at + 2)) {
    if (u16(at) !== 1) continue;
    fields.forEach((f, i) => (entry[f] = u64(at + 4 + 8 * i)));
    return;
  }
  throw notWorkbook();
}

/** An opened archive: its directory by name, and its entries read on demand under the guard. */
export class ZipArchive {
  readonly entries: Map<string, ZipEntryInfo>;
  /** Part names are case-insensitive in OPC (ECMA-376 Part 2 §6.2.2.3); some writers' relationships disagree with their zips. */
  private readonly byLowerName: Map<string, ZipEntryInfo>;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly limits: ZipLimits = DEFAULT_ZIP_LIMITS,
  ) {
    const entries = inspectZip(bytes, limits).entries;
    this.entries = new Map(entries.map((e) => [e.name, e]));
    this.byLowerName = new Map(entries.map((e) => [e.name.toLowerCase(), e]));
  }

  has(name: string): boolean {
    return this.find(name) !== undefined;
  }

  private find(name: string): ZipEntryInfo | undefined {
    return this.entries.get(name) ?? this.byLowerName.get(name.toLowerCase());
  }

  /** A small entry (workbook.xml, styles.xml …) whole, as text. */
  text(name: string): string {
    const entry = this.entry(name);
    const data = this.data(entry);
    if (entry.method === 0) return new TextDecoder().decode(data);
    try {
      return new TextDecoder().decode(inflateRawSync(data, { maxOutputLength: Math.max(1, entry.uncompressedSize) }));
    } catch (e) {
      throw (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ? tooLarge(this.limits) : notWorkbook(name);
    }
  }

  /**
   * A large entry (a sheet, the shared strings) as text in pieces: inflated a
   * chunk at a time and decoded in stream mode, so a character whose UTF-8
   * bytes straddle two chunks arrives whole. `onText` may throw to stop early.
   */
  async streamText(name: string, onText: (text: string) => void): Promise<void> {
    const entry = this.entry(name);
    const data = this.data(entry);
    const decoder = new TextDecoder();
    if (entry.method === 0) {
      onText(decoder.decode(data));
      return;
    }
    const inflate = createInflateRaw({ chunkSize: INFLATE_CHUNK_BYTES });
    inflate.end(data);
    let produced = 0;
    try {
      for await (const chunk of inflate as AsyncIterable<Buffer>) {
        produced += chunk.length;
        if (produced > entry.uncompressedSize) throw tooLarge(this.limits);
        onText(decoder.decode(chunk, { stream: true }));
      }
    } catch (e) {
      inflate.destroy();
      if (e instanceof InputError) throw e;
      throw notWorkbook(name);
    }
    onText(decoder.decode());
  }

  /**
   * Expands every entry into nothing (bytes are counted, not kept) and refuses
   * any that yields more than its declared size: for parsers such as SheetJS
   * that unzip everything themselves and would hold a lying entry whole.
   */
  async verifySizes(): Promise<void> {
    for (const entry of this.entries.values()) {
      if (entry.method === 0) continue; // stored: the size is the size
      if (entry.method !== 8) throw notWorkbook(entry.name);
      await this.streamText(entry.name, () => undefined);
    }
  }

  private entry(name: string): ZipEntryInfo {
    const entry = this.find(name);
    if (!entry) throw notWorkbook(name);
    return entry;
  }

  private data(entry: ZipEntryInfo): Uint8Array {
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    const at = entry.localHeaderOffset;
    if (at + 30 > this.bytes.length || view.getUint32(at, true) !== 0x04034b50) throw notWorkbook(entry.name);
    if (entry.method !== 0 && entry.method !== 8) throw notWorkbook(entry.name);
    const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
    if (start + entry.compressedSize > this.bytes.length) throw notWorkbook(entry.name);
    return this.bytes.subarray(start, start + entry.compressedSize);
  }
}
