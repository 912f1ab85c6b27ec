import { inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { readGrids } from '../../io/read-grid';
import { isDateFormat } from '../../io/xlsx-reader';
import { INFLATE_CHUNK_BYTES, inspectZip } from '../../io/zip';
import { row, xlsxPackage, xmlText } from './xlsx-package';
import { inputError } from '../input-error';

const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));

/** The inflated bytes of one entry, to look at where chunk boundaries fall. */
function entryBytes(bytes: Uint8Array, name: string): Buffer {
  const entry = inspectZip(bytes).entries.find((e) => e.name === name)!;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const start = entry.localHeaderOffset + 30 + buf.readUInt16LE(entry.localHeaderOffset + 26) + buf.readUInt16LE(entry.localHeaderOffset + 28);
  return inflateRawSync(buf.subarray(start, start + entry.compressedSize));
}

/** Chunk boundaries of an inflated entry that fall inside a multi-byte UTF-8 character. */
function splitCharacters(xml: Buffer): number {
  let split = 0;
  for (let at = INFLATE_CHUNK_BYTES; at < xml.length; at += INFLATE_CHUNK_BYTES) if ((xml[at] & 0xc0) === 0x80) split++;
  return split;
}

describe('streamed .xlsx: text arrives whole', () => {
  // 3-byte (ệ, ữ) and 2-byte (ơ, đ) characters throughout, in lengths that drift against the chunk size.
  const texts = Array.from({ length: 400 }, (_, i) => `${i}. Triển khai nhiệm vụ ${'ệữơđ'.repeat(700 + i)} “hết”`);

  it('keeps inline strings whole across every chunk boundary', async () => {
    const body = `<sheetData>${texts.map((t, i) => row(i + 1, `<c r="A${i + 1}" t="inlineStr"><is><t>${xmlText(t)}</t></is></c>`)).join('')}</sheetData>`;
    const bytes = xlsxPackage({ sheets: [{ name: 'Dài', body }] });
    const xml = entryBytes(bytes, 'xl/worksheets/sheet1.xml');
    // The test means something only if the stream really cuts characters in two.
    expect(splitCharacters(xml)).toBeGreaterThan(5);
    const [grid] = await readGrids(bytes, 'long.xlsx');
    expect(grid.rows).toEqual(texts.map((t) => [t]));
  });

  it('keeps shared strings whole (the workbook written by exceljs)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Phụ lục');
    texts.forEach((t, i) => (ws.getCell(i + 1, 2).value = t));
    const bytes = new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
    expect(splitCharacters(entryBytes(bytes, 'xl/sharedStrings.xml'))).toBeGreaterThan(5);
    const [grid] = await readGrids(bytes, 'long.xlsx');
    expect(grid.rows).toEqual(texts.map((t) => [null, t]));
  });
});

describe('streamed .xlsx: cell kinds', () => {
  const styles =
    '<numFmts count="3"><numFmt numFmtId="164" formatCode="d&quot; tháng &quot;m&quot; năm &quot;yyyy"/><numFmt numFmtId="165" formatCode="[Red]0.00;&quot;âm&quot;0"/><numFmt numFmtId="166" formatCode="&quot;Ngày&quot;\\ 0"/></numFmts>' +
    '<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/></cellXfs>';
  const sharedStrings = [
    '<si><t>STT</t></si>',
    // Rich text runs are joined; the phonetic run (rPh) is not part of the text.
    '<si><r><rPr><b/></rPr><t xml:space="preserve">Rà soát </t></r><r><t>văn bản</t></r><rPh sb="0" eb="1"><t>ラ</t></rPh></si>',
    '<si><t>Dòng một_x000D_\nDòng hai &amp; “ba”</t></si>',
    '<si><t></t></si>',
  ];

  it('reads shared, inline and formula strings, numbers, booleans, errors and dates by their format', async () => {
    const body =
      '<dimension ref="A1:H4"/><sheetData>' +
      row(1, '<c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c>') +
      row(
        2,
        '<c r="A2" s="1"><v>46127</v></c><c r="B2" s="2"><v>46387.75</v></c><c r="C2" s="3"><v>46127</v></c><c r="D2" s="4"><v>15</v></c>' +
          '<c r="E2" t="b"><v>1</v></c><c r="F2" t="e"><v>#N/A</v></c><c r="G2" t="d"><v>2026-06-30T13:45:00</v></c><c r="H2" t="inlineStr"><is><r><t>Sở </t></r><r><t>Y tế</t></r></is></c>',
      ) +
      // A shared formula: the master and its children carry cached values.
      row(3, '<c r="A3"><f t="shared" ref="A3:A4" si="0">ROW()-2</f><v>1</v></c><c r="B3" t="str"><f>"Tổng "&amp;"hợp"</f><v>Tổng hợp</v></c><c r="C3"><f>1/0</f></c>') +
      row(4, '<c r="A4"><f t="shared" si="0"/><v>2</v></c>') +
      '</sheetData>';
    const [grid] = await readGrids(xlsxPackage({ sheets: [{ name: 'S', body }], sharedStrings, styles }), 'kinds.xlsx');
    expect(grid.rows).toEqual([
      ['STT', 'Rà soát văn bản', 'Dòng một\r\nDòng hai & “ba”'],
      [utc(2026, 4, 15), utc(2026, 12, 31), 46127, 15, true, null, utc(2026, 6, 30), 'Sở Y tế'],
      [1, 'Tổng hợp'],
      [2],
    ]);
    expect(grid.date1904).toBe(false);
  });

  it('counts serial dates from 1904 when the workbook says so', async () => {
    const body = `<sheetData>${row(1, '<c r="A1" s="1"><v>44665</v></c>')}</sheetData>`;
    const [grid] = await readGrids(xlsxPackage({ sheets: [{ name: 'S', body }], styles, date1904: true }), '1904.xlsx');
    expect(grid.date1904).toBe(true);
    expect(grid.rows).toEqual([[utc(2026, 4, 15)]]);
  });

  it('places rows and cells without references, reads prefixed XML, and blanks values repeated in merged children', async () => {
    const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
    const body =
      `<x:sheetData xmlns:x="${main}"><x:row><x:c t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c></x:row>` +
      '<x:row><x:c/><x:c><x:v>2</x:v></x:c></x:row><x:row r="5"><x:c r="C5"><x:v>3</x:v></x:c></x:row></x:sheetData>' +
      `<x:mergeCells xmlns:x="${main}"><x:mergeCell ref="A1:B1"/></x:mergeCells>`;
    const [grid] = await readGrids(xlsxPackage({ sheets: [{ name: 'S', body }] }), 'prefixed.xlsx');
    expect(grid.rows).toEqual([['a'], [null, 2], [], [], [null, null, 3]]);
    expect(grid.merges).toEqual([{ top: 0, left: 0, bottom: 0, right: 1 }]);
  });

  it('finds parts whatever the case of their names in the relationships', async () => {
    const body = `<sheetData>${row(1, '<c r="A1" t="s"><v>0</v></c>')}</sheetData>`;
    const bytes = xlsxPackage({ sheets: [{ name: 'S', body }], sharedStrings: ['<si><t>Sở Y tế</t></si>'], sharedStringsTarget: 'SHAREDSTRINGS.XML' });
    expect((await readGrids(bytes, 'case.xlsx'))[0].rows).toEqual([['Sở Y tế']]);
  });

  it('skips hidden and very hidden sheets', async () => {
    const body = `<sheetData>${row(1, '<c r="A1"><v>1</v></c>')}</sheetData>`;
    const grids = await readGrids(
      xlsxPackage({ sheets: [{ name: 'Ẩn', body, state: 'hidden' }, { name: 'Hiện', body }, { name: 'Rất ẩn', body, state: 'veryHidden' }] }),
      'hidden.xlsx',
    );
    expect(grids.map((g) => g.sheet)).toEqual(['Hiện']);
  });
});

describe('isDateFormat', () => {
  it('sees date and time codes outside quoted text, escapes and colour brackets', () => {
    for (const code of ['dd/mm/yyyy', 'd" tháng "m" năm "yyyy', 'mmm-yy', 'h:mm AM/PM', '[h]:mm:ss', '[$-42A]dd/mm/yyyy', 'yyyy\\-mm\\-dd']) {
      expect([code, isDateFormat(code)]).toEqual([code, true]);
    }
    for (const code of ['General', '0.00', '#,##0', '[Red]0.00', '"Ngày" 0', '\\d0', '0.00;"âm" d', '@', '0.0E+00', '_-* #,##0_-']) {
      expect([code, isDateFormat(code)]).toEqual([code, false]);
    }
  });
});

describe('limits', () => {
  it('refuses a sheet whose <dimension> is beyond the limits before reading a row', async () => {
    const body = '<dimension ref="A1:XFD1048576"/><sheetData></sheetData>';
    const error = await inputError(readGrids(xlsxPackage({ sheets: [{ name: 'Lớn', body }] }), 'huge.xlsx'));
    expect(error.code).toBe('file.too_many_rows');
    expect(error.where).toEqual({ sheet: 'Lớn', row: 1_048_576 });
    expect(error.message).toMatch(/Trang “Lớn”.*100\.000 dòng/);
    expect(error.messageEn).toMatch(/Sheet “Lớn” reaches row 1,048,576, beyond the 100,000-row limit/);
  });

  it('refuses 1,000,000 one-number rows as they stream, at the first row past the limit', async () => {
    const rows: string[] = [];
    for (let r = 1; r <= 1_000_000; r++) rows.push(`<row r="${r}"><c r="A${r}"><v>1</v></c></row>`);
    const bytes = xlsxPackage({ sheets: [{ name: 'S', body: `<sheetData>${rows.join('')}</sheetData>` }] });
    expect(bytes.length).toBeLessThan(6 * 1024 * 1024); // a few MB on disk, a million rows inside
    const error = await inputError(readGrids(bytes, 'rows.xlsx'));
    expect(error.code).toBe('file.too_many_rows');
    expect(error.where).toEqual({ sheet: 'S', row: 100_001 });
    // The limit is an option: the server passes its own setting.
    expect((await inputError(readGrids(bytes, 'rows.xlsx', { maxRows: 5000 }))).where.row).toBe(5001);
  });

  it('refuses rows of 16,384 columns at the first column past the limit', async () => {
    const cells = '<c><v>1</v></c>'.repeat(16_384);
    const body = `<sheetData>${[1, 2, 3].map((r) => `<row r="${r}">${cells}</row>`).join('')}</sheetData>`;
    const error = await inputError(readGrids(xlsxPackage({ sheets: [{ name: 'Rộng', body }] }), 'wide.xlsx'));
    expect(error.code).toBe('file.too_many_columns');
    expect(error.where).toEqual({ sheet: 'Rộng', row: 1, field: 'GS' });
    expect(error.messageEn).toMatch(/reaches column GS \(row 1\), beyond the 200-column limit/);
  });

  it('refuses a cell longer than Excel allows, naming it, and blank formatted cells count for nothing', async () => {
    const long = 'ệ'.repeat(100_000);
    const body = `<sheetData>${row(1, '<c r="XFD1" s="1"/><c r="A1"><v>1</v></c>')}${row(2, `<c r="B2" t="inlineStr"><is><t>${long}</t></is></c>`)}</sheetData>`;
    const error = await inputError(readGrids(xlsxPackage({ sheets: [{ name: 'S', body }] }), 'long.xlsx'));
    expect(error.code).toBe('file.cell_too_long');
    expect(error.where).toEqual({ sheet: 'S', row: 2, field: 'B2' });
    expect(error.message).toMatch(/Ô B2 của trang “S” dài 100\.000 ký tự, vượt giới hạn 32\.767/);
  });

  it('refuses more cells than the file may hold, counting across sheets', async () => {
    const body = `<sheetData>${Array.from({ length: 30 }, (_, r) => row(r + 1, '<c><v>1</v></c>'.repeat(10))).join('')}</sheetData>`;
    const bytes = xlsxPackage({ sheets: [{ name: 'A', body }, { name: 'B', body }] });
    expect((await readGrids(bytes, 'cells.xlsx', { maxCells: 600 })).map((g) => g.rows.length)).toEqual([30, 30]);
    const error = await inputError(readGrids(bytes, 'cells.xlsx', { maxCells: 599 }));
    expect(error.code).toBe('file.too_many_cells');
    expect(error.where).toEqual({ sheet: 'B', row: 30 });
  });

  it('refuses a shared string table larger than the cells allowed, as it streams', async () => {
    const sharedStrings = Array.from({ length: 1001 }, (_, i) => `<si><t>${i}</t></si>`);
    const bytes = xlsxPackage({ sheets: [{ name: 'S', body: '<sheetData/>' }], sharedStrings });
    expect(await readGrids(bytes, 'strings.xlsx', { maxCells: 1001 })).toHaveLength(1);
    const error = await inputError(readGrids(bytes, 'strings.xlsx', { maxCells: 1000 }));
    expect(error.code).toBe('file.too_many_cells');
    expect(error.messageEn).toMatch(/shared string table holds more than 1,000 strings/);
  });

  it('refuses a sheet that inflates beyond its declared size', async () => {
    const body = `<sheetData>${row(1, '<c><v>1</v></c>'.repeat(100_000))}</sheetData>`;
    const error = await inputError(readGrids(xlsxPackage({ sheets: [{ name: 'S', body }], declaredSheetSize: 1000 }), 'liar.xlsx'));
    expect(error.code).toBe('file.too_large');
  });

  it('refuses malformed XML and references to missing shared strings as not a workbook', async () => {
    const broken = xlsxPackage({ sheets: [{ name: 'S', body: '<sheetData><row><c><v>1</v></row></sheetData>' }] });
    expect((await inputError(readGrids(broken, 'broken.xlsx'))).code).toBe('file.not_workbook');
    const missing = xlsxPackage({ sheets: [{ name: 'S', body: `<sheetData>${row(1, '<c r="A1" t="s"><v>7</v></c>')}</sheetData>` }] });
    expect((await inputError(readGrids(missing, 'missing.xlsx'))).messageEn).toMatch(/Not a valid Excel workbook .*A1/);
  });
});
