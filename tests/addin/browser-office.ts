/**
 * What the browser tests serve in place of https://appsforoffice.microsoft.com/…/office.js:
 * a simulated workbook (fake-excel.ts) behind global `Office` and `Excel`.
 * The test puts the annex to preload in `__ANNEX__` (sheet name and rows)
 * ahead of this bundle. A frame (commands.html inside the pane's page) shares
 * its parent's workbook, as the ribbon and the pane share the open workbook.
 * The workbook and the ribbon handlers are left on window for the test.
 */
import { FakeWorkbook, installOfficeGlobals, setExcelApiSets } from './fake-excel';

interface TestWindow {
  __ANNEX__?: { sheet: string; rows: (string | number)[][]; apiMinor?: number; ribbon?: boolean };
  /** Each Excel member's requirement set (excel-api-sets.ts), so an old host refuses what it lacks. */
  __API_SETS__?: Record<string, number>;
  __workbook?: FakeWorkbook;
  __actions?: Map<string, (event: { completed(): void }) => unknown>;
  [key: string]: unknown;
}

const win = window as unknown as TestWindow;
const parent = window.parent !== window ? (window.parent as unknown as TestWindow) : null;

function freshWorkbook(): FakeWorkbook {
  const annex = win.__ANNEX__;
  const workbook = new FakeWorkbook({ apiMinor: annex?.apiMinor, ribbon: annex?.ribbon });
  if (annex) {
    const sheet = workbook.sheet(workbook.activeSheet);
    sheet.name = annex.sheet;
    workbook.activeSheet = annex.sheet;
    sheet.setValues(annex.rows);
  }
  return workbook;
}

setExcelApiSets(win.__API_SETS__ ?? parent?.__API_SETS__ ?? {});
const workbook = parent?.__workbook ?? freshWorkbook();
win.__workbook = workbook;
win.__actions = installOfficeGlobals(win, workbook).actions;
