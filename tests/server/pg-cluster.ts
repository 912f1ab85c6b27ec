/**
 * Databases for the server tests: every store and HTTP test runs on SQLite and on PostgreSQL.
 *
 *   DATABASE_KINDS              ['sqlite', 'postgres'] — for describe.each
 *   freshStoreUrl(kind)         a new empty database: a file path in a temp dir (sqlite) or the
 *                               URL of a new database `t_<random>` (postgres); give it to openStore
 *   stopTestDatabases()         drops the databases made here, stops a cluster this file started and
 *                               removes temp dirs; call in afterAll once the stores are closed
 *
 * PostgreSQL comes from TEST_DATABASE_URL (a server URL, e.g. from .ci/run) when set. Otherwise the
 * first freshStoreUrl('postgres') starts a throwaway cluster for this test file: initdb into a temp
 * dir (as the postgres user when running as root), trust auth, listening only on 127.0.0.1 at a free
 * port. Each call makes its own database, so test files can run in parallel.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

export const DATABASE_KINDS = ['sqlite', 'postgres'] as const;
export type DatabaseKind = (typeof DATABASE_KINDS)[number];

interface Cluster {
  /** URL of the server's maintenance database; new databases are made from it. */
  adminUrl: string;
  /** Set when this process started the cluster. */
  stop?: () => void;
}

let cluster: Promise<Cluster> | null = null;
const createdDatabases: string[] = [];
const tempDirs: string[] = [];

export async function freshStoreUrl(kind: DatabaseKind): Promise<string> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'annex-sqlite-'));
    tempDirs.push(dir);
    return path.join(dir, 'store.db');
  }
  cluster ??= process.env.TEST_DATABASE_URL ? Promise.resolve({ adminUrl: process.env.TEST_DATABASE_URL }) : startCluster();
  const { adminUrl } = await cluster;
  const name = `t_${randomBytes(6).toString('hex')}`;
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  createdDatabases.push(name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function stopTestDatabases(): Promise<void> {
  if (cluster) {
    const c = await cluster;
    cluster = null;
    if (c.stop) c.stop();
    else await withClient(c.adminUrl, async (client) => {
      for (const name of createdDatabases) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    });
    createdDatabases.length = 0;
  }
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(path.join(root, v, 'bin', 'initdb'))) return path.join(root, v, 'bin');
  throw new Error('PostgreSQL not found: install it (apt-get install postgresql) or set TEST_DATABASE_URL');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function startCluster(): Promise<Cluster> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'annex-pg-'));
  const data = path.join(dir, 'data');
  // initdb refuses to run as root: run the cluster as the postgres system user then.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const run = (cmd: string, args: string[]): void => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args]] : [path.join(bin, cmd), args];
    const r = spawnSync(file, argv, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stdout}${r.stderr}`);
  };
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  // fsync off: these tests kill servers, never the database, so its durability is not under test.
  run('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-t', '60', '-o', `-h 127.0.0.1 -p ${port} -k ${dir} -F -c max_connections=200`, 'start']);
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  // A test file that dies before afterAll must not leave a postgres running.
  process.once('exit', stop);
  return { adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
}
