/**
 * Test helper: a Grid from tab-separated text as the seed fixtures hold it.
 * Line k of the text is sheet row k (1-based); cells split on tabs, so prose
 * lines become one-cell rows. Shared with other tests that need annex grids.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CellValue, Grid } from '../../shared/grid';

export function gridFromText(text: string, sheet = 'text'): Grid {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  // The newline that ends the last line opens no row of its own.
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const rows: CellValue[][] = lines.map((line) => (line === '' ? [] : line.split('\t')));
  return { sheet, rows, merges: [] };
}

/** A fixture under tests/fixtures/ as a grid named after the file. */
export function fixtureGrid(relativePath: string): Grid {
  const file = path.join(__dirname, '..', 'fixtures', relativePath);
  return gridFromText(readFileSync(file, 'utf8'), path.basename(file));
}
