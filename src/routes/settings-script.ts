// The settings page's script, served as /settings.js (the page's
// Content-Security-Policy allows scripts from Cascade itself only, none inline).
// It asks for the admin token once, keeps it in sessionStorage (this browser
// session only: never in a link, never in localStorage), and calls the admin
// API with it in the Authorization header. Whatever the API answers is put on
// the page with textContent, never as markup, so a workspace called
// `<img src=x onerror=...>` is shown as those characters.
//
// Plain JavaScript in a string, so the same bytes are served from the built
// product and from the tests; test/integration/settings-page.test.ts runs it
// in Chromium. (No backticks in it: it lives inside a template literal.)
export const SETTINGS_SCRIPT = String.raw`'use strict';
(() => {
  const KEY = 'cascade.settings.adminToken';
  const TIMEOUT_MS = 15000;
  const TENANT = /^[a-z0-9][a-z0-9-]{0,39}$/;
  const STATUS = { active: 'Active', needs_reauth: 'Needs reauth', revoked: 'Revoked' };
  const byId = (id) => document.getElementById(id);
  const els = {
    signIn: byId('sign-in'), signInForm: byId('sign-in-form'), token: byId('admin-token'), signInMessage: byId('sign-in-message'),
    signOut: byId('sign-out'), installs: byId('installs'), listMessage: byId('list-message'), table: byId('install-table'),
    rows: byId('install-rows'), reload: byId('reload'), connect: byId('connect'), connectForm: byId('connect-form'),
    tenant: byId('tenant'), connectMessage: byId('connect-message'),
  };

  const storedToken = () => { try { return sessionStorage.getItem(KEY); } catch { return null; } };
  const keepToken = (token) => { try { sessionStorage.setItem(KEY, token); } catch { /* private mode: asked again next time */ } };
  const forgetToken = () => { try { sessionStorage.removeItem(KEY); } catch { /* nothing kept */ } };
  const label = (tracker) => String(tracker).charAt(0).toUpperCase() + String(tracker).slice(1);
  const nameOf = (item) => String(item.workspace && item.workspace.name);
  const byTrackerAndName = (a, b) => String(a.tracker).localeCompare(String(b.tracker)) || nameOf(a).localeCompare(nameOf(b));

  function say(element, text, kind) {
    element.textContent = text || '';
    element.hidden = !text;
    element.className = 'message ' + (kind || 'error');
  }

  function make(tag, text, className) {
    const element = document.createElement(tag);
    if (text !== undefined) element.textContent = text;
    if (className) element.className = className;
    return element;
  }

  /** One admin API call; never throws: { ok, status, data, message, code } (status 0: Cascade not reached). */
  async function call(method, path, body) {
    const headers = { accept: 'application/json', authorization: 'Bearer ' + (storedToken() || '') };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response;
    try {
      response = await fetch(path, {
        method, headers, body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store', credentials: 'omit', redirect: 'error', signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      const late = error && error.name === 'TimeoutError';
      return { ok: false, status: 0, message: late ? 'Cascade did not answer within ' + TIMEOUT_MS / 1000 + ' seconds. Try again in a moment.' : 'Cascade could not be reached (a network error). Check the connection and try again.' };
    }
    let data = null;
    try { data = await response.json(); } catch { data = null; }
    if (response.ok) return { ok: true, status: response.status, data };
    const given = data && typeof data.message === 'string' ? data.message : '';
    const code = data && typeof data.error === 'string' ? data.error : '';
    let message = given || 'Cascade answered ' + response.status + '.';
    if (response.status === 429) message = 'Too many tries with a wrong token from this address: wait a minute, then try again.';
    if (response.status === 404 && code === 'NOT_FOUND') message = 'This Cascade keeps no installations: start it with CASCADE_SECRET_KEY set (see the README, "Settings page").';
    return { ok: false, status: response.status, data, message, code };
  }

  function askForToken(message, kind) {
    forgetToken();
    els.signOut.hidden = true;
    els.installs.hidden = true;
    els.connect.hidden = true;
    els.signIn.hidden = false;
    say(els.signInMessage, message, kind);
    els.token.value = '';
    els.token.focus();
  }

  const refused = () => askForToken('The admin token was refused (it may have changed): enter it again.');

  function signedIn() {
    els.signIn.hidden = true;
    say(els.signInMessage, '');
    els.signOut.hidden = false;
    els.installs.hidden = false;
    els.connect.hidden = false;
  }

  /** A date as the reader's locale writes it; an end date already past is marked so. */
  function when(iso, none, isEnd) {
    if (!iso) return make('span', none, 'secondary');
    const at = new Date(iso);
    if (Number.isNaN(at.getTime())) return make('span', String(iso));
    const time = make('time', at.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }));
    time.dateTime = at.toISOString();
    time.title = at.toISOString();
    if (!isEnd || at.getTime() >= Date.now()) return time;
    const passed = make('span', '', 'passed');
    passed.append(time, ' (passed)');
    return passed;
  }

  function cell(row, ...content) {
    const td = document.createElement('td');
    td.append(...content);
    row.append(td);
    return td;
  }

  function rowOf(item) {
    const row = document.createElement('tr');
    row.dataset.installation = String(item.id);
    const name = nameOf(item);
    const header = make('th', label(item.tracker));
    header.scope = 'row';
    row.append(header);
    cell(row, make('span', name, 'workspace-name'));
    cell(row, String(item.tenant));
    const status = cell(row, make('span', STATUS[item.status] || String(item.status), 'pill ' + (STATUS[item.status] ? item.status : '')));
    status.className = 'status';
    if (item.statusReason) status.append(make('span', String(item.statusReason), 'reason'));
    const token = cell(row, item.status === 'revoked' ? make('span', '—', 'secondary') : when(item.expiresAt, 'no expiry', true));
    if (item.refreshChainEndsAt && item.status !== 'revoked') {
      const chain = make('span', 'refresh ends ', 'secondary');
      chain.append(when(item.refreshChainEndsAt, '', true));
      token.append(chain);
    }
    cell(row, item.webhook ? when(item.webhook.expiresAt, 'no expiry', true) : make('span', '—', 'secondary'));
    cell(row, when(item.installedAt, '—'));
    const actions = make('div', undefined, 'actions');
    cell(row, actions);
    if (item.status === 'needs_reauth') {
      const again = make('button', 'Reconnect', 'quiet');
      again.type = 'button';
      again.setAttribute('aria-label', 'Reconnect ' + name);
      again.addEventListener('click', () => connect(item.tracker, String(item.tenant), again, els.listMessage));
      actions.append(again);
    }
    if (item.status !== 'revoked') {
      const off = make('button', 'Disconnect', 'danger');
      off.type = 'button';
      off.setAttribute('aria-label', 'Disconnect ' + name);
      off.addEventListener('click', () => disconnect(item, name, off));
      actions.append(off);
    }
    return row;
  }

  function render(answer, notice) {
    if (answer.status === 401) return refused();
    if (!answer.ok) {
      els.table.hidden = true;
      return say(els.listMessage, answer.message, 'error');
    }
    const items = (Array.isArray(answer.data) ? answer.data : []).slice().sort(byTrackerAndName);
    els.rows.replaceChildren(...items.map(rowOf));
    els.table.hidden = items.length === 0;
    if (items.length === 0) return say(els.listMessage, (notice ? notice + ' ' : '') + 'No installations yet: connect a workspace below.', 'info');
    say(els.listMessage, notice || '', 'info');
  }

  async function refresh(notice) {
    els.reload.disabled = true;
    try {
      render(await call('GET', '/admin/installs'), notice);
    } finally {
      els.reload.disabled = false;
    }
  }

  async function disconnect(item, name, button) {
    const question = 'Disconnect Cascade from the ' + label(item.tracker) + ' workspace "' + name + '"?\n\nCascade stops reading and writing there and its token is revoked.';
    if (!window.confirm(question)) return;
    button.disabled = true;
    const answer = await call('DELETE', '/admin/installs/' + encodeURIComponent(item.id));
    if (answer.status === 401) return refused();
    if (!answer.ok) {
      button.disabled = false;
      return say(els.listMessage, 'Could not disconnect "' + name + '": ' + answer.message, 'error');
    }
    await refresh('Disconnected "' + name + '".');
  }

  async function connect(tracker, tenant, button, where) {
    say(where, '');
    if (tenant && !TENANT.test(tenant)) return say(where, 'A tenant id is up to 40 lowercase letters, digits and dashes, starting with a letter or digit.', 'error');
    button.disabled = true;
    const answer = await call('POST', '/admin/installs/' + encodeURIComponent(tracker), tenant ? { tenant } : {});
    button.disabled = false;
    if (answer.status === 401) return refused();
    if (!answer.ok) return say(where, 'Could not connect ' + label(tracker) + ': ' + answer.message, 'error');
    let target = null;
    try { target = new URL(answer.data && answer.data.authorizeUrl); } catch { target = null; }
    if (!target || (target.protocol !== 'https:' && target.protocol !== 'http:')) return say(where, 'Cascade answered an authorize URL this page will not open.', 'error');
    say(where, 'Opening ' + label(tracker) + '\u2019s consent page…', 'info');
    window.location.assign(target.href);
  }

  els.signInForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const token = els.token.value.trim();
    if (!token) return say(els.signInMessage, 'Enter an admin token.', 'error');
    // A header carries printable ASCII only; anything else is not a token (and fetch would refuse to send it).
    if (!/^[\x21-\x7e]+$/.test(token)) return say(els.signInMessage, 'An admin token has no spaces or accents: check what was pasted.', 'error');
    const button = els.signInForm.querySelector('button');
    button.disabled = true;
    keepToken(token);
    const answer = await call('GET', '/admin/installs');
    button.disabled = false;
    if (answer.status === 401) return askForToken('That admin token was refused. Check it and try again.');
    if (answer.status === 0 || answer.status === 429) {
      forgetToken();
      return say(els.signInMessage, answer.message, 'error');
    }
    els.token.value = '';
    signedIn();
    render(answer);
  });

  els.connectForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const button = event.submitter;
    if (button && button.dataset.tracker) connect(button.dataset.tracker, els.tenant.value.trim(), button, els.connectMessage);
  });
  els.signOut.addEventListener('click', () => askForToken('Signed out: this browser no longer keeps the token.', 'info'));
  els.reload.addEventListener('click', () => refresh());

  if (storedToken()) {
    signedIn();
    refresh();
  } else {
    askForToken('');
  }
})();
`;
