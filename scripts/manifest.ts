/**
 * The add-in manifest for a given address: manifest.xml is written for the
 * development address (https://localhost:3000); an office deploying the
 * service elsewhere gets the same manifest with every URL moved there.
 *
 *   npx ts-node scripts/manifest.ts --base https://tracker.example.gov.vn -o dist/manifest.xml
 *   npx ts-node scripts/manifest.ts            (development manifest on stdout)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const DEV_BASE = 'https://localhost:3000';
export const MANIFEST_PATH = path.resolve(__dirname, '..', 'manifest.xml');

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The service's base address, checked: Office loads add-ins only over https,
 * and the manifest appends paths, so no query, fragment or trailing slash.
 */
export function normaliseBase(base: string): URL {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new Error(`Địa chỉ không hợp lệ / Invalid address: ${base}`);
  }
  if (url.protocol !== 'https:') throw new Error(`Office chỉ nạp add-in qua https / Office loads add-ins over https only: ${base}`);
  if (url.search || url.hash || url.username || url.password) {
    throw new Error(`Địa chỉ không được có truy vấn, # hay mật khẩu / The address must have no query, fragment or credentials: ${base}`);
  }
  return url;
}

/** The manifest with every development URL moved to `base` (an origin, optionally with a path prefix). */
export function manifestFor(xml: string, base: string): string {
  const url = normaliseBase(base);
  const prefix = (url.origin + url.pathname).replace(/\/+$/, '');
  // AppDomain is an origin, never a path.
  return xml
    .replace(new RegExp(`<AppDomain>${DEV_BASE}</AppDomain>`, 'g'), `<AppDomain>${xmlEscape(url.origin)}</AppDomain>`)
    .split(DEV_BASE)
    .join(xmlEscape(prefix));
}

function parseArgs(argv: string[]): { base: string; out: string | null } {
  let base = DEV_BASE;
  let out: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--base' && argv[i + 1]) base = argv[++i];
    else if ((arg === '-o' || arg === '--out') && argv[i + 1]) out = argv[++i];
    else throw new Error(`Tham số không rõ / Unknown argument: ${arg}\nusage: scripts/manifest.ts [--base https://host] [-o file]`);
  }
  return { base, out };
}

export function main(argv: string[]): number {
  try {
    const { base, out } = parseArgs(argv);
    const xml = manifestFor(readFileSync(MANIFEST_PATH, 'utf8'), base);
    if (out) {
      mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
      writeFileSync(out, xml);
      process.stderr.write(`manifest → ${out} (${base})\n`);
    } else {
      process.stdout.write(xml);
    }
    return 0;
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
