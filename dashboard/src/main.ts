/**
 * The DoST dashboard: sign in with a token, load a tracker's classified tasks
 * and its report for a reporting date, and draw the page the query string
 * describes. State lives in the URL (filters) and sessionStorage (token);
 * everything else is fetched again when it changes.
 *
 * Rendering is timed with performance marks (bench/dashboard.bench.ts reads
 * `dashboard:render`).
 */
import { Api, ServiceError, type AgencyRecord, type ChangeRecord, type ConflictRecord, type Me, type SubmissionResult, type TrackerSummary } from './api';
import { h, replace } from './dom';
import { getLang, setLang, t, type Lang } from './i18n';
import { compute, prepare, type Prepared } from './model';
import { readFilters, writeFilters, type Filters, type View } from './url';
import { adminPage, type Preview } from './views/admin';
import { conflictList, type Resolution } from './views/conflicts';
import { overview } from './views/overview';
import { filterBar, header, pageLinks } from './views/shell';
import { signInForm } from './views/signin';
import { taskList } from './views/tasks';

const TOKEN_KEY = 'annex-tracker.token';
const LANG_KEY = 'annex-tracker.lang';

interface Session {
  api: Api;
  me: Me;
}

/** What a person reads for an error, in the page's language. */
function messageOf(error: unknown): string {
  if (error instanceof ServiceError) return getLang() === 'vi' ? error.message : error.messageEn;
  return error instanceof Error ? error.message : String(error);
}

class Dashboard {
  private session: Session | null = null;
  private trackers: TrackerSummary[] = [];
  private data: Prepared | null = null;
  /** tracker|asOf of the data held. */
  private loadedKey: string | null = null;
  private conflicts: ConflictRecord[] = [];
  private agencies: AgencyRecord[] = [];
  private histories = new Map<string, Promise<ChangeRecord[]>>();
  private filters: Filters = readFilters(location.search);
  private signInMessage: string | null = null;
  private readonly status = h('p', { id: 'status', className: 'status', role: 'status', 'aria-live': 'polite' });
  private readonly alert = h('p', { id: 'alert', className: 'error', role: 'alert' });
  private readonly content = h('div', { id: 'content' });
  private nav: HTMLElement | null = null;
  /** Tasks that passed the filters in the last drawing (null: a page without tasks). */
  private shown: number | null = null;
  /** The filter panel's state; until toggled, open on wide screens and closed on phones. */
  private filtersOpen: boolean | null = null;

  constructor(private readonly root: HTMLElement) {}

  async start(): Promise<void> {
    setLang(localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'vi');
    window.addEventListener('popstate', () => {
      this.filters = readFilters(location.search);
      if (this.session) void this.reload();
    });
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) await this.signIn(token, false);
    else this.renderSignIn();
  }

  // ------------------------------------------------------------ session

  private renderSignIn(): void {
    replace(
      this.root,
      h('a', { className: 'skip-link', href: '#main' }, t('skip')),
      header(null, { onLanguage: () => this.switchLanguage() }),
      h('main', { id: 'main', tabindex: -1 }, signInForm(this.signInMessage, (token) => void this.signIn(token, true))),
    );
  }

  /** fromForm: a person just typed the token, so focus moves to what they asked for. */
  private async signIn(token: string, fromForm: boolean): Promise<void> {
    const api = new Api(token);
    try {
      this.session = { api, me: await api.me() };
    } catch (error) {
      sessionStorage.removeItem(TOKEN_KEY);
      // A person reads this: say what to do, not the header an API client sends.
      this.signInMessage = error instanceof ServiceError && error.status === 401 ? t('badToken') : messageOf(error);
      this.renderSignIn();
      document.getElementById('token')?.focus();
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, token);
    this.signInMessage = null;
    await this.reload({ force: true });
    if (fromForm) document.getElementById('content-title')?.focus();
  }

  private signOut(message: string | null = null): void {
    sessionStorage.removeItem(TOKEN_KEY);
    this.session = null;
    this.data = null;
    this.loadedKey = null;
    this.trackers = [];
    this.conflicts = [];
    this.agencies = [];
    this.histories.clear();
    this.signInMessage = message;
    this.renderSignIn();
    document.getElementById('token')?.focus();
  }

  private switchLanguage(): void {
    const next: Lang = getLang() === 'vi' ? 'en' : 'vi';
    setLang(next);
    localStorage.setItem(LANG_KEY, next);
    this.announce('');
    if (this.session) this.renderShell();
    else this.renderSignIn();
    document.getElementById('lang-switch')?.focus();
  }

  private get isAdmin(): boolean {
    return this.session?.me.role === 'admin';
  }

  // ------------------------------------------------------------ data

  /** Fetches what the filters need that is not held yet (everything with force), then draws. */
  private async reload(options: { force?: boolean } = {}): Promise<void> {
    const session = this.session;
    if (!session) return;
    this.announce(t('loading'));
    try {
      if (options.force || this.trackers.length === 0) this.trackers = await session.api.trackers();
      if (!this.trackers.some((tr) => tr.id === this.filters.tracker)) {
        // No tracker named (or one that is gone): the newest.
        const newest = [...this.trackers].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
        this.filters = { ...this.filters, tracker: newest?.id ?? null };
        history.replaceState(null, '', writeFilters(this.filters) || location.pathname);
      }
      const tracker = this.filters.tracker;
      const key = `${tracker}|${this.filters.asOf ?? ''}`;
      if (!tracker) {
        this.data = null;
        this.loadedKey = null;
      } else if (options.force || key !== this.loadedKey) {
        const admin = this.isAdmin;
        const [answer, conflicts, agencies] = await Promise.all([
          session.api.dashboard(tracker, this.filters.asOf),
          admin ? session.api.conflicts(tracker) : Promise.resolve([]),
          admin ? session.api.agencies() : Promise.resolve([]),
        ]);
        performance.mark('dashboard:data');
        this.data = prepare(answer);
        performance.measure('dashboard:prepare', 'dashboard:data');
        this.loadedKey = key;
        this.conflicts = conflicts;
        this.agencies = agencies;
        this.histories.clear();
      }
    } catch (error) {
      if (error instanceof ServiceError && error.status === 401) return this.signOut(t('signedOut'));
      this.renderShell();
      this.fail(error);
      return;
    }
    this.renderShell();
    if (!this.data) this.announce(this.trackers.length === 0 ? t('noTrackers') : '');
    else {
      const n = this.data.tasks.length;
      this.announce(this.shown === null || this.shown === n ? t('loaded', { n }) : `${t('loaded', { n })} ${t('showing', { n: this.shown })}`);
    }
  }

  private history(taskId: string): Promise<ChangeRecord[]> {
    const { session, filters } = this;
    if (!session || !filters.tracker) return Promise.resolve([]);
    let found = this.histories.get(taskId);
    if (!found) {
      found = session.api.history(filters.tracker, taskId).then((a) => a.changes);
      this.histories.set(taskId, found);
    }
    return found;
  }

  // ------------------------------------------------------------ state

  private setFilters(patch: Partial<Filters>, options: { typing?: boolean } = {}): void {
    const before = this.filters;
    this.filters = { ...before, ...patch };
    const url = writeFilters(this.filters) || location.pathname;
    // Typing replaces the history entry: Back goes to the previous view, not the previous letter.
    if (options.typing) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
    if (before.tracker !== this.filters.tracker || before.asOf !== this.filters.asOf) {
      void this.reload();
    } else {
      if (options.typing) this.renderContent();
      else this.renderShell();
      if (before.view !== this.filters.view) document.getElementById('content-title')?.focus();
      if (this.shown !== null) this.announce(t('showing', { n: this.shown }));
    }
  }

  private announce(message: string): void {
    this.status.textContent = message;
  }

  private fail(error: unknown): void {
    if (error instanceof ServiceError && error.status === 401) return this.signOut(t('signedOut'));
    this.alert.textContent = messageOf(error);
  }

  // ------------------------------------------------------------ drawing

  /** The whole page; the focused control (by id) keeps its focus. */
  private renderShell(): void {
    const session = this.session;
    if (!session) return;
    const focused = document.activeElement?.id;
    this.alert.textContent = '';
    this.nav = pageLinks(this.filters, this.isAdmin, this.conflicts.length, (view) => this.setFilters({ view }));
    const bar =
      this.filters.view === 'admin'
        ? null
        : filterBar({
            filters: this.filters,
            trackers: this.trackers,
            data: this.data,
            asOf: this.data?.answer.report.asOf ?? this.filters.asOf,
            open: this.filtersOpen ?? window.matchMedia('(min-width: 721px)').matches,
            onToggle: (open) => (this.filtersOpen = open),
            onChange: (patch, options) => this.setFilters(patch, options),
          });
    replace(
      this.root,
      h('a', { className: 'skip-link', href: '#main' }, t('skip')),
      header(session.me, { onLanguage: () => this.switchLanguage(), onSignOut: () => this.signOut() }),
      this.nav,
      h('main', { id: 'main', tabindex: -1 }, bar, this.alert, this.status, this.content),
    );
    this.renderContent();
    if (focused) document.getElementById(focused)?.focus();
  }

  private renderContent(): void {
    const session = this.session;
    if (!session) return;
    performance.mark('dashboard:render-start');
    const view: View = !this.isAdmin && (this.filters.view === 'conflicts' || this.filters.view === 'admin') ? 'overview' : this.filters.view;
    const next = pageLinks(this.filters, this.isAdmin, this.conflicts.length, (v) => this.setFilters({ view: v }));
    this.nav?.replaceWith(next);
    this.nav = next;
    this.shown = null;
    replace(this.content, view === 'admin' ? this.adminView() : this.dataView(view));
    performance.mark('dashboard:render-end');
    performance.measure('dashboard:render', 'dashboard:render-start', 'dashboard:render-end');
  }

  private dataView(view: Exclude<View, 'admin'>): HTMLElement {
    const session = this.session!;
    const data = this.data;
    if (!data) return h('p', { className: 'empty' }, this.isAdmin ? t('noTrackersAdmin') : t('noTrackers'));
    const ownAgencyId = session.me.role === 'agency' ? session.me.agencyId : null;
    if (view === 'conflicts') {
      return conflictList({
        conflicts: this.conflicts,
        tasks: new Map(data.tasks.map((task) => [task.id, task])),
        agencyName: (id) => this.agencies.find((a) => a.id === id)?.name ?? id,
        history: (taskId) => this.history(taskId),
        onResolve: (conflict, resolution) => this.resolve(conflict, resolution),
      });
    }
    const computed = compute(data, this.filters, ownAgencyId);
    this.shown = computed.rows.length;
    if (view === 'tasks') return taskList(computed.rows, ownAgencyId);
    return overview({
      report: data.answer.report,
      view: computed,
      filters: this.filters,
      ownAgencyId,
      onDownload: this.isAdmin ? (kind) => void this.download(kind) : undefined,
    });
  }

  private adminView(): HTMLElement {
    const api = this.session!.api;
    return adminPage({
      agencies: this.agencies,
      trackerId: this.filters.tracker,
      createAgency: async (name) => {
        const created = await api.createAgency(name);
        this.agencies = [...this.agencies.filter((a) => a.id !== created.id), created];
        return created;
      },
      tokens: (agencyId) => api.tokens(agencyId),
      rotateToken: (agencyId) => api.rotateToken(agencyId),
      revokeToken: (agencyId, tokenId) => api.revokeToken(agencyId, tokenId),
      previewTracker: (form) => api.upload<Preview>('/api/trackers/preview', form),
      createTracker: async (body) => {
        const created = await api.post<TrackerSummary & { tasks: unknown[] }>('/api/trackers', body);
        this.filters = { ...this.filters, tracker: created.id, agency: null, section: null, view: 'overview' };
        history.pushState(null, '', writeFilters(this.filters));
        await this.reload({ force: true });
        return created;
      },
      submitWorkbook: async (agencyId, form) => {
        const trackerId = encodeURIComponent(this.filters.tracker ?? '');
        const result = await api.upload<SubmissionResult>(`/api/trackers/${trackerId}/submissions?agency=${encodeURIComponent(agencyId)}`, form);
        // The merged figures and conflicts are fetched again on the next page shown.
        this.loadedKey = null;
        return result;
      },
      announce: (message) => this.announce(message),
      fail: (error) => this.fail(error),
    });
  }

  // ------------------------------------------------------------ actions

  private async download(kind: 'export' | 'report'): Promise<void> {
    const { session, data } = this;
    if (!session || !data) return;
    const report = data.answer.report;
    const file = kind === 'export' ? 'export.xlsx' : 'report.xlsx';
    try {
      const name = await session.api.download(
        `/api/trackers/${encodeURIComponent(report.trackerId)}/${file}?asOf=${report.asOf}&lang=${getLang()}`,
        `${kind}-${report.trackerId}-${report.asOf}.xlsx`,
      );
      this.announce(t('downloaded', { name }));
    } catch (error) {
      this.fail(error);
    }
  }

  private async resolve(conflict: ConflictRecord, resolution: Resolution): Promise<void> {
    const { session, filters } = this;
    if (!session || !filters.tracker) return;
    try {
      await session.api.resolve(filters.tracker, conflict.id, resolution);
    } catch (error) {
      this.fail(error);
      return;
    }
    await this.reload({ force: true });
    this.announce(t('resolved'));
    document.getElementById('content-title')?.focus();
  }
}

const root = document.getElementById('app');
if (root) void new Dashboard(root).start();
