import { readFileSync } from 'node:fs';
import path from 'node:path';
import { settingsTable } from '../server/config';
import { openApiDocument } from '../server/openapi';

const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

describe('README', () => {
  it('opens with a two-command quick start: install and run, then test', () => {
    const quick = /## Quick start\s+```sh\n([\s\S]*?)```/.exec(readme);
    expect(quick).not.toBeNull();
    const commands = quick![1].trim().split('\n');
    expect(commands).toEqual(['npm ci && npm start', 'npm test']);
  });

  it('documents every service setting as the code defines it', () => {
    expect(readme).toContain(settingsTable());
  });

  it('lists every route of the API in the routes table, as OpenAPI describes them', () => {
    const paths = (openApiDocument() as { paths: Record<string, Record<string, unknown>> }).paths;
    const routes = Object.entries(paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`));
    expect(routes.length).toBeGreaterThan(20);
    const documented = new Set([...readme.matchAll(/^\| `((?:GET|POST|PUT|PATCH|DELETE) [^`]+)`/gm)].map((m) => m[1]));
    expect(routes.filter((r) => !documented.has(r))).toEqual([]);
  });
});
