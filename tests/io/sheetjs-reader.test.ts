import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import { readGrids, readGridsFromFile } from '../../io/read-grid';
import type { Grid } from '../../shared/grid';
import { inspectZip } from '../../io/zip';
import { buildZip, zipEntryText } from '../zip-fixture';
import { deflateRawSync } from 'node:zlib';
import { SOURCE_MERGES, SOURCE_ROWS, sourceWorkbook } from './spreadsheet-source';
import { inputError } from '../input-error';

/** source.xls, source.ods: LibreOffice 7.4's conversions of sourceWorkbook(); note.doc: its .doc of a one-line text. */
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'grids');

let dir: string;
beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'sheetjs-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expectSource(grids: Grid[], rows = SOURCE_ROWS): void {
  expect(grids.map((g) => g.sheet)).toEqual(['Phụ lục II', 'Ghi chú']);
  expect(grids[0].rows).toEqual(rows);
  expect(grids[0].merges).toEqual(expect.arrayContaining(SOURCE_MERGES));
  expect(grids[0].merges).toHaveLength(SOURCE_MERGES.length);
  expect(grids[0].date1904).toBe(false);
  expect(grids[1].rows).toEqual([['Số liệu đến ngày 20/4/2026']]);
}

/** LibreOffice stores a boolean cell in .ods as the formula =TRUE() with the number 1. */
const ODS_ROWS = SOURCE_ROWS.map((r) => r.map((v) => (v === true ? 1 : v)));

describe('.xls and .ods through SheetJS', () => {
  it('reads an Excel 97-2003 .xls: text, rich text, numbers, dates, booleans, formula results, merges', async () => {
    expectSource(await readGridsFromFile(path.join(FIXTURES, 'source.xls')));
  });

  it('reads an OpenDocument .ods', async () => {
    expectSource(await readGridsFromFile(path.join(FIXTURES, 'source.ods')), ODS_ROWS);
  });

  it('chooses the format by content, not by the name', async () => {
    expectSource(await readGrids(readFileSync(path.join(FIXTURES, 'source.xls')), 'phu-luc.xlsx'));
    expectSource(await readGrids(readFileSync(path.join(FIXTURES, 'source.ods')), 'phu-luc.csv'), ODS_ROWS);
  });

  it('reads what LibreOffice makes of a workbook exactly as the .xlsx itself', async () => {
    const xlsx = path.join(dir, 'round-trip.xlsx');
    await sourceWorkbook().xlsx.writeFile(xlsx);
    for (const format of ['xls', 'ods']) {
      execFileSync('soffice', ['--headless', '--convert-to', format, '--outdir', dir, xlsx], { stdio: 'ignore', timeout: 120_000 });
    }
    const original = await readGridsFromFile(xlsx);
    expectSource(original);
    const xls = await readGridsFromFile(path.join(dir, 'round-trip.xls'));
    expectSource(xls);
    expect(xls.map((g) => g.rows)).toEqual(original.map((g) => g.rows));
    expectSource(await readGridsFromFile(path.join(dir, 'round-trip.ods')), ODS_ROWS);
  });

  it('holds .xls and .ods to the same limits', async () => {
    const xls = readFileSync(path.join(FIXTURES, 'source.xls'));
    const rows = await inputError(readGrids(xls, 'a.xls', { maxRows: 8 }));
    expect(rows.code).toBe('file.too_many_rows');
    expect(rows.where).toEqual({ sheet: 'Phụ lục II', row: 9 });
    expect((await inputError(readGrids(xls, 'a.xls', { maxColumns: 5 }))).code).toBe('file.too_many_columns');
    const long = await inputError(readGrids(readFileSync(path.join(FIXTURES, 'source.ods')), 'a.ods', { maxCellLength: 100 }));
    expect(long.code).toBe('file.cell_too_long');
    expect(long.where).toEqual({ sheet: 'Phụ lục II', row: 7, field: 'B7' });
  });
});

/** source.ods with `rowXml` inserted after its last filled row (before the empty repeated rows LibreOffice ends a sheet with). */
function odsWith(rowXml: string): Uint8Array {
  const bytes = readFileSync(path.join(FIXTURES, 'source.ods'));
  // The XML parts and the mimetype; the thumbnail and empty folders are not needed to read it.
  const parts = inspectZip(bytes).entries.filter((e) => e.name === 'mimetype' || e.name.endsWith('.xml'));
  return buildZip(
    parts.map((e) => {
      let text = zipEntryText(bytes, e.name);
      if (e.name === 'content.xml') {
        const tail = text.lastIndexOf('<table:table-row', text.indexOf('table:number-rows-repeated'));
        text = text.slice(0, tail) + rowXml + text.slice(tail);
      }
      const data = Buffer.from(text, 'utf8');
      return e.name === 'mimetype'
        ? { name: e.name, data, method: 0 as const, declaredSize: data.length }
        : { name: e.name, data: deflateRawSync(data), method: 8 as const, declaredSize: data.length };
    }),
  );
}

describe('.ods repeated rows and columns', () => {
  const cell = (columns: number) => `<table:table-cell table:number-columns-repeated="${columns}" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>`;

  it('reads a filled repeated row as the rows it stands for', async () => {
    const [grid] = await readGrids(odsWith(`<table:table-row table:number-rows-repeated="3">${cell(2)}</table:table-row>`), 'a.ods');
    expect(grid.rows.slice(9)).toEqual([[1, 1], [1, 1], [1, 1]]);
  });

  it('refuses 150 rows × 16,384 filled columns from the XML, before SheetJS builds a cell', async () => {
    const error = await inputError(readGrids(odsWith(`<table:table-row table:number-rows-repeated="150">${cell(16_384)}</table:table-row>`), 'wide.ods'));
    expect(error.code).toBe('file.too_many_columns');
    expect(error.where).toEqual({ sheet: 'Phụ lục II', row: 159, field: 'XFD' });
  });

  it('refuses 1,000,000 filled rows and more cells than allowed', async () => {
    const rows = await inputError(readGrids(odsWith(`<table:table-row table:number-rows-repeated="1000000">${cell(1)}</table:table-row>`), 'long.ods'));
    expect(rows.code).toBe('file.too_many_rows');
    expect(rows.where.row).toBe(1_000_009);
    const cells = await inputError(readGrids(odsWith(`<table:table-row table:number-rows-repeated="10000">${cell(100)}</table:table-row>`), 'full.ods', { maxCells: 500_000 }));
    expect(cells.code).toBe('file.too_many_cells');
  });
});

describe('.xls cells counted from the record headers', () => {
  const wide = () => {
    const rows = Array.from({ length: 300 }, (_, r) => Array.from({ length: 150 }, (_, c) => (c % 2 ? `ô ${r}.${c}` : r * c)));
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), 'Rộng');
    return new Uint8Array(XLSX.write(wb, { type: 'buffer', bookType: 'biff8' }) as Buffer);
  };

  it('reads a workbook within the limits and refuses the same beyond them', async () => {
    const bytes = wide();
    const [grid] = await readGrids(bytes, 'wide.xls', { maxCells: 45_000 });
    expect(grid.rows).toHaveLength(300);
    expect(grid.rows[299][149]).toBe('ô 299.149');
    const cells = await inputError(readGrids(bytes, 'wide.xls', { maxCells: 30_000 }));
    expect(cells.code).toBe('file.too_many_cells');
    expect(cells.where.sheet).toBe('Rộng');
    const columns = await inputError(readGrids(bytes, 'wide.xls', { maxColumns: 100 }));
    expect(columns.where).toEqual({ sheet: 'Rộng', row: 1, field: 'CW' });
  });
});

describe('OLE files that are not workbooks', () => {
  it('refuses a Word 97-2003 .doc with advice to save it as .docx', async () => {
    const error = await inputError(readGridsFromFile(path.join(FIXTURES, 'note.doc')));
    expect(error.code).toBe('file.doc');
    expect(error.bilingual()).toMatch(/lưu lại dạng \.docx.*save it as \.docx/);
  });

  it('refuses a password-protected workbook with one line saying what to do', async () => {
    // Office's wrapper of an encrypted .xlsx: an OLE file with these two streams (ECMA-376 Agile Encryption).
    const cfb = XLSX.CFB.utils.cfb_new();
    XLSX.CFB.utils.cfb_add(cfb, '/EncryptionInfo', Buffer.from([4, 0, 4, 0, 0x40, 0, 0, 0, ...Buffer.from('<?xml version="1.0"?><encryption/>')]));
    XLSX.CFB.utils.cfb_add(cfb, '/EncryptedPackage', Buffer.alloc(8192, 7));
    const bytes = new Uint8Array(XLSX.CFB.write(cfb, { type: 'buffer' }) as Buffer);
    const error = await inputError(readGrids(bytes, 'bao-cao.xlsx'));
    expect(error.code).toBe('file.encrypted');
    expect(error.message).toMatch(/mật khẩu.*gỡ mật khẩu.*lưu lại/);
    expect(error.messageEn).toMatch(/password-protected.*remove the password.*save it again/);
    expect(error.bilingual()).not.toMatch(/\n/);
  });

  it('refuses a password-protected .xls (a FILEPASS record after the first BOF)', async () => {
    const cfb = XLSX.CFB.read(readFileSync(path.join(FIXTURES, 'source.xls')), { type: 'buffer' });
    const entry = XLSX.CFB.find(cfb, '/Workbook');
    const stream = Buffer.from(entry.content as Uint8Array);
    const bofEnd = 4 + stream.readUInt16LE(2);
    // RC4 encryption header, as Excel writes it: type 1, version 1.1, then salt and verifier (zeros here).
    const filePass = Buffer.alloc(4 + 54);
    filePass.writeUInt16LE(0x002f, 0);
    filePass.writeUInt16LE(54, 2);
    filePass.writeUInt16LE(1, 4);
    filePass.writeUInt16LE(1, 6);
    filePass.writeUInt16LE(1, 8);
    entry.content = Buffer.concat([stream.subarray(0, bofEnd), filePass, stream.subarray(bofEnd)]);
    entry.size = entry.content.length;
    const bytes = new Uint8Array(XLSX.CFB.write(cfb, { type: 'buffer' }) as Buffer);
    expect((await inputError(readGrids(bytes, 'mat-khau.xls'))).code).toBe('file.encrypted');
  });

  it('refuses a truncated .xls as damaged', async () => {
    const xls = readFileSync(path.join(FIXTURES, 'source.xls'));
    expect((await inputError(readGrids(xls.subarray(0, 3000), 'a.xls'))).code).toBe('file.not_workbook');
  });
});
