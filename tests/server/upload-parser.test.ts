/**
 * Uploads are read in child processes (issue 10, finding 2): the event loop
 * keeps turning while a large file is read, a file needing more heap than
 * PARSE_MEMORY fails alone (413) and the next file is read by a new process.
 * Counted, not timed: event-loop turns during the read, outcomes after it.
 */
import { InputError } from '../../shared/errors';
import { UploadParser } from '../../server/upload-parser';
import { testConfig } from './http';

const KHCN = 'Sở Khoa học và Công nghệ';

function csv(rows: number, columns = 6): Uint8Array {
  const header = ['STT', 'Tên nhiệm vụ', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời hạn hoàn thành', 'Kết quả đầu ra'];
  for (let c = header.length; c < columns; c++) header.push(`Cột ${c + 1}`);
  const lines = [header.join(',')];
  for (let i = 1; i <= rows; i++) {
    const cells = [String(i), `Nhiệm vụ số ${i} về chuyển đổi số`, KHCN, '', 'Tháng 6/2026', 'Báo cáo'];
    for (let c = cells.length; c < columns; c++) cells.push(`giá trị ${i}-${c}`);
    lines.push(cells.join(','));
  }
  return Buffer.from(lines.join('\n'), 'utf8');
}

describe('UploadParser', () => {
  let parser: UploadParser | null = null;
  afterEach(async () => {
    await parser?.close();
    parser = null;
  });

  it('reads an annex off the event loop, which keeps turning meanwhile', async () => {
    parser = new UploadParser(testConfig());
    // Warm the reader up so the count below covers the read alone.
    await parser.document({ bytes: csv(2), name: 'warm.csv' }, '2026-06-01');
    let turns = 0;
    let reading = true;
    const spin = () => {
      turns++;
      if (reading) setImmediate(spin);
    };
    setImmediate(spin);
    const annex = await parser.document({ bytes: csv(5_000), name: 'annex.csv' }, '2026-06-01');
    reading = false;
    expect(annex.tasks).toHaveLength(5_000);
    expect(annex.tasks[0]).toMatchObject({ stt: '1', lead: [KHCN] });
    // Read on this thread, the loop would not have turned until the read was over.
    expect(turns).toBeGreaterThan(20);
  });

  it('fails a file that needs more heap than PARSE_MEMORY with a 413 error, and reads the next one', async () => {
    parser = new UploadParser(
      testConfig({ parseMemory: 64 * 1024 * 1024, uploadMaxRows: 1_048_576, uploadMaxColumns: 16_384, uploadMaxCells: 100_000_000 }),
    );
    const error = await parser.document({ bytes: csv(150_000, 40), name: 'huge.csv' }, '2026-06-01').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('file.too_large');
    expect((error as InputError).messageEn).toMatch(/PARSE_MEMORY = 64 MB/);
    const next = await parser.document({ bytes: csv(3), name: 'small.csv' }, '2026-06-01');
    expect(next.tasks).toHaveLength(3);
  });

  it('passes the reader’s refusal through with its row/column/cell limit named', async () => {
    parser = new UploadParser(testConfig({ uploadMaxRows: 10 }));
    const error = await parser.document({ bytes: csv(20), name: 'annex.csv' }, '2026-06-01').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).messageEn).toMatch(/beyond the 10-row limit/);
  });
});
