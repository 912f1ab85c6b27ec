/**
 * Tasks assigned in prose: the numbered items, bullets and sentences of a letter,
 * notice or plan that give an agency a duty. See outline.ts (lines and numbering),
 * assignment.ts (who is assigned), fields.ts (labelled fields), deadlines.ts
 * (deadlines inside a sentence) and footnotes.ts.
 *
 * How a reader of administrative style reads the body, line by line:
 * - an item that is only an agency ("2. Sở Khoa học và Công nghệ") is an owner
 *   heading: every duty under it is that agency's;
 * - an item or sentence whose subject is an agency ("Sở Nội vụ hướng dẫn …",
 *   "Giao Sở … theo dõi …") is a task of that agency, and an owner for what it
 *   introduces ("…, cụ thể:" followed by sub-items, which are then the tasks);
 * - labelled fields ("Cơ quan chủ trì: …") on their own lines belong to the items
 *   above them since the previous labels; right under a numbered heading, to it;
 * - a numbered item without an owner is a topic heading; under a background
 *   heading ("Mục đích, yêu cầu", "Mục tiêu") nothing is a task;
 * - "Kính gửi" and "Nơi nhận" lists, the signature and closing formulas
 *   ("Yêu cầu … nghiêm túc thực hiện./.") are not tasks.
 */
import { AgencyRegistry, defaultRegistry } from '../agencies';
import { taskId } from '../annex';
import { parseDeadline } from '../deadline';
import type { Deadline, Diagnostic, IsoDate, Task } from '../schemas';
import { assignmentOf, inlineItems, isClosingSentence, isDeadlineOnly, isIntroduction, supportOf } from './assignment';
import { findDeadline } from './deadlines';
import { readFields, type Fields } from './fields';
import { fold } from './fold';
import { outline, type Line, type MarkerKind } from './outline';

export interface ProseOptions {
  /** Reference date for deadlines. */
  asOf: IsoDate;
  /** Default: defaultRegistry. */
  registry?: AgencyRegistry;
  /** Row number of each paragraph (default: its index + 1). */
  rows?: readonly number[];
}

export interface ProseRecognition {
  tasks: Task[];
  diagnostics: Diagnostic[];
}

interface Draft {
  text: string;
  stt: string;
  section: string | null;
  sectionTitle: string | null;
  owner: string | null;
  fields: Fields;
  row: number;
  notes: string[];
  dropped: boolean;
  /** Ends with a colon: introduces the items under it, which are the tasks if any follow. */
  intro: boolean;
}

interface Entry {
  kind: MarkerKind;
  label: string;
  body: string;
  owner: string | null;
  background: boolean;
  draft: Draft | null;
}

const BULLETS = new Set<MarkerKind>(['dash', 'plus']);
/** Headings of the parts that explain rather than assign. */
const BACKGROUND = /^(?:muc dich|yeu cau|muc tieu|quan diem|tinh hinh|ket qua|danh gia|boi canh|can cu|su can thiet|thuc trang|pham vi|doi tuong|nguyen tac|chi tieu)\b/;
/** Where the list of recipients starts: "Kính gửi:", "Nơi nhận:", a telegram's "… điện:". */
const ANNEX_TITLE = /^phu luc\b/;
const RECIPIENTS = /^(?:noi nhan|kinh gui)\b|\bdien:$/;
const SENTENCE_BREAK = /([.!?…])\s+(?=[\p{Lu}“"(])/gu;
const NO_DEADLINE: Deadline = { raw: '', kind: 'unknown', due: null, reason: 'Văn bản không ghi thời hạn / no deadline stated' };

/**
 * An unnumbered line naming only an agency, with numbered or bulleted duties after it
 * ("Sở Tài chính" in bold): a heading. Upper-case lines are the letterhead, not headings.
 */
function isBareHeading(line: Line, next: Line | undefined): boolean {
  if (line.marker || !next?.marker || next.marker.kind === 'roman') return false;
  if (line.text === line.text.toUpperCase() || /[.;,]$/.test(line.text) || words(line.text) > 20) return false;
  const assignment = assignmentOf(line.text);
  return assignment !== null && assignment.duty === '';
}

function sentencesOf(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (const m of text.matchAll(SENTENCE_BREAK)) {
    const end = m.index + m[1].length;
    out.push(text.slice(start, end));
    start = m.index + m[0].length;
  }
  out.push(text.slice(start));
  return out.filter((s) => s.trim() !== '');
}

function words(text: string): number {
  return text.split(' ').length;
}

/** The item number as printed: the deepest decimal with the letters and brackets under it. */
function sttOf(entries: readonly Entry[]): string {
  const parts: string[] = [];
  let decimal = -1;
  for (const e of entries) {
    if (e.kind === 'roman' || e.kind === 'heading' || BULLETS.has(e.kind)) continue;
    if (e.kind.startsWith('decimal')) {
      if (decimal >= 0 && decimal === parts.length - 1 && e.label.startsWith(parts[decimal] + '.')) parts[decimal] = e.label;
      else {
        parts.push(e.label);
        decimal = parts.length - 1;
      }
    } else parts.push(e.kind === 'letter' ? `${e.label})` : e.label);
  }
  return parts.join(' ');
}

function sectionOf(entries: readonly Entry[], own: Entry | null): { section: string | null; sectionTitle: string | null } {
  const roman = entries.find((e) => e.kind === 'roman');
  const first = entries[0];
  const top = roman ?? (first && first !== own && !BULLETS.has(first.kind) && first.kind !== 'heading' ? first : undefined);
  return top ? { section: top.label, sectionTitle: top.body.replace(/[\s:.]+$/u, '') } : { section: null, sectionTitle: null };
}

function sameOwner(a: string, b: string): boolean {
  return fold(a).replace(/[^a-z0-9]+/g, '') === fold(b).replace(/[^a-z0-9]+/g, '');
}

export function recognizeProse(paragraphs: readonly string[], options: ProseOptions): ProseRecognition {
  const registry = options.registry ?? defaultRegistry;
  const { lines, notes } = outline(paragraphs, options.rows ?? paragraphs.map((_, i) => i + 1));
  const drafts: Draft[] = [];
  let stack: Entry[] = [];
  /** Items since the last label group, which the next label group describes. */
  let group: Draft[] = [];
  let labelTargets: Draft[] | null = null;
  /** The last numbered heading without an owner: labels right under it make it a task. */
  let topic: { entries: Entry[]; line: Line; entry: Entry } | null = null;
  let recipients = false;

  const addDraft = (line: Line, entries: Entry[], own: Entry | null, text: string, owner: string | null, fields: Fields): Draft => {
    const draft: Draft = {
      text,
      stt: sttOf(entries),
      ...sectionOf(entries, own),
      owner,
      fields,
      row: line.row,
      notes: line.notes,
      dropped: false,
      intro: text.trimEnd().endsWith(':'),
    };
    drafts.push(draft);
    return draft;
  };

  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const foldedText = fold(line.text);
    if (RECIPIENTS.test(foldedText)) {
      recipients = true;
      if (foldedText.startsWith('noi nhan')) stack = [];
      group = [];
      labelTargets = null;
      topic = null;
      continue;
    }
    if (ANNEX_TITLE.test(foldedText) && words(line.text) <= 40) {
      // An annex starts a part of its own: nothing above owns what follows.
      stack = [];
      group = [];
      labelTargets = null;
      topic = null;
      continue;
    }
    if (recipients) {
      if (line.marker && BULLETS.has(line.marker.kind)) continue;
      recipients = false;
    }

    if (isBareHeading(line, lines[index + 1])) {
      line.marker = { kind: 'heading', label: '' };
    }

    const labelled = readFields(line.body);
    if (labelled.labelsOnly) {
      if (!labelTargets) {
        // Under a heading, "… bao gồm:" and its items detail the heading, which is the task the labels describe.
        const details = group.length > 0 && group[0].intro && group[0].owner === null && topic !== null;
        if (details) for (const d of group) d.dropped = true;
        if (group.length > 0 && !details) labelTargets = group;
        else if (topic) {
          const t = topic;
          labelTargets = [addDraft(t.line, t.entries, t.entry, t.line.body, null, {})];
          topic = null;
        } else labelTargets = [];
        group = [];
      }
      for (const target of labelTargets) {
        for (const [name, value] of Object.entries(labelled.fields) as [keyof Fields, string][]) target.fields[name] ??= value;
      }
      continue;
    }
    labelTargets = null;

    let own: Entry | null = null;
    if (line.marker) {
      const kind = line.marker.kind;
      // A bullet closes only the bullets since the last numbered item; a number, whatever stands below its kind.
      let at = -1;
      for (let i = stack.length - 1; i >= 0 && at < 0; i--) {
        if (stack[i].kind === kind) at = i;
        else if (BULLETS.has(kind) && !BULLETS.has(stack[i].kind)) break;
      }
      if (at >= 0) stack = stack.slice(0, at);
      if (!BULLETS.has(line.marker.kind)) {
        group = [];
        topic = null;
      }
      own = { kind: line.marker.kind, label: line.marker.label, body: line.body, owner: null, background: false, draft: null };
      stack.push(own);
    }
    let entries = [...stack];
    const ancestors = own ? entries.slice(0, -1) : entries;
    const heading = own !== null && !BULLETS.has(own.kind);
    if (ancestors.some((e) => e.background)) {
      if (own) own.background = true;
      continue;
    }
    if (heading && own && words(line.body) <= 14 && BACKGROUND.test(fold(line.body))) {
      own.background = true;
      continue;
    }
    if (own?.kind === 'roman') continue;

    // A line that only states a deadline completes the task above it.
    const last = drafts[drafts.length - 1];
    if (!line.marker && last && !last.dropped && isDeadlineOnly(line.body)) {
      last.fields.deadline ??= findDeadline(line.body) ?? line.body.replace(/[\s.;]+$/u, '');
      continue;
    }

    let inheritedFrom: Entry | undefined;
    for (let i = ancestors.length - 1; i >= 0 && !inheritedFrom; i--) if (ancestors[i].owner) inheritedFrom = ancestors[i];

    // The line's parts: a new part starts where a sentence names another agency as its subject.
    const parts: { text: string; owner: string | null; ownSubject: boolean; suffix?: string }[] = [];
    for (const sentence of sentencesOf(labelled.before)) {
      const assignment = assignmentOf(sentence);
      const current = parts[parts.length - 1];
      if (isClosingSentence(sentence) || (assignment && isIntroduction(assignment))) {
        if (current) parts.push({ text: '', owner: null, ownSubject: false }); // what follows is not the same duty
        continue;
      }
      if (assignment && (!current || current.text === '' || (assignment.duty !== '' && !sameOwner(assignment.owner, current.owner ?? '')))) {
        if (current && current.text === '') parts.pop();
        parts.push({ text: sentence, owner: assignment.owner, ownSubject: true });
        if (assignment.duty === '') parts[parts.length - 1].text = '';
        continue;
      }
      if (current && current.text !== '') current.text += ' ' + sentence;
      else {
        if (current) parts.pop();
        parts.push({ text: sentence, owner: null, ownSubject: false });
      }
    }

    // "Owner: (i) … (ii) …" — each listed duty is a task.
    if (parts.length === 1 && parts[0].ownSubject) {
      const assignment = assignmentOf(parts[0].text);
      const items = assignment ? inlineItems(assignment.duty) : null;
      if (assignment && items) {
        parts.splice(0, 1, ...items.map((item) => ({ text: item.text, owner: assignment.owner, ownSubject: true, suffix: item.label })));
      }
    }

    // An owner heading: the agency alone.
    if (parts.length === 1 && parts[0].ownSubject && parts[0].text === '') {
      // A bullet naming an agency heads duties only when it says so with a colon (else it is a list of addressees).
      if (own && (!BULLETS.has(own.kind) || line.body.trimEnd().endsWith(':'))) own.owner = parts[0].owner;
      continue;
    }
    const real = parts.filter((p) => p.text !== '');
    if (real.length === 0) continue;
    if (!own && real[0].ownSubject && !sameOwner(real[0].owner ?? '', inheritedFrom?.owner ?? '')) {
      // An unnumbered sentence naming another agency stands after the items, not in the last one.
      const firstOwner = stack.findIndex((e) => e.owner !== null || BULLETS.has(e.kind));
      if (firstOwner >= 0) stack = stack.slice(0, firstOwner);
      entries = [...stack];
      group = [];
    }

    const inlineFields = labelled.fields;
    let firstDraft: Draft | null = null;
    real.forEach((part, i) => {
      let owner = part.owner;
      if (i === 0 && !part.ownSubject) owner = inlineFields.lead ?? inheritedFrom?.owner ?? null;
      if (i === 0 && !part.ownSubject && owner === null && heading) {
        topic = { entries, line, entry: own as Entry };
        return;
      }
      const draft = addDraft(line, entries, own, part.text.trim(), owner, { ...inlineFields });
      if (part.suffix) draft.stt = `${draft.stt} ${part.suffix}`.trim();
      if (i === 0) firstDraft = draft;
      if (owner === inheritedFrom?.owner && inheritedFrom?.draft?.intro) inheritedFrom.draft.dropped = true;
      if (Object.keys(inlineFields).length === 0) group.push(draft);
    });
    if (Object.keys(inlineFields).length > 0) group = [];
    if (own && firstDraft) {
      own.draft = firstDraft;
      if (real[0].ownSubject) own.owner = real[0].owner;
      else if ((firstDraft as Draft).intro) own.owner = (firstDraft as Draft).owner;
    }
  }

  return finish(drafts, notes, registry, options.asOf);
}

function finish(drafts: Draft[], notes: Map<string, string>, registry: AgencyRegistry, asOf: IsoDate): ProseRecognition {
  const tasks: Task[] = [];
  const diagnostics: Diagnostic[] = [];
  const occurrences = new Map<string, number>();
  const resolve = (raw: string, field: 'lead' | 'support', row: number): string[] => {
    if (raw === '') return [];
    const resolution = registry.resolve(raw);
    for (const w of resolution.warnings) {
      const label = field === 'lead' ? { vi: 'Cơ quan chủ trì', en: 'Lead' } : { vi: 'Cơ quan phối hợp', en: 'Support' };
      diagnostics.push({ row, field, severity: 'info', code: 'agency.unknown', message: `${label.vi}: ${w.message}`, messageEn: `${label.en}: ${w.messageEn}` });
    }
    return resolution.agencies.map((a) => a.name);
  };

  for (const draft of drafts) {
    if (draft.dropped || draft.owner === null && draft.fields.lead === undefined) continue;
    const text = draft.text.replace(/[\s;,]+$/u, '');
    const leadRaw = draft.fields.lead ?? draft.owner ?? '';
    const supportRaw = draft.fields.support ?? supportOf(text);
    const deadlineRaw = draft.fields.deadline ?? findDeadline(text);
    let deadline: Deadline = NO_DEADLINE;
    if (deadlineRaw) {
      deadline = parseDeadline(deadlineRaw, { asOf });
      if (deadline.kind === 'unknown') {
        diagnostics.push({
          row: draft.row,
          field: 'deadline',
          severity: 'warning',
          code: 'deadline.unknown',
          message: `Không đọc được thời hạn “${deadlineRaw}”`,
          messageEn: `Unreadable deadline "${deadlineRaw}"`,
        });
      }
    }
    const extra: Record<string, string> = {};
    const noted = draft.notes.filter((n) => notes.has(n));
    if (noted.length > 0) extra['Chú thích'] = noted.map((n) => `(${n}) ${notes.get(n)}`).join(' ');
    if (draft.fields.content) extra['Nội dung thực hiện'] = draft.fields.content;
    if (draft.fields.place) extra['Địa điểm'] = draft.fields.place;

    // Repeats are told apart as taskId sees them (case, marks and punctuation ignored).
    const first = taskId(null, draft.section, draft.stt, text, 0);
    const occurrence = occurrences.get(first) ?? 0;
    occurrences.set(first, occurrence + 1);
    tasks.push({
      id: occurrence === 0 ? first : taskId(null, draft.section, draft.stt, text, occurrence),
      stt: draft.stt,
      section: draft.section,
      sectionTitle: draft.sectionTitle,
      task: text,
      lead: resolve(leadRaw, 'lead', draft.row),
      support: resolve(supportRaw, 'support', draft.row),
      leadRaw,
      supportRaw,
      deadline,
      output: draft.fields.output ?? '',
      extra,
      row: draft.row,
    });
  }
  return { tasks, diagnostics };
}
