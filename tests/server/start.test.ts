/**
 * Starting the service (issue 10, finding 9): a busy port says EADDRINUSE in
 * both languages and prints no token, which the next good start then prints;
 * an unusable data folder or a damaged database file is named with its cause.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { start, SQLITE_FILE } from '../../server/main';
import type { InputError } from '../../shared/errors';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'annex-start-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** start() with stdout captured. */
async function startCapturing(env: NodeJS.ProcessEnv): Promise<{ result: Awaited<ReturnType<typeof start>> | null; error: InputError | null; out: string }> {
  let out = '';
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    return { result: await start({ LOG_LEVEL: 'silent', HOST: '127.0.0.1', ...env }), error: null, out };
  } catch (error) {
    return { result: null, error: error as InputError, out };
  } finally {
    spy.mockRestore();
  }
}

describe('start', () => {
  it('says EADDRINUSE in both languages on a busy port, prints no token, and the next start prints it', async () => {
    const dataDir = tempDir();
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', () => resolve()));
    const port = (busy.address() as { port: number }).port;
    try {
      const failed = await startCapturing({ DATA_DIR: dataDir, PORT: String(port) });
      expect(failed.result).toBeNull();
      expect(failed.error!.message).toMatch(/EADDRINUSE/);
      expect(failed.error!.message).toMatch(/Cổng/);
      expect(failed.error!.messageEn).toMatch(/already in use \(EADDRINUSE\)/);
      expect(failed.out).not.toMatch(/Administrator token/);
    } finally {
      await new Promise<void>((resolve) => busy.close(() => resolve()));
    }
    const ok = await startCapturing({ DATA_DIR: dataDir, PORT: '0' });
    try {
      expect(ok.error).toBeNull();
      expect(ok.out).toMatch(/Administrator token \(shown once, keep it\):\n\n {2}[A-Za-z0-9_-]{43}\n/);
    } finally {
      await ok.result?.close();
    }
  });

  it('makes a later ADMIN_TOKEN the administrator’s token, replacing the one printed at first start', async () => {
    const dataDir = tempDir();
    const first = await startCapturing({ DATA_DIR: dataDir, PORT: '0' });
    const printed = /^ {2}(\S+)$/m.exec(first.out)![1];
    await first.result!.close();
    const chosen = 'office-chosen-admin-token-2026';
    const second = await startCapturing({ DATA_DIR: dataDir, PORT: '0', ADMIN_TOKEN: chosen });
    try {
      expect(second.out).not.toMatch(/Administrator token/);
      const me = (token: string) => fetch(`http://127.0.0.1:${second.result!.port}/api/me`, { headers: { authorization: `Bearer ${token}` } });
      expect((await me(chosen)).status).toBe(200);
      expect((await me(printed)).status).toBe(401);
    } finally {
      await second.result?.close();
    }
  });

  it('names a damaged database file and the cause', async () => {
    const dataDir = tempDir();
    writeFileSync(path.join(dataDir, SQLITE_FILE), Buffer.alloc(8192, 0x41));
    const { error, result } = await startCapturing({ DATA_DIR: dataDir, PORT: '0' });
    await result?.close();
    expect(error!.message).toContain(path.join(dataDir, SQLITE_FILE));
    expect(error!.message).toMatch(/không phải cơ sở dữ liệu SQLite/);
    expect(error!.messageEn).toMatch(/Cannot open the database .* not an SQLite database/);
  });

  it('names a data folder that cannot be made', async () => {
    // /sys refuses new folders even to root; elsewhere a folder under a plain file does.
    const file = path.join(tempDir(), 'plain-file');
    writeFileSync(file, 'x');
    for (const dataDir of ['/sys/annex-tracker-data', path.join(file, 'data')]) {
      const { error, result } = await startCapturing({ DATA_DIR: dataDir, PORT: '0' });
      await result?.close();
      expect(error!.messageEn).toContain(`Cannot open the database ${path.join(dataDir, SQLITE_FILE)}`);
      expect(error!.message).toContain('Không mở được cơ sở dữ liệu');
    }
  });
});
