/** Hand-built .xlsx packages for the reader tests: exactly the XML a test needs, zipped for real. */
import { deflateRawSync } from 'node:zlib';
import { buildZip } from '../zip-fixture';

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';

export interface SheetPart {
  name: string;
  /** Everything inside <worksheet>: <dimension>, <sheetData>, <mergeCells> … */
  body: string;
  state?: 'hidden' | 'veryHidden';
}

export interface PackageParts {
  sheets: SheetPart[];
  /** The <si> items of sharedStrings.xml, as XML. */
  sharedStrings?: string[];
  /** Everything inside <styleSheet>. */
  styles?: string;
  date1904?: boolean;
  /** Where the workbook's relationship says the shared strings are (they are always stored as xl/sharedStrings.xml). */
  sharedStringsTarget?: string;
  /** Declared size of each sheet entry instead of its real one (a lying directory). */
  declaredSheetSize?: number;
}

export const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function xlsxPackage(parts: PackageParts): Uint8Array {
  const files: [string, string][] = [
    ['[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'],
    ['_rels/.rels', `<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`],
    [
      'xl/workbook.xml',
      `<workbook xmlns="${MAIN}" xmlns:r="${REL}"><workbookPr${parts.date1904 ? ' date1904="1"' : ''}/><sheets>${parts.sheets
        .map((s, i) => `<sheet name="${xmlText(s.name)}" sheetId="${i + 1}"${s.state ? ` state="${s.state}"` : ''} r:id="rId${i + 1}"/>`)
        .join('')}</sheets></workbook>`,
    ],
    [
      'xl/_rels/workbook.xml.rels',
      `<Relationships xmlns="${PKG_REL}">${parts.sheets
        .map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`)
        .join('')}<Relationship Id="rS" Type="${REL}/sharedStrings" Target="${parts.sharedStringsTarget ?? '/xl/sharedStrings.xml'}"/><Relationship Id="rT" Type="${REL}/styles" Target="styles.xml"/></Relationships>`,
    ],
    ['xl/sharedStrings.xml', `<sst xmlns="${MAIN}">${(parts.sharedStrings ?? []).join('')}</sst>`],
    ['xl/styles.xml', `<styleSheet xmlns="${MAIN}">${parts.styles ?? ''}</styleSheet>`],
    ...parts.sheets.map((s, i): [string, string] => [`xl/worksheets/sheet${i + 1}.xml`, `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${MAIN}">${s.body}</worksheet>`]),
  ];
  return buildZip(
    files.map(([name, text]) => {
      const data = Buffer.from(text, 'utf8');
      const lie = parts.declaredSheetSize !== undefined && name.startsWith('xl/worksheets/');
      return { name, data: deflateRawSync(data), method: 8 as const, declaredSize: lie ? parts.declaredSheetSize! : data.length };
    }),
  );
}

/** A <row> of cells given as raw <c> XML. */
export const row = (r: number, cells: string) => `<row r="${r}">${cells}</row>`;
