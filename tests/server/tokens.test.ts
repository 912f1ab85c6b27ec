/**
 * Token lifecycle (issue 10, finding 3) on SQLite and PostgreSQL: re-creating
 * an agency mints no token, the administrator lists, adds, rotates and revokes
 * an agency's tokens, ADMIN_TOKEN replaces the stored administrator token, and
 * `annex-tracker admin reset-token` sets a new one from the service's machine.
 */
import path from 'node:path';
import { main } from '../../cli/main';
import { hashToken } from '../../server/auth';
import { openStore } from '../../server/store/kysely-store';
import { DATABASE_KINDS, freshStoreUrl, stopTestDatabases } from './pg-cluster';
import { call, createAgency, startServer, type TestServer } from './http';

afterAll(stopTestDatabases);

const KHCN = 'Sở Khoa học và Công nghệ';

/** Runs the CLI in-process, returning its exit status and what it printed. */
async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const write = (sink: 'out' | 'err') => (chunk: string | Uint8Array) => {
    if (sink === 'out') out += String(chunk);
    else err += String(chunk);
    return true;
  };
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(write('out'));
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(write('err'));
  try {
    return { code: await main(args), out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

describe.each(DATABASE_KINDS)('tokens on %s', (kind) => {
  let server: TestServer;
  let khcn: { id: string; token: string };
  const admin = () => server.adminToken;
  const me = (token: string) => call(server, token, 'GET', '/api/me');

  beforeAll(async () => {
    server = await startServer(kind);
    khcn = await createAgency(server, KHCN);
  });
  afterAll(() => server?.close());

  it('answers 409 to creating an agency again and mints no token', async () => {
    const before = (await call(server, admin(), 'GET', `/api/agencies/${khcn.id}/tokens`)).body;
    const again = await call(server, admin(), 'POST', '/api/agencies', { name: 'Sở KH&CN' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'agency.exists', field: 'name' });
    expect(again.body.error.message).toContain(khcn.id);
    expect(again.body.error.messageEn).toContain('rotate');
    expect((await call(server, admin(), 'GET', `/api/agencies/${khcn.id}/tokens`)).body).toEqual(before);
  });

  it('lists an agency’s tokens without their secrets', async () => {
    const list = await call(server, admin(), 'GET', `/api/agencies/${khcn.id}/tokens`);
    expect(list.status).toBe(200);
    expect(list.body).toEqual([{ id: expect.any(String), createdAt: expect.any(String), revokedAt: null }]);
    expect(JSON.stringify(list.body)).not.toContain(khcn.token);
    expect(JSON.stringify(list.body)).not.toContain(hashToken(khcn.token));
  });

  it('issues a further token, revokes one, and rotates all', async () => {
    const second = await call(server, admin(), 'POST', `/api/agencies/${khcn.id}/tokens`);
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ id: expect.any(String), token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), revoked: 0, revokedAt: null });
    expect((await me(second.body.token)).body).toMatchObject({ role: 'agency', agencyId: khcn.id });
    expect((await me(khcn.token)).status).toBe(200);

    const revoked = await call(server, admin(), 'POST', `/api/agencies/${khcn.id}/tokens/${second.body.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: second.body.id, revokedAt: expect.any(String) });
    expect((await me(second.body.token)).status).toBe(401);
    expect((await me(khcn.token)).status).toBe(200);
    // Revoking again changes nothing, not even the day it was revoked.
    const twice = await call(server, admin(), 'POST', `/api/agencies/${khcn.id}/tokens/${second.body.id}/revoke`);
    expect(twice.body.revokedAt).toBe(revoked.body.revokedAt);

    const third = await call(server, admin(), 'POST', `/api/agencies/${khcn.id}/tokens`);
    const rotated = await call(server, admin(), 'POST', `/api/agencies/${khcn.id}/tokens/rotate`);
    expect(rotated.status).toBe(201);
    expect(rotated.body.revoked).toBe(2);
    for (const old of [khcn.token, third.body.token]) expect((await me(old)).status).toBe(401);
    expect((await me(rotated.body.token)).body).toMatchObject({ role: 'agency', agencyId: khcn.id });

    const list = (await call(server, admin(), 'GET', `/api/agencies/${khcn.id}/tokens`)).body as { id: string; revokedAt: string | null }[];
    expect(list).toHaveLength(4);
    expect(list.filter((t) => t.revokedAt === null).map((t) => t.id)).toEqual([rotated.body.id]);
    khcn = { ...khcn, token: rotated.body.token };
  });

  it('answers 404 for an unknown agency or a token of another agency', async () => {
    const other = await createAgency(server, 'Sở Y tế');
    const otherTokens = (await call(server, admin(), 'GET', `/api/agencies/${other.id}/tokens`)).body;
    expect((await call(server, admin(), 'GET', '/api/agencies/nope/tokens')).status).toBe(404);
    expect((await call(server, admin(), 'POST', '/api/agencies/nope/tokens/rotate')).status).toBe(404);
    const cross = await call(server, admin(), 'POST', `/api/agencies/${khcn.id}/tokens/${otherTokens[0].id}/revoke`);
    expect(cross.status).toBe(404);
    expect(cross.body.error.code).toBe('token.not_found');
    expect((await me(other.token)).status).toBe(200);
  });

  it('keeps token management to the administrator', async () => {
    for (const [method, route] of [
      ['GET', `/api/agencies/${khcn.id}/tokens`],
      ['POST', `/api/agencies/${khcn.id}/tokens`],
      ['POST', `/api/agencies/${khcn.id}/tokens/rotate`],
    ] as const) {
      expect((await call(server, khcn.token, method, route)).status).toBe(403);
    }
  });

  it('makes ADMIN_TOKEN (setAdminToken) the administrator’s token, replacing the stored one', async () => {
    const fresh = await startServer(kind);
    try {
      const replacement = 'Replacement-admin-token-0123456789';
      await fresh.store.setAdminToken(hashToken(replacement));
      expect((await call(fresh, fresh.adminToken, 'GET', '/api/me')).status).toBe(401);
      expect((await call(fresh, replacement, 'GET', '/api/me')).body).toMatchObject({ role: 'admin' });
    } finally {
      await fresh.close();
    }
  });
});

describe.each(DATABASE_KINDS)('annex-tracker admin reset-token on %s', (kind) => {
  it('sets a new administrator token; the old one stops working', async () => {
    const url = await freshStoreUrl(kind);
    const store = await openStore(url);
    await store.ensureAdminToken(hashToken('old-admin-token-0123456789'));
    await store.close();
    const args = kind === 'sqlite' ? ['--data-dir', path.dirname(url)] : ['--database-url', url];
    // The service's file name in its data folder.
    if (kind === 'sqlite') {
      const { renameSync } = await import('node:fs');
      renameSync(url, path.join(path.dirname(url), 'annex-tracker.sqlite'));
    }
    const r = await cli(['admin', 'reset-token', ...args]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const token = /^\s{2}(\S+)$/m.exec(r.out)?.[1];
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const reopened = await openStore(kind === 'sqlite' ? path.join(path.dirname(url), 'annex-tracker.sqlite') : url);
    try {
      expect(await reopened.findCaller(hashToken('old-admin-token-0123456789'))).toBeNull();
      expect(await reopened.findCaller(hashToken(token!))).toMatchObject({ role: 'admin' });
    } finally {
      await reopened.close();
    }
  });
});

describe('annex-tracker admin reset-token', () => {
  it('refuses a folder without the service’s database, and a bad subcommand, in both languages', async () => {
    const missing = await cli(['admin', 'reset-token', '--data-dir', '/nonexistent/annex-data']);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/Không có cơ sở dữ liệu .*No database at/);
    const bad = await cli(['admin', 'rotate']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/Usage: annex-tracker admin reset-token/);
  });
});
