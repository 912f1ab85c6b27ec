/** Settings: defaults, sizes, and a bad value named in both languages. */
import path from 'node:path';
import { loadConfig, parseSize, SETTINGS, settingsTable } from '../../server/config';
import { InputError } from '../../shared/errors';

describe('loadConfig', () => {
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
    });
  });

  it('reads the environment', () => {
    const c = loadConfig({ PORT: '0', DATABASE_URL: 'postgres://u@h/db', JSON_LIMIT: '512kb', RATE_LIMIT: '0', TRUST_PROXY: '1', REPORT_DAY: '20' });
    expect(c).toMatchObject({ port: 0, databaseUrl: 'postgres://u@h/db', jsonLimit: 512 * 1024, rateLimit: 0, trustProxy: 1, reportDay: 20 });
  });

  it('names the bad setting', () => {
    for (const env of [{ PORT: 'http' }, { JSON_LIMIT: 'lots' }, { LOG_LEVEL: 'loud' }, { DATABASE_URL: 'mysql://x' }, { TIME_ZONE: 'Mars/Base' }, { REPORT_DAY: '31' }]) {
      const name = Object.keys(env)[0];
      let error: unknown;
      try {
        loadConfig(env);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).where.field).toBe(name);
      expect((error as InputError).messageEn).toContain(name);
    }
  });

  it('documents every setting in one table', () => {
    expect(parseSize('X', '1.5mb')).toBe(1.5 * 1024 * 1024);
    const table = settingsTable();
    for (const s of SETTINGS) expect(table).toContain(`\`${s.env}\``);
  });
});
