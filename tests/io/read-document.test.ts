/**
 * Documents of every format read into the same tasks: the seed annexes rendered as
 * Word files (tests/fixtures/documents, made by scripts/document-fixtures.ts) against
 * the seed text they were rendered from; the seed letters as Word files; Word's own
 * structures (numbering, merged cells, repeated header rows, footnotes) built here
 * with the docx package; and the formats that are refused with one bilingual line.
 * PDFs are read through the command line (tests/io/read-document-pdf.test.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  AlignmentType,
  Document,
  FootnoteReferenceRun,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalMergeType,
} from 'docx';
import { readDocument, readDocumentFromFile } from '../../io/read-document';
import type { DocumentContent } from '../../shared/document';
import { recognizeDocumentTasks } from '../../shared/document-tasks';
import { InputError } from '../../shared/errors';
import type { Task } from '../../shared/schemas';

const ROOT = path.resolve(__dirname, '../..');
const SEEDS = path.join(ROOT, 'tests/fixtures/seeds');
const DOCUMENTS = path.join(ROOT, 'tests/fixtures/documents');
const AS_OF = '2026-04-20';

/** Everything but the sheet row, which depends on how the rows were laid out. */
const withoutRow = (task: Task) => ({ ...task, row: 0 });

async function tasksOf(file: string): Promise<Task[]> {
  return recognizeDocumentTasks(await readDocumentFromFile(file), { asOf: AS_OF }).tasks;
}

async function docx(document: Document, name = 'test.docx'): Promise<DocumentContent> {
  return readDocument(new Uint8Array(await Packer.toBuffer(document)), name);
}

const paragraphs = (doc: DocumentContent) => doc.blocks.flatMap((b) => (b.kind === 'paragraph' ? [b.text] : []));

describe('seed annexes as Word files', () => {
  it.each(['001-phu-luc', '003-phu-luc-II', '003-phu-luc-III', '003-phu-luc-IV'])('%s.docx gives exactly the tasks of the seed text', async (seed) => {
    const fromText = await tasksOf(path.join(SEEDS, `${seed}.txt`));
    const fromWord = await tasksOf(path.join(DOCUMENTS, `${seed}.docx`));
    expect(fromText.length).toBeGreaterThan(10);
    // Ids included: the title lines above the Word table are the annex's title, as in the sheet.
    expect(fromWord.map(withoutRow)).toEqual(fromText.map(withoutRow));
  });

  it('reads the Word table with its header row marked, section rows spanning the row, title paragraphs before it', async () => {
    const doc = await readDocumentFromFile(path.join(DOCUMENTS, '003-phu-luc-II.docx'));
    expect(doc.format).toBe('docx');
    expect(paragraphs(doc)[0]).toBe('PHỤ LỤC II: DANH MỤC NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM');
    const table = doc.blocks.find((b) => b.kind === 'table');
    if (table?.kind !== 'table') throw new Error('no table');
    expect(table.headerRows).toBe(1);
    expect(table.grid.rows[0]).toEqual(['STT', 'Tên nhiệm vụ', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời hạn hoàn thành', 'Kết quả đầu ra']);
    expect(table.grid.rows[1]).toEqual(['I', 'Hoàn thiện thể chế, pháp luật, cơ chế chính sách']);
    expect(table.grid.merges).toContainEqual({ top: 1, left: 1, bottom: 1, right: 5 });
  });
});

describe('seed letters (công văn) as Word files', () => {
  it.each(['000-cong-van', '004-cong-van'])('%s.docx gives exactly the tasks of the seed text', async (seed) => {
    const fromText = await tasksOf(path.join(SEEDS, `${seed}.txt`));
    const fromWord = await tasksOf(path.join(DOCUMENTS, `${seed}.docx`));
    expect(fromText.length).toBeGreaterThanOrEqual(8);
    expect(fromWord.map(withoutRow)).toEqual(fromText.map(withoutRow));
  });

  it('writes Word list numbering into the text, in order ("1.", "2.", "-")', async () => {
    const doc = await readDocumentFromFile(path.join(DOCUMENTS, '000-cong-van.docx'));
    const numbered = paragraphs(doc).filter((p) => /^\d+\. /.test(p));
    expect(numbered.map((p) => p.split(' ')[0])).toEqual(['1.', '2.', '3.', '4.', '5.', '6.', '7.', '8.', '9.', '10.', '11.']);
    expect(paragraphs(doc)).toContain('- Công an tỉnh;');
    expect(paragraphs(doc)[paragraphs(doc).indexOf('2. Công an tỉnh') + 1]).toMatch(/^- Có kế hoạch và đơn đốc/);
    // The XML holds no number: it is Word's numbering, not typed text.
    const xml = readFileSync(path.join(DOCUMENTS, '000-cong-van.docx'));
    expect(xml.includes('2. Công an')).toBe(false);
  });
});

describe('Word structures', () => {
  const cell = (text: string, options: Partial<ConstructorParameters<typeof TableCell>[0]> = {}) =>
    new TableCell({ children: [new Paragraph(text)], ...options });

  it('turns vertical and horizontal merges into grid merges with the text in the top-left cell', async () => {
    const table = new Table({
      rows: [
        new TableRow({ tableHeader: true, children: [cell('STT'), cell('Nhiệm vụ'), cell('Cơ quan chủ trì'), cell('Thời hạn')] }),
        new TableRow({ children: [cell('1'), cell('Việc một'), cell('Sở Tài chính', { verticalMerge: VerticalMergeType.RESTART }), cell('Quý II/2026')] }),
        new TableRow({ children: [cell('2'), cell('Việc hai'), cell('', { verticalMerge: VerticalMergeType.CONTINUE }), cell('Quý III/2026')] }),
        new TableRow({ children: [cell('3'), cell('Việc ba, cả hàng', { columnSpan: 3 })] }),
      ],
    });
    const doc = await docx(new Document({ sections: [{ children: [table] }] }));
    const block = doc.blocks[0];
    if (block.kind !== 'table') throw new Error('no table');
    expect(block.grid.rows).toEqual([
      ['STT', 'Nhiệm vụ', 'Cơ quan chủ trì', 'Thời hạn'],
      ['1', 'Việc một', 'Sở Tài chính', 'Quý II/2026'],
      ['2', 'Việc hai', null, 'Quý III/2026'],
      ['3', 'Việc ba, cả hàng'],
    ]);
    expect(block.grid.merges).toEqual(expect.arrayContaining([{ top: 1, left: 2, bottom: 2, right: 2 }, { top: 3, left: 1, bottom: 3, right: 3 }]));
    // Both tasks of the merged lead cell are that agency's.
    const tasks = recognizeDocumentTasks(doc, { asOf: AS_OF }).tasks;
    expect(tasks.map((t) => t.leadRaw)).toEqual(['Sở Tài chính', 'Sở Tài chính', '']);
  });

  it('joins a table continued after a page break and drops its repeated header rows', async () => {
    const header = () => new TableRow({ tableHeader: true, children: [cell('STT'), cell('Nhiệm vụ'), cell('Cơ quan chủ trì'), cell('Thời hạn')] });
    const row = (n: number) => new TableRow({ children: [cell(String(n)), cell(`Việc ${n}`), cell('Sở Nội vụ'), cell('Quý IV/2026')] });
    const doc = await docx(
      new Document({
        sections: [
          { children: [new Table({ rows: [header(), row(1), row(2)] })] },
          // The second section starts on a new page with the header typed again.
          { children: [new Table({ rows: [header(), row(3), header(), row(4)] })] },
        ],
      }),
    );
    const tables = doc.blocks.filter((b) => b.kind === 'table');
    expect(tables).toHaveLength(1);
    if (tables[0].kind !== 'table') throw new Error('no table');
    // A blank row marks where the page broke (how the annex reader knows a row cut in two).
    expect(tables[0].grid.rows.map((r) => r[0])).toEqual(['STT', '1', '2', undefined, '3', '4']);
  });

  it('materialises lettered, nested and restarted numbering, bullets from symbol fonts, and footnotes after the body', async () => {
    const doc = await docx(
      new Document({
        numbering: {
          config: [
            {
              reference: 'outline',
              levels: [
                { level: 0, format: LevelFormat.UPPER_ROMAN, text: '%1.', start: 1 },
                { level: 1, format: LevelFormat.DECIMAL, text: '%1.%2.', start: 1 },
                { level: 2, format: LevelFormat.LOWER_LETTER, text: '%3)', start: 1 },
              ],
            },
            { reference: 'symbol', levels: [{ level: 0, format: LevelFormat.BULLET, text: '\uf0b7', alignment: AlignmentType.LEFT }] },
          ],
        },
        footnotes: { 1: { children: [new Paragraph('Thông báo số 17-TB/CQTTCĐ.')] } },
        sections: [
          {
            children: [
              new Paragraph({ numbering: { reference: 'outline', level: 0 }, text: 'Mục tiêu' }),
              new Paragraph({ numbering: { reference: 'outline', level: 1 }, text: 'Sở Tài chính' }),
              new Paragraph({ numbering: { reference: 'outline', level: 2 }, text: 'bố trí kinh phí' }),
              new Paragraph({ numbering: { reference: 'outline', level: 2 }, children: [new TextRun('rà soát'), new FootnoteReferenceRun(1)] }),
              new Paragraph({ numbering: { reference: 'outline', level: 1 }, text: 'Sở Nội vụ' }),
              new Paragraph({ numbering: { reference: 'outline', level: 0 }, text: 'Giải pháp' }),
              new Paragraph({ numbering: { reference: 'outline', level: 1 }, text: 'Công an tỉnh' }),
              new Paragraph({ numbering: { reference: 'symbol', level: 0 }, text: 'Như trên;' }),
            ],
          },
        ],
      }),
    );
    expect(paragraphs(doc)).toEqual([
      'I. Mục tiêu',
      // "%1.%2." shows each level in its own format, as Word does.
      'I.1. Sở Tài chính',
      'a) bố trí kinh phí',
      'b) rà soát¹',
      'I.2. Sở Nội vụ',
      'II. Giải pháp',
      'II.1. Công an tỉnh',
      '- Như trên;',
      '¹ Thông báo số 17-TB/CQTTCĐ.',
    ]);
    expect(doc.blocks[doc.blocks.length - 1]).toMatchObject({ kind: 'paragraph', role: 'footnote' });
  });
});

describe('formats chosen by content', () => {
  it('reads a text letter as paragraphs and a tab-separated annex as one table, whatever the extension', async () => {
    const letter = readFileSync(path.join(SEEDS, '004-cong-van.txt'));
    const asText = await readDocument(letter, 'cong-van.md');
    expect(asText.blocks.every((b) => b.kind === 'paragraph')).toBe(true);
    expect(paragraphs(asText)).toContain('3. Sở Nội vụ');
    const annex = await readDocument(readFileSync(path.join(SEEDS, '003-phu-luc-II.txt')), 'phu-luc.txt');
    expect(annex.blocks.map((b) => b.kind)).toEqual(['table']);
    // A Word file named .xlsx is still read as Word.
    const word = await readDocument(readFileSync(path.join(DOCUMENTS, '001-phu-luc.docx')), 'renamed.xlsx');
    expect(word.format).toBe('docx');
  });

  it('refuses a Word 97 .doc with one bilingual line saying to save it as .docx', async () => {
    const error = await readDocumentFromFile(path.join(DOCUMENTS, 'refused-word-97.doc')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('file.doc');
    expect((error as InputError).message).toMatch(/Word 97-2003.*\.docx/);
    expect((error as InputError).messageEn).toMatch(/save it as \.docx/);
  });

  it('refuses a damaged Word file and an RTF file by name, never with a crash', async () => {
    const bytes = readFileSync(path.join(DOCUMENTS, '001-phu-luc.docx'));
    const cut = await readDocument(bytes.subarray(0, bytes.length - 200), 'cut.docx').catch((e: unknown) => e);
    expect(cut).toBeInstanceOf(InputError);
    expect((cut as InputError).bilingual()).toMatch(/cut\.docx/);
    const rtf = await readDocument(new TextEncoder().encode('{\\rtf1\\ansi Xin chào}'), 'thu.rtf').catch((e: unknown) => e);
    expect((rtf as InputError).code).toBe('file.rtf');
  });
});
