/** Settings: defaults, sizes, and a bad value named in both languages. */
import path from 'node:path';
import { loadConfig, parseSize, SETTINGS, settingsTable } from '../../server/config';
import { InputError } from '../../shared/errors';
import { thrownInputError } from '../input-error';

describe('loadConfig', () => {
  it.each([
    [{ PORT: '70000' }, 'một số nguyên từ 0 đến 65535', 'an integer from 0 to 65535'],
    [{ JSON_LIMIT: 'lots' }, 'một cỡ như 5mb', 'a size such as 5mb'],
    [{ TIME_ZONE: 'Mars/Olympus' }, 'múi giờ IANA', 'IANA time zone'],
  ])('says what a bad setting should be, wholly in Vietnamese and wholly in English (%j)', (env, vi, en) => {
    const { message, messageEn } = thrownInputError(() => loadConfig(env));
    expect(message).toContain(vi);
    expect(message).not.toMatch(/\b(an|integer|from|size|such|expected)\b/);
    expect(messageEn).toContain(en);
  });

  it('has a default for every setting', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: path.resolve('data'),
      databaseUrl: null,
      adminToken: null,
      addinOrigin: null,
      jsonLimit: 5 * 1024 * 1024,
      uploadLimit: 20 * 1024 * 1024,
      xlsxMaxUncompressed: 100 * 1024 * 1024,
      rateLimit: 600,
      logLevel: 'info',
      reportDay: 25,
      dueSoonDays: 7,
      timeZone: 'Asia/Ho_Chi_Minh',
      trustProxy: false,
      uploadMaxRows: 100_000,
      uploadMaxColumns: 200,
      uploadMaxCells: 2_000_000,
      parseMemory: 512 * 1024 * 1024,
      agenciesFile: null,
    });
  });

  it('reads the environment', () => {
    const c = loadConfig({ PORT: '0', DATABASE_URL: 'postgres://u@h/db', JSON_LIMIT: '512kb', RATE_LIMIT: '0', TRUST_PROXY: '1', REPORT_DAY: '20' });
    expect(c).toMatchObject({ port: 0, databaseUrl: 'postgres://u@h/db', jsonLimit: 512 * 1024, rateLimit: 0, trustProxy: 1, reportDay: 20 });
  });

  it('names the bad setting', () => {
    for (const env of [{ PORT: 'http' }, { JSON_LIMIT: 'lots' }, { LOG_LEVEL: 'loud' }, { DATABASE_URL: 'mysql://x' }, { TIME_ZONE: 'Mars/Base' }, { REPORT_DAY: '31' }, { UPLOAD_MAX_ROWS: '0' }, { UPLOAD_MAX_COLUMNS: '20000' }, { PARSE_MEMORY: 'much' }, { ADMIN_TOKEN: 'short' }, { ADMIN_TOKEN: 'sixteen chars but spaces' }]) {
      const name = Object.keys(env)[0];
      const error = thrownInputError(() => loadConfig(env));
      expect(error.where.field).toBe(name);
      expect((error as InputError).messageEn).toContain(name);
    }
  });

  it('refuses an ADMIN_TOKEN no request could carry, saying why in both languages (issue 10, finding 9)', () => {
    expect(() => loadConfig({ ADMIN_TOKEN: 'abc123' })).toThrow(/16–512/);
    try {
      loadConfig({ ADMIN_TOKEN: 'abc123' });
    } catch (e) {
      expect((e as InputError).message).toMatch(/ký tự/);
      expect((e as InputError).messageEn).toMatch(/6 characters/);
    }
    expect(loadConfig({ ADMIN_TOKEN: 'x'.repeat(16) }).adminToken).toBe('x'.repeat(16));
  });

  it('documents every setting in one table', () => {
    expect(parseSize('X', '1.5mb')).toBe(1.5 * 1024 * 1024);
    const table = settingsTable();
    for (const s of SETTINGS) expect(table).toContain(`\`${s.env}\``);
  });
});
