/**
 * The agency registry and the reading of "Cơ quan chủ trì / phối hợp" cells.
 *
 * Names contain commas and "và" ("Sở Văn hóa, Thể thao và Du lịch"), so a cell
 * cannot be split first: known names are found first (longest match over the
 * words, ignoring case, diacritics and punctuation), and only the text between
 * them is split on separators. Whatever is left that is not filler is kept as
 * written, with a warning, so nothing in the cell is lost.
 */
import data from './data/agencies.json';
import { officeRegistryFile } from './agency-data';
import { InputError } from './errors';
import { AgencyRegistryFile, type AgencyKind, type AgencyRef, type RegistryAgency } from './schemas';
import { cleanMultiline, cleanText, matchKey, trimEndWhile } from './text';

export interface AgencyWarning {
  /** The piece of the cell concerned, as written. */
  source: string;
  message: string;
  messageEn: string;
}

/** An agency named inside free text. */
export interface AgencyMention {
  /** UTF-16 offsets into the text as given (NFD text keeps its own offsets). */
  start: number;
  end: number;
  /** The mention as written. */
  text: string;
  id: string;
  /** The registry's name. */
  name: string;
  kind: AgencyKind;
  /** Written with a name from before a merger ("Sở Kế hoạch và Đầu tư" for Sở Tài chính). */
  former?: true;
}

export interface AgencyResolution {
  agencies: AgencyRef[];
  warnings: AgencyWarning[];
}

/** A word of the text (outside parentheses): its matching key and where it stands. */
interface Token {
  key: string;
  start: number;
  end: number;
}

interface Match {
  agency: RegistryAgency;
  /** The joined key that matched. */
  key: string;
  /** Token range [first, last). */
  first: number;
  last: number;
}

/** Titles of a body's head, folded to one word each so "Bộ trưởng" is not read as "Bộ …". */
const TITLES: [string, string][] = [
  ['bo truong', 'botruong'],
  ['thu truong', 'thutruong'],
  ['chu tich', 'chutich'],
  ['giam doc', 'giamdoc'],
  ['lanh dao', 'lanhdao'],
  ['dong chi', 'dongchi'],
  ['chu nhiem', 'chunhiem'],
  ['truong ban', 'truongban'],
];

/** Words that join names ("và", "&"): a name never starts or ends with one. */
const JOINERS = new Set(['va', '&']);
/** Words left out of keys, so "KH & CN" meets "KHCN" and "các địa phương" meets "địa phương". */
const IGNORED = new Set([...JOINERS, 'cac']);
/**
 * Words that qualify a name but never name an agency on their own
 * ("và các đơn vị có liên quan", "chủ trì", "trên địa bàn tỉnh").
 */
const FILLER = new Set([
  ...IGNORED,
  'cung', 'voi', 'co', 'lien', 'quan', 'khac', 'chu', 'tri', 'phoi', 'hop',
  'tinh', 'tren', 'dia', 'ban', 'thuc', 'hien', 'nhu', 'vv', 'hoac', 'theo', 'doi',
  // "… theo chức năng, nhiệm vụ được giao", "… trong phạm vi của mình", "… theo quy định"
  'chuc', 'nang', 'nhiem', 'vu', 'duoc', 'giao', 'pham', 'vi', 'minh', 'cua', 'quy', 'dinh', 'trong',
  // Titles before a body's name (folded to one word): "Bộ trưởng Bộ Công an", "Giám đốc Sở Y tế"
  ...TITLES.map(([, word]) => word),
]);

/**
 * Phrases folded to their usual abbreviation before matching, so every mix of
 * full and short forms meets ("VP UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh").
 * Indexed by first word; the longest phrase at a position wins.
 */
const ABBREVIATIONS = new Map<string, { words: string[]; abbreviation: string }[]>();
for (const [phrase, abbreviation] of [
  ['uy ban nhan dan', 'ubnd'],
  ['hoi dong nhan dan', 'hdnd'],
  ['mat tran to quoc', 'mttq'],
  ['uy ban mttq', 'ubmttq'],
  ['uy ban mat tran to quoc', 'ubmttq'],
  ['van phong', 'vp'],
  ['khoa hoc cong nghe', 'khcn'],
  ['nong nghiep moi truong', 'nnmt'],
  ['giao duc dao tao', 'gddt'],
  ['van hoa the thao du lich', 'vhttdl'],
  ['dan toc ton giao', 'dttg'],
  ['ban quan ly', 'bql'],
  ['khu kinh te', 'kkt'],
  ['cuu chien binh', 'ccb'],
  ['lien hiep phu nu', 'lhpn'],
  ['lien doan lao dong', 'ldld'],
  ['bao hiem xa hoi', 'bhxh'],
  ['thanh nien cong san', 'tncs'],
  ['ho chi minh', 'hcm'],
  ['khoa hoc ky thuat', 'khkt'],
  ...TITLES,
]) {
  const words = phrase.split(' ');
  const list = ABBREVIATIONS.get(words[0]) ?? [];
  list.push({ words, abbreviation });
  list.sort((a, b) => b.words.length - a.words.length);
  ABBREVIATIONS.set(words[0], list);
}

/**
 * First words that say what kind of body a name is, so the name can be looked for in free text.
 * "công" names a body only as "Công an …" or "Công ty …" with more words ("Công Thương" alone is a sector).
 */
const KIND_WORDS = new Set([
  'so', 'bo', 'ubnd', 'hdnd', 'ubmttq', 'mttq', 'ban', 'bql', 'vp', 'thanh', 'tinh', 'dang', 'hoi', 'hiep', 'ldld',
  'lien', 'doan', 'uy', 'cac', 'bhxh', 'trung', 'tap', 'tong', 'cuc', 'vu', 'toa', 'vien', 'kho', 'ngan', 'chinh',
  'thu', 'quoc', 'don', 'doanh', 'ca', 'phuong', 'xa', 'dac', 'nha', 'truong', 'co', 'bch', 'ubtvqh', 'bi',
]);

function namesItsKind(name: string, tokens: readonly Token[]): boolean {
  if (!/\s/.test(cleanText(name))) return true;
  const words = tokens.filter((token) => !IGNORED.has(token.key) || token.key === 'cac');
  if (words[0]?.key === 'cong') return words.length > 2 && (words[1].key === 'an' || words[1].key === 'ty');
  return words.length > 0 && KIND_WORDS.has(words[0].key);
}

/** Group headings that introduce a list of bare names: "các Bộ: Xây dựng; Y tế", "các Tập đoàn: Điện lực Việt Nam". */
const LIST_HEADS = new Map([
  ['bo', 'bo'],
  ['cacbo', 'bo'],
  ['so', 'so'],
  ['cacso', 'so'],
  ['tapdoan', 'tapdoan'],
  ['cactapdoan', 'tapdoan'],
]);

/** How words are keyed: in a cell "các" is noise ("Các sở" = "sở"); in free text it marks a group. */
interface Mode {
  ignored: ReadonlySet<string>;
}
const CELL_MODE: Mode = { ignored: IGNORED };
const TEXT_MODE: Mode = { ignored: JOINERS };
/** What ends a sentence between two words, and with it a list. */
const SENTENCE_END = /[.!?\n]/;

/** Distinct cells remembered by resolve(); annexes repeat the same few cells many times. */
const MEMO_LIMIT = 50_000;

/** Separators between names, outside parentheses; "và" is handled as a word. */
const SEPARATOR = /[;,\n+:]/;
/** Separators no name contains (commas and line breaks may fall inside a name). */
const HARD_STOP = /[;:]/;

export class AgencyRegistry {
  readonly province: string;
  readonly agencies: readonly RegistryAgency[];
  private readonly ids = new Map<string, RegistryAgency>();
  /** Joined key of every name and alias → its agency. */
  private readonly keys = new Map<string, RegistryAgency>();
  /**
   * The keys safe to look for in free text: names that start with what kind of body
   * they are ("Sở Y tế", "Bộ Xây dựng", "Các sở, ngành") or single words (VPCP, Viettel).
   * A bare "Y tế" or "Xây dựng" names an agency in a lead cell, but in a sentence it is a topic.
   */
  private readonly textKeys = new Map<string, RegistryAgency>();
  /** Keys of names from before a merger. */
  private readonly formerKeys = new Set<string>();
  /** Every prefix of those keys, to stop extending a candidate as soon as no name can follow. */
  private readonly prefixes = new Set<string>();
  /** The longest name in words, plus slack for spelled-out abbreviations. */
  private maxTokens = 0;
  /** Filler words plus the province's name ("tỉnh Lào Cai" after a name). */
  private readonly filler: Set<string>;
  /** The province's name as word keys ("lao", "cai"). */
  private readonly provinceWords: string[];
  private readonly memo = new Map<string, AgencyResolution>();

  constructor(file: AgencyRegistryFile) {
    this.province = file.province;
    this.agencies = Object.freeze([...file.agencies]);
    file.agencies.forEach((agency, index) => {
      if (this.ids.has(agency.id)) {
        throw new InputError(
          `Danh mục cơ quan: mục ${index + 1} trùng mã “${agency.id}”`,
          `Agency registry: entry ${index + 1} repeats the id “${agency.id}”`,
          'registry.duplicate',
          { field: `agencies[${index}].id` },
        );
      }
      this.ids.set(agency.id, agency);
    });
    this.index(file.agencies);
    this.provinceWords = matchKey(file.province).split(' ').filter(Boolean);
    this.filler = new Set([...FILLER, ...this.provinceWords]);
  }

  /**
   * An office's registry: the central bodies, the standard bodies of the file's province
   * (shared/data/agencies-province.json), then the file's own entries.
   */
  static forOffice(json: unknown): AgencyRegistry {
    const own = AgencyRegistry.fromJson(json); // validates, naming the bad entry
    return new AgencyRegistry(officeRegistryFile({ province: own.province, agencies: [...own.agencies] }));
  }

  /** Validates a parsed JSON registry file; bad data throws an InputError naming the entry and field. */
  static fromJson(json: unknown): AgencyRegistry {
    const parsed = AgencyRegistryFile.safeParse(json);
    if (parsed.success) return new AgencyRegistry(parsed.data);
    const issue = parsed.error.issues[0];
    const path = issue.path.map(String);
    let whereVi = 'tệp';
    let whereEn = 'file';
    let fieldPath = path.join('.');
    if (path[0] === 'agencies' && path.length > 1) {
      const index = Number(path[1]);
      const entry = (json as { agencies?: unknown[] }).agencies?.[index] as { id?: unknown } | undefined;
      const id = typeof entry?.id === 'string' ? ` (“${entry.id}”)` : '';
      const field = path.slice(2).join('.') || '(mục)';
      whereVi = `mục ${index + 1}${id}, trường “${field}”`;
      whereEn = `entry ${index + 1}${id}, field “${field}”`;
      fieldPath = `agencies[${index}]${path.length > 2 ? '.' + path.slice(2).join('.') : ''}`;
    } else if (path.length > 0) {
      whereVi = `trường “${fieldPath}”`;
      whereEn = `field “${fieldPath}”`;
    }
    throw new InputError(
      `Danh mục cơ quan không hợp lệ: ${whereVi}: ${issue.message}`,
      `Invalid agency registry: ${whereEn}: ${issue.message}`,
      'registry.invalid',
      { field: fieldPath },
    );
  }

  byId(id: string): RegistryAgency | undefined {
    return this.ids.get(id);
  }

  /** The registry entry a name or alias stands for (one agency, however spelt), if any. */
  find(name: string): RegistryAgency | undefined {
    const { agencies } = this.resolve(name);
    return agencies.length === 1 && agencies[0].id !== null ? this.ids.get(agencies[0].id) : undefined;
  }

  /**
   * An office's own file extends this registry; an entry with an existing id replaces it.
   * A file naming another province starts from that province's standard bodies instead
   * (this registry's own local bodies belong to its province and are left out).
   */
  merge(other: AgencyRegistryFile): AgencyRegistry {
    if (other.province && matchKey(other.province) !== matchKey(this.province)) {
      return new AgencyRegistry(officeRegistryFile(other));
    }
    const replacements = new Map(other.agencies.map((agency) => [agency.id, agency]));
    const added = other.agencies.filter((agency) => !this.ids.has(agency.id));
    const merged = new AgencyRegistry({
      province: other.province || this.province,
      agencies: [...this.agencies.map((agency) => replacements.get(agency.id) ?? agency), ...added],
    });
    // The office's spellings win where they collide with the default's.
    merged.index(other.agencies);
    return merged;
  }

  /** The agencies a cell names, in order and without repeats; unknown names are kept as written. */
  resolve(cell: string): AgencyResolution {
    let result = this.memo.get(cell);
    if (!result) {
      if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
      result = this.compute(cell);
      this.memo.set(cell, result);
    }
    // Fresh arrays: callers may push to them without touching the cache (the refs are frozen).
    return { agencies: [...result.agencies], warnings: [...result.warnings] };
  }

  /**
   * Every agency named in free text, left to right, the longest name at each place.
   * "các Bộ: Xây dựng; Y tế" names Bộ Xây dựng and Bộ Y tế: after such a heading the
   * bare names of the list are read with the heading's kind of body, up to the sentence's end.
   * Linear: each word starts at most one bounded look-ahead.
   */
  findMentions(text: string): AgencyMention[] {
    const tokens = tokenize(text, true);
    return this.matchAll(text, tokens, TEXT_MODE).map((match) => {
      let last = match.last;
      // "UBND tỉnh Lào Cai", "Sở Y tế tỉnh Lào Cai": the province's name belongs to the mention.
      if (this.provinceWords.length > 0) {
        const after = phraseEnd(tokens, last, this.provinceWords);
        const afterTinh = tokens[last]?.key === 'tinh' ? phraseEnd(tokens, last + 1, this.provinceWords) : -1;
        last = Math.max(last, after, afterTinh);
      }
      const start = tokens[match.first].start;
      const end = tokens[last - 1].end;
      const { id, name, kind } = match.agency;
      const mention: AgencyMention = { start, end, text: text.slice(start, end), id, name, kind };
      if (this.formerKeys.has(match.key)) mention.former = true;
      return mention;
    });
  }


  private index(agencies: readonly RegistryAgency[]): void {
    for (const agency of agencies) {
      const former = new Set(agency.formerNames ?? []);
      for (const name of [agency.name, ...agency.aliases, ...former]) {
        const tokens = tokenize(cleanText(name));
        const key = joinKeys(tokens);
        if (!key) continue;
        this.keys.set(key, agency);
        if (former.has(name)) this.formerKeys.add(key);
        else this.formerKeys.delete(key);
        for (let n = 1; n < key.length; n++) this.prefixes.add(key.slice(0, n));
        if (!namesItsKind(name, tokens)) continue;
        // In free text "các" is kept, so a bare "bộ" or "số" is not "Các bộ".
        const textKey = joinKeys(tokens, TEXT_MODE);
        this.textKeys.set(textKey, agency);
        if (former.has(name)) this.formerKeys.add(textKey);
        for (let n = 1; n < textKey.length; n++) this.prefixes.add(textKey.slice(0, n));
        this.maxTokens = Math.max(this.maxTokens, tokens.length + 4);
      }
    }
  }

  private compute(cell: string): AgencyResolution {
    const text = unwrapParentheses(cleanMultiline(cell));
    const tokens = tokenize(text);
    const matches = this.matchAll(text, tokens, CELL_MODE);
    const hasContent = (seg: Segment) => seg.leftover.some((token) => !this.isFiller(token.key));
    const segments = readDuties(joinNameParts(segment(text, tokens, matches), hasContent), tokens, (key) => this.isFiller(key));
    const roles = segments.some((seg) => seg.role === 'lead');

    const agencies: AgencyRef[] = [];
    const warnings: AgencyWarning[] = [];
    const seen = new Set<string>();
    const add = (ref: AgencyRef, dedupeKey: string): boolean => {
      if (seen.has(dedupeKey)) return false;
      seen.add(dedupeKey);
      agencies.push(Object.freeze(ref));
      return true;
    };

    segments.forEach((seg, i) => {
      if (seg.duty) return;
      const source = tidy(text.slice(seg.start, seg.end));
      const content = hasContent(seg);
      if (seg.matches.length === 0 && !content) return; // separators and filler only
      const adjacent = seg.matches.some((m, k) => k > 0 && seg.matches[k - 1].last === m.first);
      if (seg.matches.length === 0 || content || adjacent) {
        // Unknown, or a known name inside a longer unknown one ("Công an xã …"): keep the piece as written.
        if (add({ name: source, id: null, kind: 'other', source }, `?${matchKey(source)}`)) {
          warnings.push(
            Object.freeze({
              source,
              message: `Không nhận ra cơ quan “${source}”; giữ nguyên như đã viết`,
              messageEn: `Unknown agency “${source}”; kept as written`,
            }),
          );
        }
        return;
      }
      // "Các sở, ngành: Nội vụ, Tài chính" — a group before a colon introduces the list that follows.
      const heading = seg.colon && seg.matches.every((m) => m.agency.kind === 'group');
      if (heading && segments.slice(i + 1).some((later) => later.matches.length > 0 || hasContent(later))) return;
      for (const m of seg.matches) {
        const piece =
          seg.matches.length === 1 ? source : tidy(text.slice(tokens[m.first].start, tokens[m.last - 1].end));
        const { id, name, kind } = m.agency;
        add(roles && seg.role ? { name, id, kind, source: piece, role: seg.role } : { name, id, kind, source: piece }, id);
      }
    });
    return { agencies, warnings };
  }

  private isFiller(key: string): boolean {
    return this.filler.has(key) || key.length === 1 || /^\d+$/.test(key);
  }

  /**
   * Longest known name at each position, left to right. After a heading "các Bộ:" or
   * "các Sở:" the names of the list are tried first with the heading's kind of body, so
   * "Xây dựng" there is Bộ Xây dựng; the list ends with the sentence.
   */
  private matchAll(text: string, tokens: Token[], mode: Mode): Match[] {
    const keys = mode === TEXT_MODE ? this.textKeys : this.keys;
    const matches: Match[] = [];
    let listHead = '';
    for (let i = 0; i < tokens.length; ) {
      if (i > 0 && SENTENCE_END.test(text.slice(tokens[i - 1].end, tokens[i].start))) listHead = '';
      let match: Match | undefined;
      if (!JOINERS.has(tokens[i].key)) {
        match = (listHead ? this.longestAt(text, tokens, i, keys, mode, listHead) : undefined) ?? this.longestAt(text, tokens, i, keys, mode);
      }
      // A lone "Sở" or "Bộ" names the group only before a separator ("các Bộ:", "Các sở, …"): "Bộ trưởng", "Sở Văn hóa" are words of something else.
      if (match && mode === CELL_MODE && LIST_HEADS.has(match.key) && match.last < tokens.length && !SEPARATOR.test(text.slice(tokens[match.last - 1].end, tokens[match.last].start))) {
        match = undefined;
      }
      if (!match) {
        i += 1;
        continue;
      }
      matches.push(match);
      const head = LIST_HEADS.get(match.key);
      if (head !== undefined && /^\s*:/.test(text.slice(tokens[match.last - 1].end, tokens[match.last - 1].end + 8))) listHead = head;
      i = match.last;
    }
    return matches;
  }

  /** The longest known name starting at token `first`; names never run across ";" or ":". */
  private longestAt(
    text: string,
    tokens: Token[],
    first: number,
    keys: ReadonlyMap<string, RegistryAgency>,
    mode: Mode,
    head = '',
  ): Match | undefined {
    let key = head;
    let best: Match | undefined;
    const end = Math.min(tokens.length, first + this.maxTokens);
    for (let j = first; j < end; j++) {
      if (j > first && HARD_STOP.test(text.slice(tokens[j - 1].end, tokens[j].start))) break;
      if (mode.ignored.has(tokens[j].key)) continue;
      key += tokens[j].key;
      const agency = keys.get(key);
      if (agency) best = { agency, key, first, last: j + 1 };
      else if (!this.prefixes.has(key)) break;
    }
    return best;
  }
}

interface Segment {
  start: number;
  end: number;
  matches: Match[];
  /** Words of the segment outside any match. */
  leftover: Token[];
  /** Ended by a colon. */
  colon: boolean;
  /** Begun after "," or "và", which may fall inside one body's name. */
  afterSoftCut: boolean;
  /** The rest of a duty ("…, tổng hợp"): no agency in it. */
  duty?: boolean;
  role?: 'lead' | 'support';
}

/** First words of the duty that follows a body's name in a sentence cell. */
const DUTY_WORDS = new Set([
  'chu', 'phoi', 'thuc', 'tham', 'theo', 'bao', 'huong', 'tong', 'to', 'xay', 'trien', 'kiem', 'ra', 'don', 'cap',
  'nghien', 'de', 'phu', 'giup', 'quan', 'cung', 'la', 'co', 'hoan',
]);

/**
 * Cells written as sentences: "Sở KH&CN chủ trì hướng dẫn, tổng hợp; Các sở, ngành, UBND cấp
 * xã thực hiện công bố …". The names come first, then the duty: the duty (and the pieces of it
 * after a comma, up to the next ";" or line) names no agency. A body named with "chủ trì" leads;
 * the bodies of the other clauses support.
 */
function readDuties(segments: Segment[], tokens: Token[], isFiller: (key: string) => boolean): Segment[] {
  let inDuty = false;
  let clause: Segment[] = [];
  for (const seg of segments) {
    if (!seg.afterSoftCut) {
      inDuty = false;
      clause = [];
    }
    if (inDuty && seg.matches.length === 0) {
      seg.duty = true;
      continue;
    }
    clause.push(seg);
    if (seg.matches.length === 0) continue;
    // The first duty word after the first name, with only names and filler before it.
    const at = tokens.findIndex((t) => t.start >= tokens[seg.matches[0].first].start && t.start < seg.end && DUTY_WORDS.has(t.key) && !seg.matches.some((m) => covers(m, tokens, t)));
    if (at < 0 || seg.leftover.some((t) => t.start < tokens[at].start && !isFiller(t.key))) continue;
    // A duty is a phrase: one last word ("Cơ quan lạ", whose "lạ" folds like "là") is part of an unknown name.
    if (!(tokens[at + 1] && tokens[at + 1].start < seg.end)) continue;
    const kept = seg.matches.filter((m) => m.last <= at);
    // A bare "Sở" or "Bộ" before the words is the start of an unknown name ("Sở Văn hóa và Thể thao"), not a body.
    if (kept.length === 0 || kept.every((m) => LIST_HEADS.has(m.key))) continue;
    const role = tokens[at].key === 'chu' && tokens[at + 1]?.key === 'tri' ? 'lead' : 'support';
    seg.matches = kept;
    seg.leftover = [];
    seg.end = tokens[kept[kept.length - 1].last - 1].end;
    for (const s of clause) if (s.matches.length > 0 && !s.role) s.role = role;
    inDuty = true;
  }
  return segments;
}

function covers(m: Match, tokens: Token[], t: Token): boolean {
  return tokens[m.first].start <= t.start && t.start < tokens[m.last - 1].end;
}

/**
 * An unknown name is split at "," or "và" only when its parts are bodies: a part that does
 * not start by saying what kind of body it is ("Thể thao" in "Sở Văn hóa và Thể thao")
 * goes back into the unknown name before it.
 */
function joinNameParts(segments: Segment[], hasContent: (seg: Segment) => boolean): Segment[] {
  const joined: Segment[] = [];
  for (const seg of segments) {
    const prev = joined[joined.length - 1];
    const unknown = seg.matches.length === 0 && hasContent(seg);
    // A part with words beside a known name is unknown too ("Sở Văn hóa": "Sở" alone is the group "Các sở").
    if (prev && unknown && seg.afterSoftCut && hasContent(prev) && !KIND_WORDS.has(seg.leftover[0].key)) {
      prev.end = seg.end;
      prev.leftover.push(...seg.leftover);
      prev.colon = seg.colon;
    } else {
      joined.push(seg);
    }
  }
  return joined;
}

/** Cuts the text at separators that stand outside known names and outside parentheses. */
function segment(text: string, tokens: Token[], matches: Match[]): Segment[] {
  const covered = new Array<Match | undefined>(tokens.length);
  for (const m of matches) for (let t = m.first; t < m.last; t++) covered[t] = m;

  const cuts: { start: number; end: number; colon: boolean; soft: boolean }[] = [];
  let depth = 0;
  let next = 0; // next match, by position
  for (let i = 0; i < text.length; i++) {
    while (next < matches.length && tokens[matches[next].last - 1].end <= i) next += 1;
    const m = matches[next];
    if (m && tokens[m.first].start <= i) {
      i = tokens[m.last - 1].end - 1;
      continue;
    }
    const ch = text[i];
    if (ch === '(') depth += 1;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0 && SEPARATOR.test(ch)) cuts.push({ start: i, end: i + 1, colon: ch === ':', soft: ch === ',' });
  }
  tokens.forEach((token, t) => {
    if (token.key === 'va' && !covered[t]) cuts.push({ start: token.start, end: token.end, colon: false, soft: true });
  });
  cuts.sort((a, b) => a.start - b.start);
  cuts.push({ start: text.length, end: text.length, colon: false, soft: false });

  const segments: Segment[] = [];
  let start = 0;
  let t = 0;
  let afterSoftCut = false;
  for (const cut of cuts) {
    const seg: Segment = { start, end: cut.start, matches: [], leftover: [], colon: cut.colon, afterSoftCut };
    for (; t < tokens.length && tokens[t].start < cut.start; t++) {
      const m = covered[t];
      if (!m) {
        if (tokens[t].key !== 'va') seg.leftover.push(tokens[t]);
      } else if (seg.matches[seg.matches.length - 1] !== m) {
        seg.matches.push(m);
      }
    }
    segments.push(seg);
    start = cut.end;
    afterSoftCut = cut.soft;
  }
  return segments;
}

/**
 * The words of a text, keyed for matching, abbreviations folded: outside parentheses
 * for a cell (where they hold remarks), all of them for free text.
 */
function tokenize(text: string, withParentheses = false): Token[] {
  const tokens: Token[] = [];
  let depth = 0;
  for (const m of text.matchAll(/[\p{L}\p{N}\p{M}]+|[&()]/gu)) {
    const word = m[0];
    if (word === '(') depth += 1;
    else if (word === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0 || withParentheses) {
      const key = wordKey(word);
      if (key) tokens.push({ key, start: m.index, end: m.index + word.length });
    }
  }
  return foldAbbreviations(tokens);
}

/** Matching key of one word; words repeat across cells, so keys are remembered. */
const WORD_KEYS = new Map<string, string>();
function wordKey(word: string): string {
  let key = WORD_KEYS.get(word);
  if (key === undefined) {
    key = word === '&' ? '&' : matchKey(word).replace(/ /g, '');
    if (WORD_KEYS.size >= MEMO_LIMIT) WORD_KEYS.clear();
    WORD_KEYS.set(word, key);
  }
  return key;
}

function foldAbbreviations(tokens: Token[]): Token[] {
  const folded: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const candidates = ABBREVIATIONS.get(tokens[i].key) ?? [];
    let end = -1;
    let abbreviation = '';
    for (const candidate of candidates) {
      end = phraseEnd(tokens, i, candidate.words);
      abbreviation = candidate.abbreviation;
      if (end > 0) break;
    }
    if (end > 0) {
      folded.push({ key: abbreviation, start: tokens[i].start, end: tokens[end - 1].end });
      i = end - 1;
    } else {
      folded.push(tokens[i]);
    }
  }
  return folded;
}

/** Index just after `phrase` starting at token i (joiners between its words allowed), or -1. */
function phraseEnd(tokens: Token[], i: number, phrase: readonly string[]): number {
  let j = i;
  for (let w = 0; w < phrase.length; w++) {
    if (w > 0) while (j < tokens.length && JOINERS.has(tokens[j].key)) j += 1;
    if (tokens[j]?.key !== phrase[w]) return -1;
    j += 1;
  }
  return j;
}

function joinKeys(tokens: Token[], mode: Mode = CELL_MODE): string {
  return tokens
    .filter((token) => !mode.ignored.has(token.key))
    .map((token) => token.key)
    .join('');
}

/** A cell wholly in parentheses, "(Sở Y tế)", is read as its content. */
function unwrapParentheses(text: string): string {
  const trimmed = trimEndWhile(text, /[\s.;,]/);
  if (!trimmed.startsWith('(') || !trimmed.endsWith(')')) return text;
  let depth = 0;
  for (let i = 0; i < trimmed.length; i++) {
    if (trimmed[i] === '(') depth += 1;
    else if (trimmed[i] === ')' && --depth === 0) return i === trimmed.length - 1 ? trimmed.slice(1, -1).trim() : text;
  }
  return text;
}

/** A piece as shown: one line, without bullets, list numbers or the punctuation around it. */
function tidy(piece: string): string {
  const start = piece
    .replace(/\s+/g, ' ')
    .replace(/^[\s\-–—•*+.,;:)]+/u, '')
    .replace(/^(?:\d+|[a-zđ])[.)]\s*/iu, '');
  return trimEndWhile(start, /[\s\-–—+.,;:…(]/);
}

/** Every agency named in free text (see AgencyRegistry.findMentions). */
export function findAgencies(text: string, registry: AgencyRegistry = defaultRegistry): AgencyMention[] {
  return registry.findMentions(text);
}

/** The Lào Cai registry shipped with the tool: central and provincial bodies, and shared/data/agencies.json. */
export const defaultRegistry: AgencyRegistry = AgencyRegistry.forOffice(data);

/**
 * An office's registry: its file (what `annex-tracker agencies` prints — a JSON array of entries —
 * or a registry file {province, agencies}) merged over the built-in one; an entry with an existing
 * id replaces it. A bad entry throws an InputError naming it.
 */
export function officeRegistry(json: unknown, base: AgencyRegistry = defaultRegistry): AgencyRegistry {
  const file = Array.isArray(json) ? { province: base.province, agencies: json } : json;
  const extra = AgencyRegistry.fromJson(file);
  return base.merge({ province: extra.province, agencies: [...extra.agencies] });
}

