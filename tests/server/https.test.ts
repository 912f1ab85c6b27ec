/** The service answers HTTPS when given a certificate, as Office requires of add-in pages. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../server/config';
import { start } from '../../server/main';

const dir = mkdtempSync(path.join(os.tmpdir(), 'annex-https-'));
const cert = path.join(dir, 'localhost.crt');
const key = path.join(dir, 'localhost.key');

beforeAll(() => {
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost', '-keyout', key, '-out', cert]);
  expect(r.status).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function get(port: number, pathname: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get({ host: '127.0.0.1', servername: 'localhost', port, path: pathname, ca: readFileSync(cert) }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('HTTPS', () => {
  it('serves the API over TLS with TLS_CERT and TLS_KEY', async () => {
    const service = await start({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, ADMIN_TOKEN: 'https-admin-token-0123456789abcdef', LOG_LEVEL: 'silent', TLS_CERT: cert, TLS_KEY: key });
    try {
      const res = await get(service.port, '/healthz');
      expect(res.status).toBe(200);
    } finally {
      await service.close();
    }
  });

  it('refuses a certificate without its key, naming the missing setting', () => {
    expect(() => loadConfig({ TLS_CERT: cert })).toThrow(/TLS_KEY/);
  });
});
