/**
 * The service's API as the page uses it: every request carries the signed-in
 * token as `Authorization: Bearer …`, exactly as the add-in and scripts do, so
 * the page can do nothing the token may not. Answer types are the API's
 * schemas (shared/api.ts); nothing here comes from server/.
 */
import { ServiceError, serviceErrorFrom } from '../../shared/service-error';

/** A refusal from the service, in both languages, or a network failure (status 0). */
export { ServiceError };
import type { ChangeRecord } from '../../shared/schemas';
import type {
  AgencyRecord,
  ConflictRecord,
  DashboardAnswer,
  IssuedToken,
  TaskHistoryAnswer,
  TokenRecord,
  TrackerSummary,
} from '../../shared/api';

export type { DashboardAnswer, ChangeRecord, AgencyRecord, ConflictRecord, IssuedToken, TokenRecord, TrackerSummary, TaskHistoryAnswer };
export type { DashboardTask } from '../../shared/api';
export type { Report } from '../../shared/report';

export interface Me {
  role: 'admin' | 'agency';
  agencyId: string | null;
  name: string;
}

export interface SubmissionResult {
  applied: unknown[];
  conflicts: unknown[];
  rejected: unknown[];
  unmatched: unknown[];
}

/** "attachment; filename="report-x.xlsx"" → "report-x.xlsx". */
export function attachmentName(header: string | null): string | null {
  // The UTF-8 form first: the plain filename="…" beside it is an ASCII stand-in with "_" for each letter with a mark.
  const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(header ?? '');
  if (utf8) return decodeURIComponent(utf8[1]);
  const plain = /filename="?([^";]+)"?/i.exec(header ?? '');
  return plain ? plain[1] : null;
}

export class Api {
  constructor(private readonly token: string) {}

  private async send(method: string, path: string, body?: BodyInit, type?: string): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
    if (type) headers['content-type'] = type;
    let res: Response;
    try {
      res = await fetch(path, { method, headers, body, credentials: 'omit', cache: 'no-store' });
    } catch {
      throw new ServiceError(0, 'network', 'Không kết nối được máy chủ', 'Could not reach the server');
    }
    if (!res.ok) throw serviceErrorFrom(res.status, await res.json().catch(() => null));
    return res;
  }

  async get<T>(path: string): Promise<T> {
    return (await this.send('GET', path)).json() as Promise<T>;
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    return (await this.send('POST', path, JSON.stringify(body), 'application/json')).json() as Promise<T>;
  }

  /** multipart/form-data; the browser sets the boundary. */
  async upload<T>(path: string, form: FormData): Promise<T> {
    return (await this.send('POST', path, form)).json() as Promise<T>;
  }

  /** Fetches a file with the token and saves it through a temporary Blob link. */
  async download(path: string, fallbackName: string): Promise<string> {
    const res = await this.send('GET', path);
    const name = attachmentName(res.headers.get('content-disposition')) ?? fallbackName;
    const url = URL.createObjectURL(await res.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
    // The download has started from the link; the object URL can go once it is read.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    return name;
  }

  me = () => this.get<Me>('/api/me');
  trackers = () => this.get<TrackerSummary[]>('/api/trackers');
  dashboard = (trackerId: string, asOf: string | null) =>
    this.get<DashboardAnswer>(`/api/trackers/${encodeURIComponent(trackerId)}/dashboard${asOf ? `?asOf=${asOf}` : ''}`);
  conflicts = (trackerId: string) => this.get<ConflictRecord[]>(`/api/trackers/${encodeURIComponent(trackerId)}/conflicts?open=true`);
  history = (trackerId: string, taskId: string) =>
    this.get<TaskHistoryAnswer>(`/api/trackers/${encodeURIComponent(trackerId)}/tasks/${encodeURIComponent(taskId)}/history`);
  resolve = (trackerId: string, conflictId: string, body: { choose: 'yours' | 'theirs' } | { value: unknown }) =>
    this.post<ConflictRecord>(`/api/trackers/${encodeURIComponent(trackerId)}/conflicts/${encodeURIComponent(conflictId)}`, body);
  agencies = () => this.get<AgencyRecord[]>('/api/agencies');
  createAgency = (name: string) => this.post<AgencyRecord & { token: string }>('/api/agencies', { name });
  tokens = (agencyId: string) => this.get<TokenRecord[]>(`/api/agencies/${encodeURIComponent(agencyId)}/tokens`);
  rotateToken = (agencyId: string) => this.post<IssuedToken>(`/api/agencies/${encodeURIComponent(agencyId)}/tokens/rotate`, {});
  revokeToken = (agencyId: string, tokenId: string) =>
    this.post<TokenRecord>(`/api/agencies/${encodeURIComponent(agencyId)}/tokens/${encodeURIComponent(tokenId)}/revoke`, {});
}
