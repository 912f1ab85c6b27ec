/**
 * The process that reads uploaded files (server/upload-parser.ts forks it): a
 * large or hostile workbook costs this process's time and heap (bounded by
 * PARSE_MEMORY), never the event loop that answers other requests.
 */
import { readDocument } from '../io/read-document';
import type { ReadOptions } from '../io/read-grid';
import { readTrackerWorkbook } from '../io/tracker-workbook';
import { recognizeDocumentTasks } from '../shared/document-tasks';
import { InputError } from '../shared/errors';
import type { IsoDate } from '../shared/schemas';
import { loadRegistry } from './registry';

export type ParseJob =
  | { id: number; kind: 'document'; bytes: Uint8Array; name: string; limits: ReadOptions; asOf: IsoDate }
  | { id: number; kind: 'tracker'; bytes: Uint8Array; name: string; limits: ReadOptions };

/** An InputError as it crosses the process boundary (structured clone keeps no class). */
export interface ParseFailure {
  message: string;
  messageEn: string;
  code: string;
  where: InputError['where'];
}

export type ParseReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; input: ParseFailure | null; message: string };

// The parent's one argument: the office's registry file (AGENCIES_FILE), empty for none.
const registry = loadRegistry(process.argv[2] || null);

async function run(job: ParseJob): Promise<unknown> {
  if (job.kind === 'tracker') return readTrackerWorkbook(job.bytes, job.limits);
  // Any document: a workbook's annex, a letter's prose, a Word or PDF file's tables and paragraphs.
  const document = await readDocument(job.bytes, job.name, job.limits);
  const found = recognizeDocumentTasks(document, { asOf: job.asOf, registry });
  return { name: document.name, format: document.format, title: found.title, tasks: found.tasks, diagnostics: found.diagnostics, proseTasks: found.proseTasks };
}

if (process.send) {
  const reply = (message: ParseReply) => process.send!(message);
  process.on('message', (job: ParseJob) => {
    run(job).then(
      (value) => reply({ id: job.id, ok: true, value }),
      (err: unknown) => {
        const input = err instanceof InputError ? { message: err.message, messageEn: err.messageEn, code: err.code, where: err.where } : null;
        reply({ id: job.id, ok: false, input, message: String((err as Error)?.stack ?? err) });
      },
    );
  });
  // The parent gone, nothing is left to read for.
  process.on('disconnect', () => process.exit(0));
}
