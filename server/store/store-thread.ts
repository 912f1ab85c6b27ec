/**
 * The store's thread (see threaded-store.ts): opens the store, then runs each call it is sent and
 * answers with the value or the error. Calls run concurrently, as on the main thread: syncs that
 * arrive together share a group commit.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadRegistry } from '../registry';
import { openStore } from './kysely-store';
import type { Store } from './store';
import { serializeError, type StoreAnswer, type StoreCall, type StoreThreadData } from './threaded-store';

const { target, options } = workerData as StoreThreadData;
const port = parentPort;
if (!port) throw new Error('store-thread.ts runs as a worker thread');

const opened: Promise<Store> = (async () =>
  openStore(target, {
    registry: loadRegistry(options.agenciesFile ?? null),
    poolSize: options.poolSize,
    groupCommit: options.groupCommit,
    statementCache: options.statementCache,
  }))();
// Reported as the answer to each call; not an unhandled rejection meanwhile.
opened.catch(() => undefined);

port.on('message', ({ id, method, args }: StoreCall) => {
  void (async () => {
    let answer: StoreAnswer;
    try {
      const store = await opened;
      const fn = store[method] as (...a: unknown[]) => Promise<unknown>;
      answer = { id, value: await fn.apply(store, args) };
    } catch (err) {
      answer = { id, error: serializeError(err) };
    }
    port.postMessage(answer);
  })();
});
