/** The service's request log: a line per request, with its status and time, and never a token. */
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createApp } from '../../server/app';
import { generateToken, hashToken } from '../../server/auth';
import { openStore } from '../../server/store/kysely-store';
import { freshStoreUrl, stopTestDatabases } from './pg-cluster';
import { testConfig } from './http';

afterAll(stopTestDatabases);

it('logs each request once answered, at a level by its status, without its headers', async () => {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const store = await openStore(await freshStoreUrl('sqlite'));
  const token = generateToken();
  await store.ensureAdminToken(hashToken(token));
  const server = createApp({ store, config: testConfig(), logger: pino({ level: 'info' }, sink), addinDir: null }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    expect((await fetch(`${base}/api/trackers`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await fetch(`${base}/api/trackers/nope`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
    expect((await fetch(`${base}/api/trackers`, { headers: { authorization: 'Bearer wrong-token-of-someone' } })).status).toBe(401);
    await new Promise((resolve) => setImmediate(resolve));
    const requests = lines.filter((l) => l.msg === 'request completed');
    expect(requests.map((l) => [(l.req as { url: string }).url, (l.res as { statusCode: number }).statusCode, l.level])).toEqual([
      ['/api/trackers', 200, 30],
      ['/api/trackers/nope', 404, 40],
      ['/api/trackers', 401, 40],
    ]);
    expect(requests.every((l) => typeof l.responseTime === 'number')).toBe(true);
    const text = JSON.stringify(lines);
    expect(text).not.toContain(token);
    expect(text).not.toContain('wrong-token-of-someone');
    expect(text).not.toMatch(/authorization/i);
  } finally {
    server.close();
    await store.close();
  }
});
