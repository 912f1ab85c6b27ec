/**
 * Deadline phrases inside a sentence ("… báo cáo trước ngày 05/6/2026", "định kỳ
 * hằng tháng", "trong tháng 5 năm 2026", "Quý III/2026", "chậm nhất 10 ngày sau
 * khi …"). A date alone is not a deadline (letters cite "Công văn số … ngày
 * 05/4/2026"): a phrase needs the word that makes it one (trước, chậm nhất, trong,
 * từ, hằng…). When a sentence holds several, a day beats a period and a period a
 * recurrence, and among equals the last one counts (the report closing the duty).
 */
import { fold } from './fold';

const DAY = String.raw`(?:\d{1,2}\s?[/.-]\s?\d{1,2}(?:\s?[/.-]\s?\d{2,4})?|\d{1,2} thang \d{1,2}(?:,? nam \d{4})?)`;
const PERIOD = String.raw`(?:thang \d{1,2}(?:/\d{4}|,? nam \d{4})?|quy [ivx1-4]{1,3}(?:/\d{4}|,? nam \d{4})?|(?:6 thang (?:dau|cuoi) )?nam \d{4}(?:\s?-\s?\d{4})?|\d{4})`;
const WEEKDAY = String.raw`(?:thu (?:hai|ba|tu|nam|sau|bay)|chu nhat)`;

/** Tier 3: a day. */
const BY_DAY = new RegExp(
  String.raw`\b(?:truoc|cham nhat(?: (?:la|vao|truoc))?|han chot|muon nhat|den het|den|xong truoc|tu) (?:${WEEKDAY},? )?(?:ngay )?${DAY}(?: \(${WEEKDAY}\))?(?:,? (?:hang|moi) (?:nam|thang))?`,
  'g',
);
/** Tier 3: a count of days after an event, up to the end of the clause. */
const RELATIVE = /\b(?:cham nhat|trong (?:vong|thoi han)|sau) \d{1,3} ngay(?: lam viec)?(?:,? (?:ke tu|tinh tu|sau khi|sau|ke tu khi) [^.;,()]{1,80})?/g;
/** Tier 2: a month, quarter, year. */
const BY_PERIOD = new RegExp(String.raw`\b(?:trong|truoc|cuoi|dau|giua|den het|het|tu|xong trong|ngay trong) ${PERIOD}\b`, 'g');
/** Tier 2: a quarter, month or half-year with its year, which no citation takes ("Quý III/2026"). */
const NAMED_PERIOD = /\b(?:(?:quy [ivx1-4]{1,3}|thang \d{1,2})(?:\/| nam )|6 thang (?:dau|cuoi) nam )\d{4}\b/g;
/** Tier 2: an event in parentheses ("(sau khi được thông qua)"). */
const CONDITION = /\((sau khi [^()]{1,80})\)/g;
/** Tier 1: a recurrence. */
const RECURRING = /\b(?:dinh ky (?:vao )?)?(?:ngay \d{1,2} )?(?:hang|moi) (?:tuan|thang|quy|nam)\b|\bdinh ky (?:6 thang|hang (?:tuan|thang|quy|nam)|thang|quy|nam)\b/g;

const TIERS: { re: RegExp; tier: number; group?: number }[] = [
  { re: BY_DAY, tier: 3 },
  { re: RELATIVE, tier: 3 },
  { re: BY_PERIOD, tier: 2 },
  { re: NAMED_PERIOD, tier: 2 },
  { re: CONDITION, tier: 2, group: 1 },
  { re: RECURRING, tier: 1 },
];

/** The deadline phrase of a sentence as written, or null when it names none. */
export function findDeadline(text: string): string | null {
  const folded = fold(text);
  const found: { start: number; end: number; tier: number }[] = [];
  for (const { re, tier, group } of TIERS) {
    re.lastIndex = 0;
    for (const m of folded.matchAll(re)) {
      const start = group ? m.index + m[0].indexOf(m[group]) : m.index;
      found.push({ start, end: group ? start + m[group].length : m.index + m[0].length, tier });
    }
  }
  // A phrase inside a longer one ("quý III/2026" in "trong quý III/2026") is part of it.
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  let best: { start: number; end: number; tier: number } | null = null;
  let reach = -1;
  for (const f of found) {
    if (f.end <= reach) continue;
    reach = f.end;
    if (!best || f.tier >= best.tier) best = f;
  }
  return best ? text.slice(best.start, best.end).replace(/[\s,.;]+$/u, '') : null;
}
