/**
 * Trackers from documents over HTTP on loopback (SQLite): the preview of a Word
 * letter's tasks, then the tracker created from the same file with the same tasks;
 * refusals answer 400 with the bilingual line naming the file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Task } from '../../shared/schemas';
import { stopTestDatabases } from './pg-cluster';
import { call, createAgency, fileForm, startServer, type TestServer } from './http';

afterAll(stopTestDatabases);

const DOCUMENTS = path.join(__dirname, '../fixtures/documents');
const AS_OF = '2026-04-20';

describe('trackers from documents', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer('sqlite');
  });
  afterAll(() => server?.close());

  const letter = () => fileForm(readFileSync(path.join(DOCUMENTS, '004-cong-van.docx')), '004-cong-van.docx', { asOf: AS_OF });

  it('previews the tasks of a Word letter without creating a tracker, then creates it with the same tasks', async () => {
    const before = (await call(server, server.adminToken, 'GET', '/api/trackers')).body.length;
    const preview = await call(server, server.adminToken, 'POST', '/api/trackers/preview', letter());
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ name: '004-cong-van.docx', format: 'docx', title: expect.stringMatching(/^V\/v /) });
    const tasks = preview.body.tasks as Task[];
    expect(tasks.length).toBe(preview.body.proseTasks);
    expect(tasks.length).toBeGreaterThanOrEqual(8);
    expect(tasks.map((t) => t.leadRaw)).toContain('Sở Tài chính');
    expect(tasks.some((t) => t.deadline.raw !== '' && t.deadline.due !== null)).toBe(true);
    expect((await call(server, server.adminToken, 'GET', '/api/trackers')).body.length).toBe(before);

    const created = await call(server, server.adminToken, 'POST', '/api/trackers', letter());
    expect(created.status).toBe(201);
    expect(created.body.title).toBe(preview.body.title);
    expect((created.body.tasks as Task[]).map((t) => [t.id, t.task, t.lead, t.deadline.due])).toEqual(tasks.map((t) => [t.id, t.task, t.lead, t.deadline.due]));
  });

  it('reads a Word annex exactly like its text', async () => {
    const form = (file: string) => fileForm(readFileSync(path.join(__dirname, '../fixtures', file)), path.basename(file), { asOf: AS_OF });
    const fromWord = await call(server, server.adminToken, 'POST', '/api/trackers/preview', form('documents/003-phu-luc-IV.docx'));
    const fromText = await call(server, server.adminToken, 'POST', '/api/trackers/preview', form('seeds/003-phu-luc-IV.txt'));
    expect(fromWord.status).toBe(200);
    const essence = (t: Task) => [t.id, t.stt, t.task, t.lead, t.support, t.deadline, t.output];
    expect((fromWord.body.tasks as Task[]).map(essence)).toEqual((fromText.body.tasks as Task[]).map(essence));
    expect(fromWord.body.proseTasks).toBe(0);
  });

  it('refuses a Word 97 file with 400 and the bilingual reason', async () => {
    const res = await call(server, server.adminToken, 'POST', '/api/trackers/preview', fileForm(readFileSync(path.join(DOCUMENTS, 'refused-word-97.doc')), 'cu.doc'));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'file.doc', message: expect.stringMatching(/\.docx/), messageEn: expect.stringMatching(/save it as \.docx/) });
  });

  it('keeps the preview for the administrator and describes it in the OpenAPI document', async () => {
    const agency = await createAgency(server, 'Sở Tài chính');
    expect((await call(server, agency.token, 'POST', '/api/trackers/preview', letter())).status).toBe(403);
    const spec = await call(server, null, 'GET', '/api/openapi.json');
    expect(spec.body.paths['/api/trackers/preview'].post).toBeDefined();
    expect(spec.body.components.schemas.Preview.properties.proseTasks).toBeDefined();
  });
});
