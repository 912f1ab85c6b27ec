/**
 * Parses 100,000 deadline cells drawn from the seed annexes' forms and their
 * spelling variants (case, no diacritics, NFD, HTML, dashes, spacing), and prints
 * the time, the rate and how the cells were classified.
 */
import { parseDeadline } from '../shared/deadline';
import { stripDiacritics } from '../shared/text';
import { figure, timed } from './measure';

const COUNT = 100_000;
const ROMAN = ['I', 'II', 'III', 'IV'];

// Deterministic PRNG (mulberry32) so every run parses the same cells.
let seed = 20260415;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)];
const pad = (n: number) => (random() < 0.3 ? String(n).padStart(2, '0') : String(n));
const quarter = (q: number) => (random() < 0.7 ? ROMAN[q - 1] : String(q));
const dash = () => pick(['-', ' - ', '–', ' – ', '—']);

/** Weighted like the seed annexes: quarters, "Thường xuyên" and dates first. */
const FORMS: [number, () => string][] = [
  [20, () => `Quý ${quarter(int(1, 4))}/${int(2025, 2027)}`],
  [6, () => `Quý ${ROMAN[int(0, 1)]}${dash()}${ROMAN[int(2, 3)]}/2026`],
  [2, () => `Q${int(1, 4)}/2025${dash()}Q${int(1, 4)}/2026`],
  [18, () => pick(['Thường xuyên', 'Hằng năm', 'Hàng năm', 'Liên tục', 'Năm 2026 và những năm tiếp theo'])],
  [10, () => `${pick(['Trước ngày ', 'Chậm nhất ngày ', 'Hoàn thành trước ngày ', '', 'Hạn: '])}${pad(int(1, 28))}/${pad(int(1, 12))}/2026`],
  [3, () => `ngày ${int(1, 28)} tháng ${int(1, 12)} năm 2026`],
  [8, () => `${pick(['Tháng ', 'Trong tháng ', 'Cuối tháng ', ''])}${pad(int(1, 12))}/2026`],
  [8, () => `${pick(['Năm ', 'Trong năm ', 'Cuối năm ', ''])}${int(2025, 2030)}`],
  [2, () => `${pick(['', 'giai đoạn '])}${int(2021, 2025)}${dash()}${int(2026, 2030)}`],
  [2, () => `6 tháng ${pick(['đầu', 'cuối'])} năm 2026`],
  [5, () => `${pick(['định kỳ ', ''])}trước ngày ${int(1, 31)} ${pick(['hằng', 'hàng'])} tháng`],
  [2, () => pick(['Hằng quý', 'định kỳ hằng quý', 'định kỳ 6 tháng', 'hằng tuần', 'Hằng tháng'])],
  [8, () => `Theo ${pick(['hướng dẫn', 'yêu cầu', 'chỉ đạo, hướng dẫn'])} của ${pick(['Bộ Công an', 'Trung ương', 'Bộ Nội vụ', 'Bộ Khoa học và Công nghệ'])}`],
  [3, () => `Chậm nhất ${pad(int(5, 30))} ngày ${pick(['sau khi', 'kể từ khi'])} có hướng dẫn của Trung ương`],
  [1, () => `Quý II/2026; báo cáo trước ${int(1, 30)}/6/2026`],
  [1, () => pick(['31/2/2026', 'Quý V/2026', '', 'Sớm'])],
];
const TOTAL_WEIGHT = FORMS.reduce((sum, [w]) => sum + w, 0);

/** The way offices mistype the same deadline. */
function variant(text: string): string {
  const r = random();
  if (r < 0.55) return text;
  if (r < 0.63) return text.toUpperCase();
  if (r < 0.7) return text.toLowerCase();
  if (r < 0.77) return stripDiacritics(text);
  if (r < 0.84) return text.normalize('NFD');
  if (r < 0.9) return `<b>${text}</b>`;
  if (r < 0.95) return `${text}.`;
  return ` ${text.replace(/ /g, '\u00a0')} `;
}

function generate(): string[] {
  const cells: string[] = [];
  while (cells.length < COUNT) {
    let w = random() * TOTAL_WEIGHT;
    const form = FORMS.find(([weight]) => (w -= weight) < 0) ?? FORMS[0];
    cells.push(variant(form[1]()));
  }
  return cells;
}

const ROUNDS = 5;

function classify(cells: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const cell of cells) {
    const kind = parseDeadline(cell, { asOf: '2026-04-15' }).kind;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return counts;
}

async function main(): Promise<void> {
  const cells = generate();
  console.log(`${new Set(cells).size} distinct cells of ${cells.length}`);
  // Warm-up so the figures are steady-state parsing, not JIT compilation.
  classify(cells.slice(0, 5000));

  // Several rounds: on a shared machine the best and the median say more than one run.
  const times: number[] = [];
  let kinds = new Map<string, number>();
  const cpuBefore = process.cpuUsage();
  for (let round = 0; round < ROUNDS; round++) {
    const { value, ms } = await timed(() => classify(cells));
    times.push(ms);
    kinds = value;
  }
  const cpu = process.cpuUsage(cpuBefore);
  times.sort((a, b) => a - b);
  const best = times[0];
  const median = times[Math.floor(ROUNDS / 2)];

  figure(`parse ${COUNT.toLocaleString('en')} deadline cells, best of ${ROUNDS}`, best, 'ms');
  figure(`parse ${COUNT.toLocaleString('en')} deadline cells, median of ${ROUNDS}`, median, 'ms');
  figure('cells per second (median)', (COUNT / median) * 1000, '/s', 0);
  figure(`CPU time per ${COUNT.toLocaleString('en')} cells (mean, all threads)`, (cpu.user + cpu.system) / 1000 / ROUNDS, 'ms');
  for (const [kind, n] of [...kinds].sort((a, b) => b[1] - a[1])) figure(`  kind ${kind}`, n, `(${((n / COUNT) * 100).toFixed(1)}%)`, 0);
}

void main();
