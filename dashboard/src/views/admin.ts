/**
 * The administrator's page: agencies and their tokens (a token is shown once,
 * right after it is made), a tracker from a document (annex workbook, Word letter,
 * PDF…: the tasks found are shown first, a person unticks what is not a task, then
 * confirms), and a tracker workbook an agency sent back by e-mail merged on its behalf.
 */
import type { AgencyRecord, IssuedToken, SubmissionResult, TokenRecord, TrackerSummary } from '../api';
import type { PreviewAnswer } from '../../../shared/api';
import { DOCUMENT_EXTENSIONS } from '../../../shared/document';
import type { Task } from '../../../shared/schemas';
import { h, uid } from '../dom';
import { formatDay, formatMoment, t } from '../i18n';
import { dataTable } from './table';

export type Preview = PreviewAnswer;

export interface AdminProps {
  agencies: readonly AgencyRecord[];
  trackerId: string | null;
  createAgency: (name: string) => Promise<AgencyRecord & { token: string }>;
  tokens: (agencyId: string) => Promise<TokenRecord[]>;
  /** A new token for the agency; every older one is revoked. */
  rotateToken: (agencyId: string) => Promise<IssuedToken>;
  revokeToken: (agencyId: string, tokenId: string) => Promise<TokenRecord>;
  /** The tasks a document yields, nothing created (POST /api/trackers/preview). */
  previewTracker: (form: FormData) => Promise<Preview>;
  /** The tracker of the tasks the person kept (POST /api/trackers, JSON). */
  createTracker: (body: { title: string; tasks: Task[] }) => Promise<TrackerSummary & { tasks: unknown[] }>;
  submitWorkbook: (agencyId: string, form: FormData) => Promise<SubmissionResult>;
  /** Says something in the page's status line (aria-live). */
  announce: (message: string) => void;
  /** Shows an error in the alert line. */
  fail: (error: unknown) => void;
}

function field(label: string, control: HTMLInputElement | HTMLSelectElement): HTMLElement {
  control.id ||= uid('field');
  return h('div', { className: 'field' }, h('label', { for: control.id }, label), control);
}

/** Runs the form's action with its submit button disabled meanwhile. */
function onSubmit(form: HTMLFormElement, action: () => Promise<void>, fail: (e: unknown) => void): void {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const submit = form.querySelector<HTMLButtonElement>('button[type=submit]');
    if (submit) submit.disabled = true;
    action()
      .catch(fail)
      .finally(() => {
        if (submit) submit.disabled = false;
      });
  });
}

/** A new token, shown once, selected and with a copy button. */
function tokenBox(box: HTMLElement, name: string, secret: string, announce: (message: string) => void): void {
  const tokenId = uid('token');
  const token = h('input', { id: tokenId, type: 'text', readonly: true, value: secret, className: 'token', spellcheck: 'false' });
  const copy = h('button', { type: 'button', className: 'secondary' }, t('copy'));
  copy.addEventListener('click', () => {
    token.select();
    navigator.clipboard?.writeText(secret).then(
      () => announce(t('copied')),
      () => announce(t('copied')),
    );
  });
  box.replaceChildren(h('label', { for: tokenId }, t('tokenOnce', { name })), h('div', { className: 'token-row' }, token, copy));
  box.hidden = false;
  token.focus();
  token.select();
}

function agencyForm(props: AdminProps): HTMLElement {
  const titleId = uid('create-agency');
  const name = h('input', { type: 'text', required: true, maxlength: 300, autocomplete: 'off' });
  const result = h('div', { className: 'token-box', hidden: true });
  const form = h('form', { className: 'inline-form' }, field(t('agencyName'), name), h('button', { type: 'submit' }, t('createAgencyButton')));
  onSubmit(
    form,
    async () => {
      const created = await props.createAgency(name.value);
      name.value = '';
      props.announce(t('agencyCreated', { name: created.name }));
      tokenBox(result, created.name, created.token, props.announce);
    },
    props.fail,
  );
  return h('section', { className: 'panel', 'aria-labelledby': titleId }, h('h3', { id: titleId }, t('createAgency')), form, result);
}

/**
 * One agency's tokens: when each was made and revoked, a revoke button on
 * each live one, and rotation (a new token, shown once, every older one revoked).
 */
function tokenPanel(props: AdminProps, agency: AgencyRecord): HTMLElement {
  const titleId = uid('tokens');
  const newToken = h('div', { className: 'token-box', hidden: true });
  const list = h('div');
  const draw = async () => {
    const tokens = await props.tokens(agency.id);
    list.replaceChildren(
      dataTable(
        [
          { label: t('createdAt'), cell: (k: TokenRecord) => formatMoment(k.createdAt), className: 'date' },
          { label: t('tokenState'), cell: (k: TokenRecord) => (k.revokedAt ? t('tokenRevokedAt', { at: formatMoment(k.revokedAt) }) : t('tokenActive')) },
          {
            label: t('actions'),
            cell: (k: TokenRecord) => {
              if (k.revokedAt) return '—';
              const revoke = h('button', { type: 'button', className: 'secondary', 'data-token': k.id }, t('revokeToken'));
              revoke.addEventListener('click', () => {
                revoke.disabled = true;
                props
                  .revokeToken(agency.id, k.id)
                  .then(() => {
                    props.announce(t('tokenRevoked', { name: agency.name }));
                    return draw();
                  })
                  .catch(props.fail)
                  .finally(() => (revoke.disabled = false));
              });
              return revoke;
            },
          },
        ],
        tokens,
        { caption: t('tokensOf', { name: agency.name }), page: 50, id: 'token-table' },
      ),
    );
  };
  const rotate = h('button', { type: 'button' }, t('rotateToken'));
  rotate.addEventListener('click', () => {
    rotate.disabled = true;
    props
      .rotateToken(agency.id)
      .then(async (issued) => {
        props.announce(t('tokenRotated', { name: agency.name, n: issued.revoked }));
        tokenBox(newToken, agency.name, issued.token, props.announce);
        await draw();
      })
      .catch(props.fail)
      .finally(() => (rotate.disabled = false));
  });
  draw().catch(props.fail);
  return h(
    'section',
    { className: 'panel', 'aria-labelledby': titleId, id: 'token-panel' },
    h('h3', { id: titleId }, t('tokensOf', { name: agency.name })),
    h('p', {}, t('rotateHelp')),
    rotate,
    newToken,
    list,
  );
}

function trackerForm(props: AdminProps): HTMLElement {
  const titleId = uid('create-tracker');
  const types = DOCUMENT_EXTENSIONS.join(', ');
  const file = h('input', { type: 'file', required: true, accept: DOCUMENT_EXTENSIONS.join(',') });
  const title = h('input', { type: 'text', maxlength: 1000 });
  const preview = h('div', { className: 'preview', hidden: true });
  const form = h(
    'form',
    { className: 'stack-form' },
    field(t('documentFile', { types }), file),
    field(t('trackerTitle'), title),
    h('button', { type: 'submit' }, t('previewButton')),
  );
  // A new file or title makes the shown preview stale.
  file.addEventListener('change', () => {
    preview.hidden = true;
    preview.replaceChildren();
  });
  onSubmit(
    form,
    async () => {
      const chosen = file.files?.[0];
      if (!chosen) return props.announce(t('chooseFile'));
      const data = new FormData();
      data.append('file', chosen, chosen.name);
      const found = await props.previewTracker(data);
      preview.replaceChildren(...previewContent(found, () => title.value.trim() || found.title || found.name, props));
      preview.hidden = false;
      props.announce(t('previewFound', { n: found.tasks.length, name: found.name }));
    },
    props.fail,
  );
  return h('section', { className: 'panel', 'aria-labelledby': titleId }, h('h3', { id: titleId }, t('createTracker')), form, preview);
}

/** The deadline as the core read it: the due day, or what kind of deadline it is and why there is no day. */
function deadlineRead(task: Task): string {
  const d = task.deadline;
  if (d.due) return formatDay(d.due);
  return d.reason ? `${d.kind}: ${d.reason}` : d.kind;
}

/** The tasks found (each with a box to leave it out), the diagnostics, and the button that creates the tracker. */
function previewContent(found: Preview, title: () => string, props: AdminProps): HTMLElement[] {
  const kept = new Set(found.tasks.map((task) => task.id));
  const confirm = h('button', { type: 'button' }, t('confirmTracker', { n: kept.size }));
  const include = (task: Task) => {
    const box = h('input', { type: 'checkbox', checked: true, 'aria-label': t('includeTask', { stt: task.stt || '—' }) });
    box.addEventListener('change', () => {
      if (box.checked) kept.add(task.id);
      else kept.delete(task.id);
      confirm.textContent = t('confirmTracker', { n: kept.size });
      confirm.disabled = kept.size === 0;
    });
    return box;
  };
  const tasks = dataTable(
    [
      { label: t('include'), cell: include },
      { label: t('stt'), cell: (task: Task) => task.stt },
      { label: t('taskText'), cell: (task: Task) => task.task },
      { label: t('leadAgency'), cell: (task: Task) => [task.leadRaw || '—', task.lead.length > 0 && task.lead.join('; ') !== task.leadRaw ? h('small', {}, ` → ${task.lead.join('; ')}`) : null] },
      { label: t('deadlineWritten'), cell: (task: Task) => task.deadline.raw || '—' },
      { label: t('deadlineRead'), cell: deadlineRead },
    ],
    found.tasks,
    { caption: t('previewCaption', { name: found.name }), page: 500, id: 'preview-table' },
  );
  const diagnostics = h(
    'ul',
    { className: 'diagnostics', id: 'preview-diagnostics' },
    found.diagnostics.map((d) => h('li', { className: d.severity }, `${d.row !== null && d.row !== undefined ? `${t('row')} ${d.row}: ` : ''}${d.message}`)),
  );
  confirm.disabled = kept.size === 0;
  confirm.addEventListener('click', () => {
    confirm.disabled = true;
    props
      .createTracker({ title: title(), tasks: found.tasks.filter((task) => kept.has(task.id)) })
      .then((created) => props.announce(t('trackerCreated', { title: created.title, n: created.tasks.length })))
      .catch(props.fail)
      .finally(() => {
        confirm.disabled = false;
      });
  });
  return [
    h('p', { className: 'preview-summary' }, t('previewFound', { n: found.tasks.length, name: found.name })),
    tasks,
    found.diagnostics.length > 0 ? h('h4', {}, t('diagnosticsTitle', { n: found.diagnostics.length })) : h('span'),
    diagnostics,
    confirm,
  ];
}

function submissionForm(props: AdminProps): HTMLElement | null {
  if (!props.trackerId || props.agencies.length === 0) return null;
  const titleId = uid('submit');
  const agency = h(
    'select',
    { required: true },
    props.agencies.map((a) => h('option', { value: a.id }, a.name)),
  );
  const file = h('input', { type: 'file', required: true, accept: '.xlsx' });
  const outcome = h('p', { className: 'outcome' });
  const form = h('form', { className: 'stack-form' }, field(t('onBehalfOf'), agency), field(t('workbookFile'), file), h('button', { type: 'submit' }, t('send')));
  onSubmit(
    form,
    async () => {
      const chosen = file.files?.[0];
      if (!chosen) return props.announce(t('chooseFile'));
      const data = new FormData();
      data.append('file', chosen, chosen.name);
      const r = await props.submitWorkbook(agency.value, data);
      const message = t('submitted', { applied: r.applied.length, conflicts: r.conflicts.length, rejected: r.rejected.length, unmatched: r.unmatched.length });
      outcome.textContent = message;
      props.announce(message);
    },
    props.fail,
  );
  return h('section', { className: 'panel', 'aria-labelledby': titleId }, h('h3', { id: titleId }, t('submitWorkbook')), form, outcome);
}

function agencyList(agencies: readonly AgencyRecord[], manage: (agency: AgencyRecord) => void): HTMLElement {
  const listId = uid('agencies');
  return h(
    'section',
    { className: 'panel', 'aria-labelledby': listId },
    h('h3', { id: listId }, `${t('agenciesTitle')} (${agencies.length})`),
    dataTable(
      [
        { label: t('agencyName'), cell: (a: AgencyRecord) => a.name },
        { label: t('registryId'), cell: (a: AgencyRecord) => a.registryId ?? '—' },
        { label: t('createdAt'), cell: (a: AgencyRecord) => formatMoment(a.createdAt), className: 'date' },
        {
          label: t('token'),
          cell: (a: AgencyRecord) => {
            const button = h('button', { type: 'button', className: 'secondary', 'data-agency': a.id }, t('manageTokens'));
            button.addEventListener('click', () => manage(a));
            return button;
          },
        },
      ],
      agencies,
      { caption: t('agenciesTitle'), page: 200, id: 'agency-table' },
    ),
  );
}

export function adminPage(props: AdminProps): HTMLElement {
  let agencies = props.agencies;
  let tokens: HTMLElement = h('div', { hidden: true });
  const manage = (agency: AgencyRecord) => {
    const next = tokenPanel(props, agency);
    tokens.replaceWith(next);
    tokens = next;
  };
  let list = agencyList(agencies, manage);
  // The list follows each new agency without redrawing the form that shows its token.
  const createAgency = async (name: string) => {
    const created = await props.createAgency(name);
    if (!agencies.some((a) => a.id === created.id)) {
      agencies = [...agencies, { id: created.id, name: created.name, registryId: created.registryId, kind: created.kind, createdAt: created.createdAt }];
    }
    const next = agencyList(agencies, manage);
    list.replaceWith(next);
    list = next;
    return created;
  };
  return h(
    'div',
    { className: 'admin' },
    h('h2', { id: 'content-title', tabindex: -1 }, t('adminTitle')),
    h('div', { className: 'admin-grid' }, agencyForm({ ...props, createAgency }), trackerForm(props), submissionForm(props)),
    list,
    tokens,
  );
}
