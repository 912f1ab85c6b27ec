/** Signing in: the token an agency was given, kept for this browser tab only (sessionStorage). */
import { h } from '../dom';
import { t } from '../i18n';

export function signInForm(message: string | null, onSubmit: (token: string) => void): HTMLElement {
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true, 'aria-describedby': 'token-help' });
  const error = h('p', { id: 'sign-in-error', className: 'error', role: 'alert' }, message ?? '');
  const form = h(
    'form',
    { className: 'sign-in panel', 'aria-labelledby': 'sign-in-title' },
    h('h2', { id: 'sign-in-title' }, t('signIn')),
    h('p', { id: 'token-help', className: 'note' }, t('signInHelp')),
    h('div', { className: 'field' }, h('label', { for: 'token' }, t('token')), input),
    error,
    h('button', { type: 'submit' }, t('signIn')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) {
      error.textContent = t('tokenMissing');
      input.focus();
      return;
    }
    onSubmit(token);
  });
  return form;
}
