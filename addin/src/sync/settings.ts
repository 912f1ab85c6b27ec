/**
 * The service address, token and chosen tracker, kept in localStorage on this
 * computer: a workbook is mailed around, so nothing secret goes into it.
 */
import type { KeyValueStore } from './client';

export interface SyncSettings {
  baseUrl: string;
  token: string;
  trackerId: string | null;
}

const KEY = 'annexTracker.settings';

export function loadSettings(storage: KeyValueStore, defaultBaseUrl: string): SyncSettings {
  try {
    const saved = JSON.parse(storage.getItem(KEY) ?? 'null') as Partial<SyncSettings> | null;
    return {
      baseUrl: saved?.baseUrl || defaultBaseUrl,
      token: saved?.token ?? '',
      trackerId: saved?.trackerId ?? null,
    };
  } catch {
    return { baseUrl: defaultBaseUrl, token: '', trackerId: null };
  }
}

export function saveSettings(storage: KeyValueStore, settings: SyncSettings): void {
  storage.setItem(KEY, JSON.stringify({ baseUrl: settings.baseUrl.trim().replace(/\/+$/, ''), token: settings.token.trim(), trackerId: settings.trackerId }));
}
