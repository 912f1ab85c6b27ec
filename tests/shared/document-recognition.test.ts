/**
 * A whole document: the letter's prose tasks and its annex table's tasks, in
 * document order, the annex tasks in a section of their own named after the annex.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { recognizeAnnex } from '../../shared/annex';
import type { DocumentContent } from '../../shared/document';
import { recognizeDocument } from '../../shared/document-recognition';
import { Diagnostic, Task } from '../../shared/schemas';
import { fixtureGrid } from './grid-from-text';
import { documentFromText, PROSE_FIXTURES } from './prose-corpus';

const AS_OF = '2026-05-20';

describe('recognizeDocument', () => {
  const annex = fixtureGrid('seeds/003-phu-luc-II.txt');
  const alone = recognizeAnnex(annex, { asOf: AS_OF });
  const letter = readFileSync(join(PROSE_FIXTURES, 'seeds', '000-cong-van.txt'), 'utf8').split('\n');
  const closing = letter.findIndex((line) => line.startsWith('Yêu cầu các sở, ban, ngành thực hiện'));
  const doc: DocumentContent = {
    name: 'cong-van-kem-phu-luc.docx',
    format: 'docx',
    blocks: [
      ...letter.slice(0, closing).map((text) => ({ kind: 'paragraph' as const, text })),
      { kind: 'paragraph', text: 'PHỤ LỤC II: DANH MỤC NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM' },
      { kind: 'table', grid: annex },
      ...letter.slice(closing).map((text) => ({ kind: 'paragraph' as const, text })),
    ],
  };
  const result = recognizeDocument(doc, { asOf: AS_OF });

  it('finds the prose tasks and the annex tasks, in document order', () => {
    expect(alone.tasks.length).toBeGreaterThan(10);
    expect(result.tables).toBe(1);
    expect(result.proseTasks).toBe(21);
    expect(result.tasks).toHaveLength(21 + alone.tasks.length);
    const annexAt = result.tasks.findIndex((t) => (t.section ?? '').startsWith('Phụ lục II'));
    expect(annexAt).toBe(20);
    expect(result.tasks.slice(annexAt, annexAt + alone.tasks.length).map((t) => t.task)).toEqual(alone.tasks.map((t) => t.task));
    // The closing paragraph's "Giao Sở Khoa học và Công nghệ …" comes after the annex, where the document has it.
    expect(result.tasks[result.tasks.length - 1].task).toMatch(/^Giao Sở Khoa học và Công nghệ/);
  });

  it('puts the annex tasks in a section of their own, keeping the annex’s sections', () => {
    const annexTasks = result.tasks.filter((t) => (t.section ?? '').startsWith('Phụ lục II'));
    expect(annexTasks).toHaveLength(alone.tasks.length);
    annexTasks.forEach((t, i) => {
      expect(t.section).toBe(alone.tasks[i].section ? `Phụ lục II – ${alone.tasks[i].section}` : 'Phụ lục II');
      expect(t.sectionTitle).toContain('PHỤ LỤC II');
      expect(t.id).toBe(alone.tasks[i].id);
    });
    const prose = result.tasks.filter((t) => !(t.section ?? '').startsWith('Phụ lục'));
    expect(new Set([...prose, ...annexTasks].map((t) => t.id)).size).toBe(result.tasks.length);
  });

  it('gives tasks and diagnostics of the shapes every part exchanges', () => {
    expect(() => Task.array().parse(result.tasks)).not.toThrow();
    expect(() => Diagnostic.array().parse(result.diagnostics)).not.toThrow();
    for (const d of result.diagnostics) expect(d.message).not.toBe(d.messageEn);
  });

  it('numbers prose rows by block, so a message points at the paragraph', () => {
    const police = result.tasks.find((t) => t.task.startsWith('Chỉ đạo Công an cấp xã'));
    const block = doc.blocks[(police?.row ?? 0) - 1];
    expect(block.kind === 'paragraph' && block.text).toContain('Chỉ đạo Công an cấp xã');
  });

  it('gives a letter without a table its prose tasks only', () => {
    const only = recognizeDocument(documentFromText('004.txt', readFileSync(join(PROSE_FIXTURES, 'seeds', '004-cong-van.txt'), 'utf8')), { asOf: AS_OF });
    expect(only).toMatchObject({ tables: 0, proseTasks: 9 });
    expect(only.tasks).toHaveLength(9);
  });

  it('says so when a document assigns nothing', () => {
    const empty = recognizeDocument({ name: 'thu-moi.docx', format: 'docx', blocks: [{ kind: 'paragraph', text: 'Kính mời đồng chí dự hội nghị.' }] }, { asOf: AS_OF });
    expect(empty.tasks).toEqual([]);
    expect(empty.diagnostics).toEqual([expect.objectContaining({ code: 'document.no-tasks', severity: 'warning', message: expect.stringContaining('thu-moi.docx') })]);
  });

  it('counts a table that is not a task table as none', () => {
    const notes: DocumentContent = {
      name: 'x.docx',
      format: 'docx',
      blocks: [
        { kind: 'paragraph', text: '1. Sở Tài chính bố trí kinh phí trước ngày 30/6/2026.' },
        { kind: 'table', grid: { sheet: 'Bảng 1', rows: [['Họ và tên', 'Chức vụ'], ['Nguyễn Văn A', 'Giám đốc']], merges: [] } },
      ],
    };
    const r = recognizeDocument(notes, { asOf: AS_OF });
    expect(r).toMatchObject({ tables: 0, proseTasks: 1 });
    expect(r.tasks.map((t) => t.lead)).toEqual([['Sở Tài chính']]);
  });
});
