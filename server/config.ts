/**
 * The service's settings, read once from the environment. SETTINGS is the one
 * table of names, defaults and meanings: the README shows it, loadConfig reads it.
 */
import path from 'node:path';
import { InputError } from '../shared/errors';
import { TOKEN_PATTERN } from './auth';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** postgres://… runs on PostgreSQL; null: SQLite in dataDir. */
  databaseUrl: string | null;
  /** Sets the administrator token instead of generating one at first start. */
  adminToken: string | null;
  /** The one origin CORS answers (the add-in's), null: none. */
  addinOrigin: string | null;
  /** Bytes. */
  jsonLimit: number;
  /** Bytes of one uploaded file. */
  uploadLimit: number;
  /** Bytes an uploaded .xlsx may expand to. */
  xlsxMaxUncompressed: number;
  /** What one uploaded file may hold: refused past these, before it costs memory. */
  uploadMaxRows: number;
  uploadMaxColumns: number;
  uploadMaxCells: number;
  /** Bytes of heap the process that reads an upload may use; past it the read fails, the service does not. */
  parseMemory: number;
  /** Bytes of heap the store's thread may use; past it the thread ends and is started again. */
  storeMemory: number;
  /** The office's own agency registry (JSON), merged over the built-in one; null: the built-in one only. */
  agenciesFile: string | null;
  /** Requests per minute per token, and failed authentications per address; 0 turns both off. */
  rateLimit: number;
  logLevel: LogLevel;
  /** Agencies report "before the Nth" of each month (inclusive). */
  reportDay: number;
  dueSoonDays: number;
  /** The time zone whose calendar days count for reports and submissions. */
  timeZone: string;
  /** Express "trust proxy" (hops, or false): needed behind a load balancer for per-address limits. */
  trustProxy: number | false;
  /** PEM certificate and key files: with both, the service answers HTTPS (Office loads add-ins only over https). */
  tlsCert: string | null;
  tlsKey: string | null;
}

export interface Setting {
  env: string;
  default: string;
  description: string;
}

/** Every setting, its default and meaning (the README's table). */
export const SETTINGS: readonly Setting[] = [
  { env: 'PORT', default: '8080', description: 'TCP port the service listens on (0: any free port).' },
  { env: 'HOST', default: '0.0.0.0', description: 'Address to listen on (127.0.0.1 to accept local connections only).' },
  { env: 'DATA_DIR', default: './data', description: 'Directory of the SQLite database file (annex-tracker.sqlite).' },
  { env: 'DATABASE_URL', default: '(none: SQLite)', description: 'postgres://user:pass@host:5432/db runs on PostgreSQL; several instances may share it.' },
  { env: 'ADMIN_TOKEN', default: '(generated)', description: 'Administrator token (16–512 letters, digits or . _ ~ + / = -); replaces the stored one at each start. Unset: the first start generates one and prints it once.' },
  { env: 'ADDIN_ORIGIN', default: '(none)', description: 'The only origin allowed by CORS, e.g. https://addin.example.org.' },
  { env: 'JSON_LIMIT', default: '5mb', description: 'Largest JSON request body (b, kb, mb).' },
  { env: 'UPLOAD_LIMIT', default: '20mb', description: 'Largest uploaded file (annex or returned tracker workbook).' },
  { env: 'XLSX_MAX_UNCOMPRESSED', default: '100mb', description: 'Largest size an uploaded .xlsx may expand to; larger ones are refused unopened (zip bombs).' },
  { env: 'UPLOAD_MAX_ROWS', default: '100000', description: 'Most rows one uploaded sheet may have; a larger file is refused with a message naming the limit.' },
  { env: 'UPLOAD_MAX_COLUMNS', default: '200', description: 'Most columns one uploaded sheet may have.' },
  { env: 'UPLOAD_MAX_CELLS', default: '2000000', description: 'Most cells one uploaded file may hold, all sheets together.' },
  { env: 'PARSE_MEMORY', default: '512mb', description: 'Heap of each process that reads uploads; a file needing more is refused (413), the service keeps answering.' },
  { env: 'STORE_MEMORY', default: '1gb', description: 'Heap of the thread that runs the database; a call needing more fails (503) and the thread is started again, the service keeps answering.' },
  { env: 'AGENCIES_FILE', default: '(none)', description: 'The office’s own agency registry: a JSON file as `annex-tracker agencies` prints it; its entries are added to (or replace) the built-in ones.' },
  { env: 'RATE_LIMIT', default: '600', description: 'Requests per minute per token, and failed authentications per minute per address; 0 turns both off. Counted per instance.' },
  { env: 'LOG_LEVEL', default: 'info', description: 'pino level: fatal, error, warn, info, debug, trace or silent.' },
  { env: 'REPORT_DAY', default: '25', description: 'Agencies report by this day of each month (inclusive) to count as on time.' },
  { env: 'DUE_SOON_DAYS', default: '7', description: 'A task not done and due within this many days is "due soon".' },
  { env: 'TIME_ZONE', default: 'Asia/Ho_Chi_Minh', description: 'Time zone whose calendar days date submissions and "today".' },
  { env: 'TRUST_PROXY', default: '0', description: 'Reverse-proxy hops to trust for the client address (0: none).' },
  { env: 'TLS_CERT', default: '(none: HTTP)', description: 'PEM certificate file; with TLS_KEY the service answers HTTPS, which Office needs to load the add-in.' },
  { env: 'TLS_KEY', default: '(none)', description: 'PEM private key file of TLS_CERT.' },
];

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** What a setting should have been, in each language: the Vietnamese half holds no English. */
const bad = (env: string, value: string, expected: { vi: string; en: string }) =>
  new InputError(`Thiết lập ${env}="${value}" không hợp lệ: cần ${expected.vi}`, `Setting ${env}="${value}" is invalid: expected ${expected.en}`, 'config.invalid', {
    field: env,
  });

/** "5mb", "512kb", "1048576" → bytes. */
export function parseSize(env: string, value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(value);
  if (!m) throw bad(env, value, { vi: 'một cỡ như 5mb, 512kb hoặc 1048576', en: 'a size such as 5mb, 512kb or 1048576' });
  const unit = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(m[2] ?? 'b').toLowerCase() as 'b'];
  return Math.floor(Number(m[1]) * unit);
}

function parseInteger(env: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || n < min || n > max) throw bad(env, value, { vi: `một số nguyên từ ${min} đến ${max}`, en: `an integer from ${min} to ${max}` });
  return n;
}

/** Reads the settings; an invalid value stops the start with a message naming it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const get = (name: string): string => {
    const value = env[name]?.trim();
    if (value) return value;
    const d = SETTINGS.find((s) => s.env === name)!.default;
    return d.startsWith('(') ? '' : d;
  };
  const logLevel = get('LOG_LEVEL') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw bad('LOG_LEVEL', logLevel, { vi: `một trong: ${LOG_LEVELS.join(', ')}`, en: `one of ${LOG_LEVELS.join(', ')}` });
  const databaseUrl = get('DATABASE_URL') || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw bad('DATABASE_URL', databaseUrl, { vi: 'địa chỉ dạng postgres://…', en: 'an address such as postgres://…' });
  const timeZone = get('TIME_ZONE');
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw bad('TIME_ZONE', timeZone, { vi: 'một múi giờ IANA như Asia/Ho_Chi_Minh', en: 'an IANA time zone such as Asia/Ho_Chi_Minh' });
  }
  const trustProxy = parseInteger('TRUST_PROXY', get('TRUST_PROXY'), 0, 10);
  const tlsCert = get('TLS_CERT') || null;
  const tlsKey = get('TLS_KEY') || null;
  if (Boolean(tlsCert) !== Boolean(tlsKey)) throw bad(tlsCert ? 'TLS_KEY' : 'TLS_CERT', '', { vi: 'cả TLS_CERT và TLS_KEY, hoặc không đặt cả hai', en: 'both TLS_CERT and TLS_KEY, or neither' });
  const adminToken = get('ADMIN_TOKEN') || null;
  // A token no request could carry would be stored and then never work.
  if (adminToken && !TOKEN_PATTERN.test(adminToken)) {
    throw new InputError(
      `Thiết lập ADMIN_TOKEN không hợp lệ: cần 16–512 ký tự gồm chữ, số hoặc . _ ~ + / = - (đang có ${adminToken.length} ký tự)`,
      `Setting ADMIN_TOKEN is invalid: it needs 16–512 letters, digits or . _ ~ + / = - (it has ${adminToken.length} characters)`,
      'config.invalid',
      { field: 'ADMIN_TOKEN' },
    );
  }
  const agenciesFile = get('AGENCIES_FILE') || null;
  return {
    port: parseInteger('PORT', get('PORT'), 0, 65535),
    host: get('HOST'),
    dataDir: path.resolve(get('DATA_DIR')),
    databaseUrl,
    adminToken,
    addinOrigin: get('ADDIN_ORIGIN') || null,
    jsonLimit: parseSize('JSON_LIMIT', get('JSON_LIMIT')),
    uploadLimit: parseSize('UPLOAD_LIMIT', get('UPLOAD_LIMIT')),
    xlsxMaxUncompressed: parseSize('XLSX_MAX_UNCOMPRESSED', get('XLSX_MAX_UNCOMPRESSED')),
    uploadMaxRows: parseInteger('UPLOAD_MAX_ROWS', get('UPLOAD_MAX_ROWS'), 1, 1_048_576),
    uploadMaxColumns: parseInteger('UPLOAD_MAX_COLUMNS', get('UPLOAD_MAX_COLUMNS'), 1, 16_384),
    uploadMaxCells: parseInteger('UPLOAD_MAX_CELLS', get('UPLOAD_MAX_CELLS'), 1, 100_000_000),
    parseMemory: parseSize('PARSE_MEMORY', get('PARSE_MEMORY')),
    storeMemory: parseSize('STORE_MEMORY', get('STORE_MEMORY')),
    agenciesFile: agenciesFile && path.resolve(agenciesFile),
    rateLimit: parseInteger('RATE_LIMIT', get('RATE_LIMIT'), 0, 1_000_000),
    logLevel,
    reportDay: parseInteger('REPORT_DAY', get('REPORT_DAY'), 1, 28),
    dueSoonDays: parseInteger('DUE_SOON_DAYS', get('DUE_SOON_DAYS'), 0, 365),
    timeZone,
    trustProxy: trustProxy === 0 ? false : trustProxy,
    tlsCert: tlsCert && path.resolve(tlsCert),
    tlsKey: tlsKey && path.resolve(tlsKey),
  };
}

/** Markdown table of SETTINGS for the README. */
export function settingsTable(): string {
  return [
    '| Setting | Default | Meaning |',
    '|---|---|---|',
    ...SETTINGS.map((s) => `| \`${s.env}\` | \`${s.default}\` | ${s.description} |`),
  ].join('\n');
}
