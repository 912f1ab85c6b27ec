/**
 * Microsoft's Office add-in lint rules are on for addin/ (eslint.config.mjs; CI runs the lint):
 * a sync inside a loop or a property read before its load is refused there.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/** The rules ESLint reports for `code` as if it were a file of the add-in (run as CI runs it, in its own process). */
function ruleIds(code: string): string[] {
  const eslint = path.join(ROOT, 'node_modules/eslint/bin/eslint.js');
  const run = spawnSync(process.execPath, [eslint, '--stdin', '--stdin-filename', 'addin/src/excel/lint-sample.ts', '--format', 'json'], {
    cwd: ROOT,
    input: code,
    encoding: 'utf8',
  });
  const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string | null; message: string }[] }[];
  return result.messages.map((m) => m.ruleId ?? m.message);
}

describe('Office add-in lint rules on addin/', () => {
  it('refuse context.sync() in a loop', () => {
    const code = `export async function f(context: Excel.RequestContext, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    context.workbook.worksheets.getActiveWorksheet().getRange('A1').values = [[i]];
    await context.sync();
  }
}
`;
    expect(ruleIds(code)).toContain('office-addins/no-context-sync-in-loop');
  });

  it('refuse reading a property that was not loaded', () => {
    const code = `export async function f(context: Excel.RequestContext): Promise<string> {
  const sheet = context.workbook.worksheets.getActiveWorksheet();
  await context.sync();
  return sheet.name;
}
`;
    expect(ruleIds(code)).toContain('office-addins/load-object-before-read');
  });
});
