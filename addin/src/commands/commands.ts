/// <reference types="office-js" />
/**
 * The ribbon's ExecuteFunction command "Tô màu quá hạn" (manifest FunctionName
 * highlightOverdue): clears the tracker's reporting day so its colours and
 * categories follow today, without opening the pane.
 */
import '../polyfills';
import { setReportDate } from '../excel/adapter';

type CommandEvent = { completed(options?: { allowEvent?: boolean }): void };

export async function highlightOverdue(event: CommandEvent): Promise<void> {
  try {
    await Excel.run(async (context) => {
      await setReportDate(context, null);
    });
  } catch (e) {
    // A command has no surface of its own to speak on; the pane says more when opened.
    console.error('highlightOverdue', e);
  } finally {
    // Office waits for this call before running the next command.
    event.completed();
  }
}

Office.onReady(() => {
  if (Office.actions && typeof Office.actions.associate === 'function') Office.actions.associate('highlightOverdue', highlightOverdue);
});
// Clients older than Office.actions look the function up on the global object.
(window as unknown as Record<string, unknown>).highlightOverdue = highlightOverdue;
