/**
 * manifest.xml and the production manifest from scripts/manifest.ts: valid
 * against Microsoft's published schema (offline, xmllint), a ribbon group on
 * the Home tab with a task-pane button and an ExecuteFunction button, every
 * resid defined, nothing above ExcelApi 1.1 required, every URL on the chosen
 * address.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEV_BASE, MANIFEST_PATH, main, manifestFor } from '../../scripts/manifest';

const SCHEMA = path.join(__dirname, '../fixtures/manifest-schemas/OfficeAppManifestV1_1.xsd');
const PROD = 'https://tracker.example.gov.vn';
const ROOT = path.resolve(__dirname, '../..');

function xmllint(args: string[]) {
  return spawnSync('xmllint', args, { encoding: 'utf8' });
}

/** Text of an XPath over element local names (the manifest mixes three namespaces). */
function xpath(file: string, expr: string): string {
  const r = xmllint(['--nonet', '--xpath', expr, file]);
  return r.status === 0 ? r.stdout.trim() : '';
}

const el = (name: string) => `*[local-name()='${name}']`;

let dir: string;
let prodFile: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'manifest-'));
  prodFile = path.join(dir, 'manifest.xml');
  expect(main(['--base', PROD, '-o', prodFile])).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each([
  ['development', () => MANIFEST_PATH, DEV_BASE],
  ['production', () => prodFile, PROD],
])('%s manifest', (_name, file, base) => {
  it('validates against OfficeAppManifestV1_1.xsd', () => {
    const r = xmllint(['--noout', '--nonet', '--schema', SCHEMA, file()]);
    expect(r.stderr).toContain('validates');
    expect(r.status).toBe(0);
  });

  it('puts every URL on its address, over https', () => {
    const xml = readFileSync(file(), 'utf8');
    const urls = [...xml.matchAll(/https?:\/\/[^"<\s]+/g)].map((m) => m[0]).filter((u) => !u.startsWith('http://schemas.microsoft.com') && !u.startsWith('http://www.w3.org'));
    expect(urls.length).toBeGreaterThan(10);
    for (const u of urls) expect(u.startsWith(base + '/') || u === base).toBe(true);
    expect(xpath(file(), `string(//${el('AppDomain')})`)).toBe(base);
    expect(xpath(file(), `string(//${el('SourceLocation')}/@DefaultValue)`)).toBe(`${base}/addin/taskpane.html`);
  });
});

describe('manifest contents', () => {
  const m = () => MANIFEST_PATH;

  it('has a group on the Home tab with a task-pane button and an ExecuteFunction button of their own ids', () => {
    const group = `//${el('OfficeTab')}[@id='TabHome']/${el('Group')}`;
    const ids = xpath(m(), `${group}/${el('Control')}/@id`).match(/id="[^"]+"/g) ?? [];
    expect(ids).toEqual(['id="AnnexTracker.TaskpaneButton"', 'id="AnnexTracker.HighlightButton"']);
    expect(xpath(m(), `string(${group}/${el('Control')}[1]/${el('Action')}/@*[local-name()='type'])`)).toBe('ShowTaskpane');
    expect(xpath(m(), `string(${group}/${el('Control')}[2]/${el('Action')}/@*[local-name()='type'])`)).toBe('ExecuteFunction');
    expect(xpath(m(), `string(${group}/${el('Control')}[2]/${el('Action')}/${el('FunctionName')})`)).toBe('highlightOverdue');
    expect(xpath(m(), `string(//${el('FunctionFile')}/@resid)`)).toBe('AT.Commands.Url');
    expect(xpath(m(), `string(//${el('Url')}[@id='AT.Commands.Url']/@DefaultValue)`)).toBe(`${DEV_BASE}/addin/commands.html`);
  });

  it('defines every resid it uses, and every label in Vietnamese with an English override', () => {
    const xml = readFileSync(m(), 'utf8');
    const used = new Set([...xml.matchAll(/resid="([^"]+)"/g)].map((x) => x[1]));
    const defined = new Set([...xml.matchAll(/<bt:(?:Image|Url|String) id="([^"]+)"/g)].map((x) => x[1]));
    expect(used.size).toBeGreaterThan(10);
    for (const id of used) expect(defined).toContain(id);
    expect(xpath(m(), `string(//${el('DefaultLocale')})`)).toBe('vi-VN');
    const strings = xpath(m(), `count(//${el('ShortStrings')}/${el('String')}|//${el('LongStrings')}/${el('String')})`);
    const overrides = xpath(m(), `count(//${el('ShortStrings')}/${el('String')}/${el('Override')}[@Locale='en-US']|//${el('LongStrings')}/${el('String')}/${el('Override')}[@Locale='en-US'])`);
    expect(Number(strings)).toBeGreaterThanOrEqual(6);
    expect(overrides).toBe(strings);
    expect(xpath(m(), `string(//${el('String')}[@id='AT.HighlightButton.Label']/@DefaultValue)`)).toBe('Tô màu quá hạn');
  });

  it('requires nothing above ExcelApi 1.1', () => {
    const sets = xpath(m(), `//${el('Set')}`).match(/<Set [^>]+>/g) ?? [];
    expect(sets).toEqual(['<Set Name="ExcelApi" MinVersion="1.1"/>']);
  });

  it('points its icons at 16, 32 and 80 pixel files in addin/assets', () => {
    const xml = readFileSync(m(), 'utf8');
    const sizes = [...xml.matchAll(/<bt:Image size="(\d+)"/g)].map((x) => x[1]);
    expect(new Set(sizes)).toEqual(new Set(['16', '32', '80']));
    for (const [, file] of xml.matchAll(/\/addin\/assets\/([\w-]+\.png)/g)) {
      const png = readFileSync(path.join(ROOT, 'addin/assets', file));
      const declared = /-(\d+)\.png$/.exec(file)?.[1];
      // PNG IHDR: width and height at bytes 16 and 20.
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(String(png.readUInt32BE(16))).toBe(declared);
      expect(String(png.readUInt32BE(20))).toBe(declared);
    }
  });
});

describe('scripts/manifest.ts', () => {
  it('keeps a path prefix in URLs but not in AppDomain, and escapes XML', () => {
    const xml = manifestFor(readFileSync(MANIFEST_PATH, 'utf8'), 'https://so.example.vn/theo-doi/');
    expect(xml).toContain('<AppDomain>https://so.example.vn</AppDomain>');
    expect(xml).toContain('"https://so.example.vn/theo-doi/addin/taskpane.html"');
    expect(xml).not.toContain(DEV_BASE);
  });

  it('refuses an http address, a query and an unknown argument', () => {
    const out = path.join(dir, 'bad.xml');
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(main(['--base', 'http://tracker.example.gov.vn', '-o', out])).toBe(2);
      expect(main(['--base', 'https://tracker.example.gov.vn/?a=1', '-o', out])).toBe(2);
      expect(main(['--port', '1'])).toBe(2);
      expect(String(stderr.mock.calls[0][0])).toMatch(/https/);
    } finally {
      stderr.mockRestore();
    }
    expect(existsSync(out)).toBe(false);
  });
});
