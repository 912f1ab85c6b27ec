/**
 * File names of the workbooks the service hands out, as a person files them: the tracker's
 * title, what the file is and its reporting day ("Kế hoạch 123 - theo dõi 2026-06-30.xlsx"),
 * never an internal id. Characters Windows refuses in file names are dropped; Express sends
 * the name both plain and UTF-8 encoded (filename*), so Vietnamese letters survive.
 */
import type { SheetLang } from './tracker-layout';

const WHAT = {
  tracker: { vi: 'theo dõi', en: 'tracker' },
  report: { vi: 'báo cáo', en: 'report' },
} as const;

/** Windows refuses these in names; control characters never belong in one. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
const UNSAFE = /[\\/:*?"<>|\u0000-\u001f\u007f]+/g;
/** Long titles are cut so the whole name stays well under the 255 a file system allows. */
const TITLE_MAX = 80;

export function downloadName(kind: keyof typeof WHAT, title: string, asOf: string, lang: SheetLang, agency?: string): string {
  const clean = (s: string) => s.replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim();
  let head = clean(title).slice(0, TITLE_MAX).trim();
  if (!head) head = 'annex-tracker';
  const who = agency ? ` - ${clean(agency).slice(0, TITLE_MAX)}` : '';
  return `${head} - ${WHAT[kind][lang]}${who} ${asOf}.xlsx`;
}
