import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { readGrids, readGridsFromFile } from '../../io/read-grid';
import { detectDelimiter } from '../../io/text-grid';
import { inspectZip, MAX_UNCOMPRESSED_BYTES, MAX_ZIP_ENTRIES } from '../../io/zip';
import { buildZip, zipEntryText, type RawEntry } from '../zip-fixture';
import { inputError } from '../input-error';

let dir: string;
beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'read-grid-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function saveWorkbook(wb: ExcelJS.Workbook, name: string): Promise<string> {
  const file = path.join(dir, name);
  await wb.xlsx.writeFile(file);
  return file;
}

const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));

describe('xlsx', () => {
  let file: string;
  beforeAll(async () => {
    const wb = new ExcelJS.Workbook();
    const hidden = wb.addWorksheet('Ẩn');
    hidden.state = 'hidden';
    hidden.getCell('A1').value = 'không đọc';
    const ws = wb.addWorksheet('Phụ lục II');
    ws.getCell('A1').value = 'PHỤ LỤC II: DANH MỤC NHIỆM VỤ';
    ws.mergeCells('A1:F1');
    ws.getCell('A3').value = 'STT';
    ws.getCell('B3').value = 'Nhiệm vụ';
    ws.getCell('C3').value = 'Cơ quan';
    ws.getCell('E3').value = 'Thời hạn';
    ws.getCell('F3').value = 'Kết quả đầu ra';
    ws.mergeCells('A3:A4');
    ws.mergeCells('B3:B4');
    ws.mergeCells('C3:D3');
    ws.mergeCells('E3:E4');
    ws.mergeCells('F3:F4');
    ws.getCell('C4').value = 'Chủ trì';
    ws.getCell('D4').value = 'Phối hợp';
    ws.getRow(5).values = [1, { richText: [{ text: 'Rà soát ', font: { bold: true } }, { text: 'văn bản' }] }, 'Sở Tư pháp', null, utc(2026, 4, 15)];
    ws.getCell('F5').value = { text: 'Báo cáo', hyperlink: 'https://example.vn/bc' };
    ws.getCell('A6').value = { formula: 'A5+1', result: 2 };
    ws.getCell('B6').value = { formula: '"Tổng hợp "&"báo cáo"', result: 'Tổng hợp báo cáo' };
    ws.getCell('E6').value = { formula: 'E5+15', result: utc(2026, 4, 30) };
    ws.getCell('A7').value = { formula: 'A6+1', result: 3, shareType: 'shared', ref: 'A7:A8' } as ExcelJS.CellValue;
    ws.getCell('A8').value = { sharedFormula: 'A7', result: 4 } as ExcelJS.CellValue;
    ws.getCell('B7').value = { error: '#N/A' };
    ws.getCell('C7').value = true;
    ws.getCell('E7').value = new Date(Date.UTC(2026, 5, 30, 13, 45));
    ws.getCell('B10').value = 'Sở Văn hóa, Thể thao và Du lịch';
    file = await saveWorkbook(wb, 'annex.xlsx');
  });

  it('reads visible sheets with plain values, blank merged children and 0-based merges', async () => {
    const grids = await readGridsFromFile(file);
    expect(grids.map((g) => g.sheet)).toEqual(['Phụ lục II']);
    const [grid] = grids;
    expect(grid.firstRow).toBe(1);
    expect(grid.date1904).toBe(false);
    expect(grid.rows[0]).toEqual(['PHỤ LỤC II: DANH MỤC NHIỆM VỤ']);
    expect(grid.rows[1]).toEqual([]);
    expect(grid.rows[2]).toEqual(['STT', 'Nhiệm vụ', 'Cơ quan', null, 'Thời hạn', 'Kết quả đầu ra']);
    expect(grid.rows[3]).toEqual([null, null, 'Chủ trì', 'Phối hợp']);
    expect(grid.merges).toEqual(
      expect.arrayContaining([
        { top: 0, left: 0, bottom: 0, right: 5 },
        { top: 2, left: 0, bottom: 3, right: 0 },
        { top: 2, left: 2, bottom: 2, right: 3 },
      ]),
    );
    expect(grid.merges).toHaveLength(6);
    expect(grid.rows[4]).toEqual([1, 'Rà soát văn bản', 'Sở Tư pháp', null, utc(2026, 4, 15), 'Báo cáo']);
    expect(grid.rows[5]).toEqual([2, 'Tổng hợp báo cáo', null, null, utc(2026, 4, 30)]);
    // Error cells carry nothing; a time of day is dropped.
    expect(grid.rows[6]).toEqual([3, null, true, null, utc(2026, 6, 30)]);
    expect(grid.rows[7]).toEqual([4]);
    expect(grid.rows[9]).toEqual([null, 'Sở Văn hóa, Thể thao và Du lịch']);
    expect(grid.rows).toHaveLength(10);
  });

  it('is recognised by its zip magic whatever the extension', async () => {
    const grids = await readGrids(readFileSync(file), 'exported.csv');
    expect(grids[0].rows[2][1]).toBe('Nhiệm vụ');
  });

  it('reads hidden sheets when no sheet is visible', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Only');
    ws.state = 'hidden';
    ws.getCell('A1').value = 'x';
    const grids = await readGridsFromFile(await saveWorkbook(wb, 'hidden.xlsx'));
    expect(grids.map((g) => g.sheet)).toEqual(['Only']);
  });

  it('reads dates of a 1904 workbook as the days they show', async () => {
    const wb = new ExcelJS.Workbook();
    wb.properties.date1904 = true;
    wb.addWorksheet('S').getCell('A1').value = utc(2026, 4, 15);
    const bytes = readFileSync(await saveWorkbook(wb, '1904.xlsx'));
    // The file really counts from 1904: 2026-04-15 is serial 46127 in 1900, 44665 in 1904.
    const xml = zipEntryText(bytes, 'xl/worksheets/sheet1.xml');
    expect(xml).toMatch(/<v>44665<\/v>/);
    const [grid] = await readGrids(bytes, '1904.xlsx');
    expect(grid.date1904).toBe(true);
    expect(grid.rows[0]).toEqual([utc(2026, 4, 15)]);
  });

  it('repairs sheets typed in TCVN3 fonts, and only those', async () => {
    const wb = new ExcelJS.Workbook();
    // "Sở Khoa học và Công nghệ" typed with a .VnTime font, as Excel stores it.
    wb.addWorksheet('TCVN3').addRows([['STT', 'NhiÖm vô', 'C¬ quan chñ tr×'], [1, 'Rµ so¸t v¨n b¶n', 'Së Khoa häc vµ C«ng nghÖ']]);
    wb.addWorksheet('Unicode').addRows([['STT', 'Nhiệm vụ'], [1, 'Sở Khoa học và Công nghệ']]);
    const [legacy, unicode] = await readGridsFromFile(await saveWorkbook(wb, 'tcvn3.xlsx'));
    expect(legacy.rows[0]).toEqual(['STT', 'Nhiệm vụ', 'Cơ quan chủ trì']);
    expect(legacy.rows[1]).toEqual([1, 'Rà soát văn bản', 'Sở Khoa học và Công nghệ']);
    expect(unicode.rows[1]).toEqual([1, 'Sở Khoa học và Công nghệ']);
  });

  it('refuses files that are not workbooks', async () => {
    expect((await inputError(readGrids(Buffer.from('STT,Nhiệm vụ'), 'annex.xlsx'))).messageEn).toMatch(/Not a valid Excel workbook/);
    const bytes = buildZip([{ name: 'readme.txt', data: deflateRawSync('not a workbook'), method: 8, declaredSize: 14 }]);
    expect((await inputError(readGrids(bytes, 'annex.xlsx'))).message).toBe('Tệp không phải bảng tính Excel (.xlsx) hợp lệ');
    // A truncated workbook: its central directory is gone.
    expect((await inputError(readGrids(readFileSync(file).subarray(0, 2000), 'annex.xlsx'))).code).toBe('file.not_workbook');
  });

  it('refuses empty files', async () => {
    expect((await inputError(readGrids(new Uint8Array(0), 'annex.xlsx'))).code).toBe('file.empty');
    expect((await inputError(readGrids(Buffer.from('\ufeff \r\n'), 'annex.csv'))).code).toBe('file.empty');
  });
});

// ---------------------------------------------------------------- zip bombs


describe('zip bombs', () => {
  it('lists entries and declared sizes from the central directory', () => {
    const data = deflateRawSync(Buffer.from('<x/>'.repeat(100)));
    const inventory = inspectZip(buildZip([{ name: 'xl/a.xml', data, method: 8, declaredSize: 400 }]));
    expect(inventory.uncompressedBytes).toBe(400);
    expect(inventory.entries).toEqual([{ name: 'xl/a.xml', method: 8, compressedSize: data.length, uncompressedSize: 400, localHeaderOffset: 0 }]);
  });

  it('refuses a declared size beyond the limit before expanding anything', async () => {
    // The "compressed" bytes are not even valid deflate: expanding them would fail differently.
    const bomb = buildZip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.from('garbage'), method: 8, declaredSize: 0xfffffff0 }]);
    const error = await inputError(readGrids(bomb, 'bomb.xlsx'));
    expect(error.code).toBe('file.too_large');
    expect(error.messageEn).toMatch(/expands beyond/);
  });

  it('reads sizes declared through zip64 extra fields', async () => {
    const bomb = buildZip([{ name: 'xl/sharedStrings.xml', data: Buffer.from('garbage'), method: 8, declaredSize: 5 * 2 ** 32, zip64: true }]);
    expect((await inputError(readGrids(bomb, 'bomb.xlsx'))).code).toBe('file.too_large');
  });

  it('refuses many entries whose sizes add up beyond the limit', async () => {
    const each = Math.floor(MAX_UNCOMPRESSED_BYTES / 3);
    const entries = [1, 2, 3, 4].map((i): RawEntry => ({ name: `xl/${i}.xml`, data: Buffer.from('x'), method: 8, declaredSize: each }));
    expect((await inputError(readGrids(buildZip(entries), 'bomb.xlsx'))).code).toBe('file.too_large');
  });

  it('refuses too many entries', async () => {
    const entries = Array.from({ length: MAX_ZIP_ENTRIES + 1 }, (_, i): RawEntry => ({ name: `${i}`, data: new Uint8Array(0), method: 0, declaredSize: 0 }));
    expect((await inputError(readGrids(buildZip(entries), 'bomb.xlsx'))).code).toBe('file.too_large');
  });

  it('names a zip of no known kind whose entries expand beyond their declared sizes a bomb', async () => {
    const liar = buildZip([{ name: 'xl/worksheets/sheet1.xml', data: deflateRawSync(Buffer.alloc(4 * 1024 * 1024)), method: 8, declaredSize: 1000 }]);
    expect((await inputError(readGrids(liar, 'liar.xlsx'))).code).toBe('file.too_large');
  });

  it('refuses an .ods entry that expands beyond its declared size before SheetJS unzips it', async () => {
    const mimetype = Buffer.from('application/vnd.oasis.opendocument.spreadsheet');
    const data = deflateRawSync(Buffer.alloc(4 * 1024 * 1024));
    const liar = buildZip([
      { name: 'mimetype', data: mimetype, method: 0, declaredSize: mimetype.length },
      { name: 'content.xml', data, method: 8, declaredSize: 1000 },
    ]);
    expect((await inputError(readGrids(liar, 'liar.ods'))).code).toBe('file.too_large');
  });
});

// ---------------------------------------------------------------- text files

const HEADER = ['STT', 'Nhiệm vụ', 'Cơ quan chủ trì', 'Thời hạn'];

describe('text files', () => {
  it('reads UTF-8 CSV with a BOM, quoted commas and line breaks, named after the file', async () => {
    const csv = '\ufeffPHỤ LỤC II,,,\r\nSTT,Nhiệm vụ,Cơ quan chủ trì,Thời hạn\r\n1,"Rà soát, đề xuất\r\nvăn bản","Sở Văn hóa, Thể thao và Du lịch",Quý II/2026\r\n';
    const file = path.join(dir, 'phu-luc.csv');
    writeFileSync(file, csv);
    const [grid] = await readGridsFromFile(file);
    expect(grid.sheet).toBe('phu-luc');
    expect(grid.merges).toEqual([]);
    expect(grid.rows).toEqual([['PHỤ LỤC II'], HEADER, ['1', 'Rà soát, đề xuất\r\nvăn bản', 'Sở Văn hóa, Thể thao và Du lịch', 'Quý II/2026']]);
  });

  it('reads CSV without a BOM, keeping the white space of cells', async () => {
    const [grid] = await readGrids(Buffer.from('STT,Nhiệm vụ\n1, Rà soát \n'), 'a.csv');
    expect(grid.rows).toEqual([['STT', 'Nhiệm vụ'], ['1', ' Rà soát ']]);
  });

  it("reads ';'-separated CSV whose texts hold unquoted commas", async () => {
    const csv = 'STT;Nhiệm vụ;Cơ quan chủ trì;Thời hạn\n1;Rà soát, đề xuất, ban hành;Sở Tư pháp, Sở Nội vụ;15/4/2026\n2;Tổ chức;Sở Y tế;Quý III/2026\n';
    const [grid] = await readGrids(Buffer.from(csv), 'a.csv');
    expect(grid.rows[0]).toEqual(HEADER);
    expect(grid.rows[1]).toEqual(['1', 'Rà soát, đề xuất, ban hành', 'Sở Tư pháp, Sở Nội vụ', '15/4/2026']);
  });

  it('reads UTF-16LE tab-separated text (Excel "Unicode Text") with quoted line breaks', async () => {
    const text = '\ufeffSTT\tNhiệm vụ\tCơ quan chủ trì\tThời hạn\r\n1\t"Dòng một\nDòng ""hai"""\tSở Y tế\t30/6/2026\r\n';
    const [grid] = await readGrids(Buffer.from(text, 'utf16le'), 'unicode.txt');
    expect(grid.rows).toEqual([HEADER, ['1', 'Dòng một\nDòng "hai"', 'Sở Y tế', '30/6/2026']]);
  });

  it('reads plain tab-separated lines: a line without tabs is one cell, quotes are content', async () => {
    const text = '**PHỤ LỤC II**  \n\nSTT\tNhiệm vụ\n8\txoá vùng "lỗ sóng".\n\tđất của các cơ quan\n';
    const [grid] = await readGrids(Buffer.from(text), 'seed.txt');
    expect(grid.rows).toEqual([['**PHỤ LỤC II**  '], [], ['STT', 'Nhiệm vụ'], ['8', 'xoá vùng "lỗ sóng".'], [null, 'đất của các cơ quan']]);
  });

  it('reads text typed in TCVN3', async () => {
    // TCVN3 bytes of the letters used below (lower-case; ASCII stays itself).
    const tcvn3: Record<string, number> = { ệ: 0xd6, ụ: 0xf4, ơ: 0xac, ủ: 0xf1, ì: 0xd7, ờ: 0xea, ạ: 0xb9, ở: 0xeb, ọ: 0xe4, à: 0xb5, ô: 0xab, ý: 0xfd, ư: 0xad, ế: 0xd5, á: 0xb8, ă: 0xa8, ả: 0xb6, í: 0xdd, ê: 0xaa };
    const encode = (s: string) =>
      Uint8Array.from([...s].map((c) => (c.charCodeAt(0) < 0x80 ? c.charCodeAt(0) : (tcvn3[c] ?? fail(c)))));
    const fail = (c: string): number => {
      throw new Error(`no TCVN3 byte for ${c} in the test map`);
    };
    const lines = ['STT\tNhiệm vụ\tCơ quan chủ trì\tThời hạn', '1\tRà soát văn bản\tSở Khoa học và Công nghệ\tQuý II/2026', '2\tQuản lý tài sản\tSở Tài chính\tThường xuyên'];
    const [grid] = await readGrids(encode(lines.join('\r\n')), 'tcvn3.txt');
    expect(grid.rows).toEqual(lines.map((l) => l.split('\t')));
  });

  it('refuses unknown binary types and binary text', async () => {
    expect((await inputError(readGrids(Buffer.from('%PDF-1.7'), 'kh.pdf'))).code).toBe('file.type');
    expect((await inputError(readGrids(Buffer.from([0x41, 0, 0, 0, 0x42, 0, 0, 0]), 'x.txt'))).code).toBe('file.binary');
  });
});

describe('text files within the limits', () => {
  it('refuses more rows than allowed, as CSV and as plain tab-separated lines', async () => {
    const csv = Array.from({ length: 1001 }, (_, i) => `${i + 1},"Nhiệm vụ, số ${i + 1}"`).join('\n');
    expect((await readGrids(Buffer.from(csv), 'a.csv', { maxRows: 1001 }))[0].rows).toHaveLength(1001);
    const error = await inputError(readGrids(Buffer.from(csv), 'a.csv', { maxRows: 1000 }));
    expect(error.code).toBe('file.too_many_rows');
    expect(error.where).toEqual({ sheet: 'a', row: 1001 });
    const tsv = '1\tx\n'.repeat(100_001);
    expect((await inputError(readGrids(Buffer.from(tsv), 'b.txt'))).where).toEqual({ sheet: 'b', row: 100_001 });
  });

  it('refuses a cell longer than Excel allows and rows wider than allowed, naming where', async () => {
    const long = await inputError(readGrids(Buffer.from(`STT,Nhiệm vụ\n1,${'ệ'.repeat(100_000)}\n`), 'a.csv'));
    expect(long.code).toBe('file.cell_too_long');
    expect(long.where).toEqual({ sheet: 'a', row: 2, field: 'B2' });
    const wide = await inputError(readGrids(Buffer.from(`${'x,'.repeat(300)}x\n`), 'a.csv'));
    expect(wide.code).toBe('file.too_many_columns');
    expect(wide.where).toEqual({ sheet: 'a', row: 1, field: 'GS' });
  });

  it('refuses limits that are not positive integers as a programming error', async () => {
    await expect(readGrids(Buffer.from('a'), 'a.csv', { maxRows: 0 })).rejects.toThrow(RangeError);
  });
});

describe('other containers', () => {
  it('refuses a Word .docx or OpenDocument text as not a spreadsheet', async () => {
    const docx = buildZip([{ name: 'word/document.xml', data: Buffer.from('<w:document/>'), method: 0, declaredSize: 13 }]);
    const error = await inputError(readGrids(docx, 'ke-hoach.docx'));
    expect(error.code).toBe('file.type');
    expect(error.messageEn).toMatch(/Word \(\.docx\) file is not a spreadsheet/);
    const odt = Buffer.from('application/vnd.oasis.opendocument.text');
    expect((await inputError(readGrids(buildZip([{ name: 'mimetype', data: odt, method: 0, declaredSize: odt.length }]), 'a.odt'))).code).toBe('file.type');
  });
});

describe('detectDelimiter', () => {
  it('chooses the separator that splits records evenly, ignoring quoted text and title lines', () => {
    expect(detectDelimiter('Phụ lục II\nSTT;Nhiệm vụ;Thời hạn\n1;Rà soát, đề xuất, sửa đổi;Quý II\n2;Tổ chức, triển khai;Năm 2026\n')).toBe(';');
    expect(detectDelimiter('STT,Nhiệm vụ,Thời hạn\n1,"Rà soát; đề xuất; sửa đổi",Quý II\n2,"Tổ chức; triển khai",2026\n')).toBe(',');
    expect(detectDelimiter('STT\tNhiệm vụ\tThời hạn\n1\tRà soát, đề xuất\tQuý II\n')).toBe('\t');
  });
});
