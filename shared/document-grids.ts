/**
 * A document's tables as the sheets the annex reader knows: each table with the
 * paragraphs right above it (the annex's title lines: "PHỤ LỤC II …", "(Ban hành
 * kèm theo …)") as its first rows, so a table from Word or PDF reads exactly like
 * the same table typed in a workbook.
 */
import type { DocumentContent } from './document';
import type { CellValue, Grid } from './grid';

/** Most paragraphs above a table taken as its title (a title, a subtitle, "(Kèm theo …)" and a spare line). */
const TITLE_LINES = 4;
/** A title line is short; a longer paragraph above a table is body text. */
const TITLE_CHARS = 300;

export function documentGrids(doc: DocumentContent): Grid[] {
  const grids: Grid[] = [];
  doc.blocks.forEach((block, i) => {
    if (block.kind !== 'table') return;
    const title: CellValue[][] = [];
    for (let j = i - 1; j >= 0 && title.length < TITLE_LINES; j--) {
      const above = doc.blocks[j];
      if (above.kind !== 'paragraph' || above.role === 'footnote' || above.text.length > TITLE_CHARS) break;
      title.unshift([above.text]);
    }
    if (title.length === 0) {
      grids.push(block.grid);
      return;
    }
    const shift = title.length + 1;
    grids.push({
      ...block.grid,
      rows: [...title, [], ...block.grid.rows],
      merges: block.grid.merges.map((m) => ({ ...m, top: m.top + shift, bottom: m.bottom + shift })),
    });
  });
  return grids;
}
