/**
 * The ExcelApi requirement set of every member of the Excel namespace, read from
 * Microsoft's type definitions (@types/office-js: each member's doc comment says
 * "[Api set: ExcelApi 1.N]"), so the simulated Excel refuses exactly what an older
 * Office lacks instead of a hand-kept list that drifts.
 */
import { readFileSync } from 'node:fs';

/** "Range.merge" → 2 (the minor version of ExcelApi 1.2); members without an ExcelApi set are absent. */
export type ApiSets = ReadonlyMap<string, number>;

let cached: ApiSets | null = null;

export function excelApiSets(): ApiSets {
  if (cached) return cached;
  const text = readFileSync(require.resolve('@types/office-js/index.d.ts'), 'utf8');
  const start = text.indexOf('declare namespace Excel {');
  const end = text.indexOf('\ndeclare namespace ', start + 1);
  const sets = new Map<string, number>();
  let cls: string | null = null;
  let minor: number | null = null;
  for (const line of text.slice(start, end).split('\n')) {
    const declared = /^ {4}(?:export )?(?:class|interface) (\w+)/.exec(line);
    if (declared) {
      cls = declared[1];
      minor = null;
      continue;
    }
    if (line.includes('/**')) minor = null;
    // The member's own set comes first; a later one in the comment belongs to a parameter.
    const set = /\[Api set: ExcelApi 1\.(\d+)/.exec(line);
    if (set) {
      if (minor === null) minor = Number(set[1]);
      continue;
    }
    // Members sit at eight spaces: "name: T;", "readonly name: T;", "name(args): T;" (overloads keep the lowest set).
    const member = /^ {8}(?:readonly )?(\w+)\??[(:<]/.exec(line);
    if (member && cls && minor !== null) {
      const key = `${cls}.${member[1]}`;
      sets.set(key, Math.min(sets.get(key) ?? minor, minor));
      minor = null;
    }
  }
  cached = sets;
  return sets;
}
