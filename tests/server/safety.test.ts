/**
 * Bad and hostile input over HTTP: size limits, zip bombs, malformed and
 * mistyped JSON, formula injection, rate limits, CORS, helmet — and the proof
 * that the process keeps answering and that nothing stored was lost.
 */
import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { DATABASE_KINDS, stopTestDatabases } from './pg-cluster';
import { call, createAgency, fileForm, startServer, task, type TestServer } from './http';
import { buildZip } from '../zip-fixture';

afterAll(stopTestDatabases);

const KHCN = 'Sở Khoa học và Công nghệ';
const ADDIN = 'https://addin.example.gov.vn';

/** A zip of deflated entries; `declared` lets an entry lie about its uncompressed size. */
const zip = (entries: { name: string; data: Buffer; declared?: number }[]) =>
  Buffer.from(buildZip(entries.map((e) => ({ name: e.name, data: deflateRawSync(e.data), method: 8, declaredSize: e.declared ?? e.data.length }))));

const BOMB_BYTES = 64 * 1024 * 1024;
const bombEntries = (declared?: number) => [
  { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0"?><Types/>') },
  { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(BOMB_BYTES, 0x20), declared },
];

describe.each(DATABASE_KINDS)('safety on %s', (kind) => {
  let server: TestServer;
  let limited: TestServer;
  let khcn: { id: string; token: string };
  let trackerId: string;
  /** The tracker and its change feed before any bad request. */
  let before: { tracker: unknown; changes: unknown };

  beforeAll(async () => {
    server = await startServer(kind, {
      config: { jsonLimit: 16 * 1024, uploadLimit: 256 * 1024, xlsxMaxUncompressed: 8 * 1024 * 1024, addinOrigin: ADDIN },
    });
    limited = await startServer(kind, { store: server.store, adminToken: server.adminToken, config: { rateLimit: 5 } });
    khcn = await createAgency(server, KHCN);
    const created = await call(server, server.adminToken, 'POST', '/api/trackers', {
      title: '=cmd|"/c calc"!A1',
      tasks: [
        task('f1', [KHCN], { task: '=HYPERLINK("http://evil.example","Bấm vào đây")', stt: '1' }),
        task('f2', [KHCN], { task: 'Nhiệm vụ bình thường', stt: '2', output: '@SUM(1+1)' }),
      ],
    });
    trackerId = created.body.id;
    const synced = await call(server, khcn.token, 'POST', `/api/trackers/${trackerId}/sync`, {
      changes: [{ taskId: 'f1', baseVersion: 0, fields: { status: 'in_progress', result: '+1+2', evidence: '-2+3', note: '@A1' } }],
    });
    expect(synced.body.applied).toHaveLength(1);
    before = await snapshot();
  });
  afterAll(async () => {
    await limited?.close();
    await server?.close();
  });

  async function snapshot() {
    const tracker = (await call(server, server.adminToken, 'GET', `/api/trackers/${trackerId}`)).body;
    const changes = (await call(server, server.adminToken, 'GET', `/api/trackers/${trackerId}/changes`)).body;
    return { tracker, changes };
  }

  const sync = (body: unknown, token = khcn.token) => call(server, token, 'POST', `/api/trackers/${trackerId}/sync`, body);

  it('answers 413 with a bilingual message to an oversized JSON body', async () => {
    const res = await sync({ changes: [{ taskId: 'f1', baseVersion: 1, fields: { note: 'x'.repeat(20 * 1024) } }] });
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: 'request.too_large' });
    expect(res.body.error.message).toMatch(/giới hạn/);
    expect(res.body.error.messageEn).toMatch(/limit/);
  });

  it('answers 413 to an oversized upload', async () => {
    const big = new Uint8Array(300 * 1024).fill(65);
    const res = await call(server, khcn.token, 'POST', `/api/trackers/${trackerId}/submissions`, fileForm(big, 'big.xlsx'));
    expect(res.status).toBe(413);
    expect(res.body.error.messageEn).toBeTruthy();
  });

  it('refuses zip bombs unopened, whether their sizes are honest or lie, and keeps answering', async () => {
    const honest = zip(bombEntries());
    const lying = zip(bombEntries(4096));
    expect(honest.length).toBeLessThan(256 * 1024);
    for (const bytes of [honest, lying]) {
      for (const path of [`/api/trackers/${trackerId}/submissions`, '/api/trackers']) {
        const token = path === '/api/trackers' ? server.adminToken : khcn.token;
        const res = await call(server, token, 'POST', path, fileForm(bytes, 'bom.xlsx', path === '/api/trackers' ? { title: 'Bom' } : {}));
        expect([400, 413]).toContain(res.status);
        expect(res.body.error.code).toBe('file.too_large');
      }
    }
    expect((await call(server, null, 'GET', '/healthz')).status).toBe(200);
    expect((await call(server, khcn.token, 'GET', `/api/trackers/${trackerId}`)).status).toBe(200);
  });

  it('answers 400 to malformed JSON', async () => {
    const res = await sync('{"changes": [');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('request.malformed');
    expect(res.body.error.message).toBeTruthy();
  });

  it('answers 400 naming the field to values of the wrong type', async () => {
    const cases: [unknown, string][] = [
      [{ changes: [{ taskId: 'f1', baseVersion: 'one', fields: {} }] }, 'changes.0.baseVersion'],
      [{ changes: [{ taskId: 'f1', baseVersion: 1, fields: { status: 'finished' } }] }, 'changes.0.fields.status'],
      [{ changes: [{ taskId: 'f1', baseVersion: 1, fields: { completedOn: '31/12/2026' } }] }, 'changes.0.fields.completedOn'],
      [{ changes: 'all' }, 'changes'],
      [[1, 2], ''],
    ];
    for (const [body, field] of cases) {
      const res = await sync(body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('request.invalid');
      if (field) {
        expect(res.body.error.field).toBe(field);
        expect(res.body.error.message).toContain(field);
        expect(res.body.error.messageEn).toContain(field);
      }
    }
    const row = await sync({ changes: [{ taskId: 'f1', baseVersion: 0, fields: {} }, { taskId: 'f2', baseVersion: -1, fields: {} }] });
    expect(row.body.error).toMatchObject({ field: 'changes.1.baseVersion', row: 2 });
    const tracker = await call(server, server.adminToken, 'POST', '/api/trackers', { title: 'x', tasks: [{ id: 'a' }] });
    expect(tracker.status).toBe(400);
    expect(tracker.body.error.field).toMatch(/^tasks\.0\./);
  });

  it('neutralises cells that begin with = + - @ in the export and the report', async () => {
    const res = await call(server, server.adminToken, 'GET', `/api/trackers/${trackerId}/export.xlsx?asOf=2026-06-01`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as never);
    const dangerous: string[] = [];
    const neutralised: string[] = [];
    for (const sheet of wb.worksheets) {
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          if (cell.type === ExcelJS.ValueType.Formula) {
            const formula = (cell.value as { formula?: string }).formula ?? '';
            if (/HYPERLINK|cmd|SUM\(1/.test(formula)) dangerous.push(formula);
          } else if (typeof cell.value === 'string') {
            if (/^[=+\-@]/.test(cell.value)) dangerous.push(cell.value);
            if (/^\u200b[=+\-@]/.test(cell.value)) neutralised.push(cell.value.slice(1));
          }
        }),
      );
    }
    expect(dangerous).toEqual([]);
    expect(neutralised).toEqual(
      expect.arrayContaining(['=cmd|"/c calc"!A1', '=HYPERLINK("http://evil.example","Bấm vào đây")', '@SUM(1+1)', '+1+2', '-2+3', '@A1']),
    );

    const report = await call(server, server.adminToken, 'GET', `/api/trackers/${trackerId}/report.xlsx?asOf=2026-07-15`);
    const rb = new ExcelJS.Workbook();
    await rb.xlsx.load(report.body as never);
    const texts: string[] = [];
    rb.worksheets.forEach((s) => s.eachRow((row) => row.eachCell((c) => void (typeof c.value === 'string' && texts.push(c.value)))));
    expect(texts.filter((t) => /^[=+\-@]/.test(t))).toEqual([]);
    expect(texts).toContain('\u200b=HYPERLINK("http://evil.example","Bấm vào đây")');
  });

  it('answers 429 once a token or an address goes over the rate limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await call(limited, khcn.token, 'GET', `/api/trackers/${trackerId}`)).status);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const res = await call(limited, khcn.token, 'GET', '/api/trackers');
    expect(res.body.error).toMatchObject({ code: 'rate.limited' });
    expect(res.body.error.message).toBeTruthy();
    expect(res.body.error.messageEn).toMatch(/Too many/);
    // Another token has its own budget.
    expect((await call(limited, server.adminToken, 'GET', '/api/trackers')).status).toBe(200);
    // Guessing tokens from one address is cut off too.
    const guesses: number[] = [];
    for (let i = 0; i < 7; i++) guesses.push((await call(limited, `guess-${i}-${'x'.repeat(40)}`, 'GET', '/api/trackers')).status);
    expect(guesses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(guesses.slice(5)).toEqual([429, 429]);
  });

  it('sends CORS headers to the add-in origin only', async () => {
    const allowed = await call(server, khcn.token, 'GET', '/api/me', undefined, { origin: ADDIN });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ADDIN);
    const other = await call(server, khcn.token, 'GET', '/api/me', undefined, { origin: 'https://evil.example' });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${server.url}/api/trackers/${trackerId}/sync`, {
      method: 'OPTIONS',
      headers: { origin: ADDIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Idempotency-Key/);
    const foreign = await fetch(`${server.url}/api/trackers/${trackerId}/sync`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sets an API’s security headers: nothing runs or frames, no sniffing, HTTPS remembered', async () => {
    for (const res of [await call(server, khcn.token, 'GET', '/api/me'), await call(server, null, 'GET', '/api/me'), await call(server, khcn.token, 'GET', '/api/nowhere')]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('strict-transport-security')).toContain('max-age=31536000');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('answers unknown routes with the error shape', async () => {
    const res = await call(server, khcn.token, 'GET', '/api/nope');
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'route.not_found' });
  });

  it('lost nothing stored through all the bad requests', async () => {
    expect(await snapshot()).toEqual(before);
    // And still takes good ones.
    const ok = await sync({ changes: [{ taskId: 'f2', baseVersion: 0, fields: { status: 'done', completedOn: '2026-05-05' } }] });
    expect(ok.body.applied).toEqual([{ taskId: 'f2', version: 1 }]);
  });
});
