import { readFileSync } from 'node:fs';
import path from 'node:path';
import { settingsTable } from '../server/config';

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
});
