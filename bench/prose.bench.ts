/**
 * Prose recognition on a 60-page letter (the seed letters' items repeated under
 * numbered parts, about 2,400 paragraphs) and on adversarial paragraphs (one
 * 200,000-character sentence of commas and agency names; a 100,000-letter word),
 * as ratios to a floor measured in the same run: cleaning and folding every
 * paragraph once, which any reading of the text must do.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { recognizeProse } from '../shared/prose';
import { fold } from '../shared/prose/fold';
import { cleanText } from '../shared/text';
import { figure, timed } from './measure';

const ROUNDS = 5;
const seeds = path.join(__dirname, '..', 'tests', 'fixtures', 'prose', 'seeds');
const bodies = ['000-cong-van.txt', '004-cong-van.txt'].map((f) => {
  const lines = readFileSync(path.join(seeds, f), 'utf8').split('\n');
  const first = lines.findIndex((l) => /^(?:\*\*)?1\. /.test(l));
  const last = lines.findIndex((l) => /Nơi nhận/.test(l));
  return lines.slice(first, last);
});

function letter(): string[] {
  const out = ['Kính gửi:', '- Các sở, ban, ngành;', 'Chủ tịch Ủy ban nhân dân tỉnh yêu cầu:'];
  const roman = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X'];
  for (let part = 0; out.length < 2400; part++) {
    out.push(`${roman[part % roman.length]}. NHIỆM VỤ PHẦN ${part + 1}`);
    out.push(...bodies[part % 2]);
  }
  return out;
}

function floor(paragraphs: readonly string[]): number {
  let n = 0;
  for (const p of paragraphs) n += fold(cleanText(p)).length;
  return n;
}

async function measure(label: string, paragraphs: string[]): Promise<void> {
  recognizeProse(paragraphs.slice(0, 200), { asOf: '2026-05-20' });
  floor(paragraphs);
  const runs: number[] = [];
  const floors: number[] = [];
  let tasks = 0;
  for (let round = 0; round < ROUNDS; round++) {
    floors.push((await timed(() => floor(paragraphs))).ms);
    const { value, ms } = await timed(() => recognizeProse(paragraphs, { asOf: '2026-05-20' }));
    runs.push(ms);
    tasks = value.tasks.length;
  }
  runs.sort((a, b) => a - b);
  floors.sort((a, b) => a - b);
  const median = runs[Math.floor(ROUNDS / 2)];
  const floorMedian = floors[Math.floor(ROUNDS / 2)];
  figure(`${label}: recognise, median of ${ROUNDS}`, median, 'ms');
  figure(`${label}: floor (clean + fold every paragraph), median`, floorMedian, 'ms', 2);
  figure(`${label}: ratio to the floor`, median / Math.max(floorMedian, 0.01), '×');
  figure(`${label}: tasks found`, tasks, '', 0);
}

async function main(): Promise<void> {
  const big = letter();
  console.log(`${big.length} paragraphs, ${big.reduce((n, p) => n + p.length, 0).toLocaleString('en')} characters`);
  await measure('60-page letter', big);
  const commas = '1. Đối với ' + 'các sở, ban, ngành, Sở Tài chính, Ủy ban nhân dân các xã, '.repeat(3500) + 'khẩn trương rà soát.';
  await measure('one 200,000-character item', [commas]);
  await measure('one 100,000-letter word', ['- ' + 'a'.repeat(100_000)]);
}

void main();
