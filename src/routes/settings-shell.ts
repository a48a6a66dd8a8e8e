// The settings page's HTML: a shell with no data in it (the script fills it in
// from GET /admin/installs with the admin token the reader types), so it needs
// no token to load. Same look as the digest page: system fonts, light cards.
import { createHash } from 'node:crypto';
import { html, trusted } from '../digest/html.js';

const CSS = `
:root{--ink:#1c2433;--muted:#5d6678;--line:#e3e7ee;--bg:#f6f7fb;--card:#fff;--accent:#2f6fde;--good:#1f8a5b;--bad:#c2412d;--warn:#b45309}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;font-variant-numeric:tabular-nums}
.nav{display:flex;align-items:center;justify-content:space-between;gap:12px;max-width:1200px;margin:0 auto;padding:14px 20px;font-size:14px;color:var(--muted)}
.nav .brand{font-weight:700;color:var(--ink);letter-spacing:.02em}
main{max-width:1200px;margin:0 auto;padding:0 20px 40px}
section{background:var(--card);border:1px solid var(--line);border-radius:14px;padding:20px 24px;margin-bottom:20px}
h1{margin:0 0 4px;font-size:24px;line-height:1.2}
h2{font-size:18px;margin:0 0 4px}
.note{color:var(--muted);margin:0 0 14px;font-size:14px}
label{display:block;font-weight:600;font-size:14px;margin-bottom:4px}
label small{font-weight:400;color:var(--muted)}
input{font:inherit;padding:7px 10px;border:1px solid #c9d0db;border-radius:8px;min-width:16rem;max-width:100%}
button{font:inherit;font-size:14px;padding:7px 14px;border-radius:8px;border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer}
button.quiet{background:var(--card);color:var(--accent)}
button.danger{background:var(--card);color:var(--bad);border-color:#efc2ba}
button:disabled{opacity:.55;cursor:progress}
button:focus-visible,input:focus-visible{outline:3px solid #9dbcf3;outline-offset:1px}
.row{display:flex;flex-wrap:wrap;gap:10px;align-items:flex-end}
.message{margin:12px 0 0;padding:8px 12px;border-radius:8px;border:1px solid var(--line);font-size:14px}
.message.error{color:var(--bad);border-color:#efc2ba;background:#fdf3f1}
.message.info{color:var(--ink);background:#f1f5fd;border-color:#cddcf7}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;padding:8px 10px;border-bottom:1px solid var(--line);vertical-align:top}
thead th{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);font-weight:600}
tbody th{font-weight:600}
time{white-space:nowrap}
.pill{display:inline-block;padding:1px 8px;border-radius:999px;font-size:12px;border:1px solid var(--line);white-space:nowrap}
.pill.active{color:var(--good);border-color:#a9dcc4}.pill.needs_reauth{color:var(--warn);border-color:#f1d19b}.pill.revoked{color:var(--bad);border-color:#efc2ba}
.status{min-width:10rem}
.reason,.secondary{display:block;color:var(--muted);font-size:13px}
.passed{color:var(--bad)}
.actions{display:flex;gap:8px;flex-wrap:wrap}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
[hidden]{display:none!important}
`;

/** The hash that lets the browser apply the inline stylesheet under a strict Content-Security-Policy. */
export const SETTINGS_STYLE_HASH = `'sha256-${createHash('sha256').update(CSS).digest('base64')}'`;

/** "linear" → "Linear": tracker ids as people write them. */
const label = (tracker: string): string => tracker.charAt(0).toUpperCase() + tracker.slice(1);

export function settingsShell(trackers: readonly string[]): string {
  return String(html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Cascade settings</title><meta name="referrer" content="no-referrer">
<style>${trusted(CSS)}</style>
<script src="/settings.js" defer></script></head>
<body>
<header class="nav"><span class="brand">Cascade · Settings</span><button id="sign-out" class="quiet" type="button" hidden>Sign out</button></header>
<main>
<noscript><section><p>This page needs JavaScript: the installations are read with your admin token, from this browser.</p></section></noscript>
<section id="sign-in" aria-labelledby="sign-in-title" hidden>
<h1 id="sign-in-title">Sign in</h1>
<p class="note">The settings need one of Cascade's admin tokens (<code>ADMIN_TOKEN</code>). It is kept for this browser session only, never in a link, and sent in the Authorization header.</p>
<form id="sign-in-form" method="post" class="row" novalidate>
<div><label for="admin-token">Admin token</label><input id="admin-token" type="password" autocomplete="current-password" spellcheck="false" aria-describedby="sign-in-message"></div>
<button type="submit">Sign in</button>
</form>
<p id="sign-in-message" class="message error" role="alert" hidden></p>
</section>
<section id="installs" aria-labelledby="installs-title" hidden>
<h1 id="installs-title">Installations</h1>
<p class="note">Workspaces where Cascade is installed as an app, with when their token and webhook end.</p>
<p id="list-message" class="message" role="status" hidden></p>
<div class="table-wrap"><table id="install-table" hidden>
<caption class="visually-hidden">Installations of Cascade</caption>
<thead><tr><th scope="col">Tracker</th><th scope="col">Workspace</th><th scope="col">Tenant</th><th scope="col">Status</th><th scope="col">Token expires</th><th scope="col">Webhook expires</th><th scope="col">Installed</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
<tbody id="install-rows"></tbody>
</table></div>
<p><button id="reload" class="quiet" type="button">Reload the list</button></p>
</section>
<section id="connect" aria-labelledby="connect-title" hidden>
<h2 id="connect-title">Connect a workspace</h2>
<p class="note">Opens the tracker's consent page; after the consent the tracker sends you back here through Cascade.</p>
<form id="connect-form" method="post" class="row" novalidate>
<div><label for="tenant">Tenant <small>(optional, default <code>default</code>)</small></label><input id="tenant" type="text" autocomplete="off" spellcheck="false" placeholder="default" aria-describedby="connect-message"></div>
${trackers.map((t) => html`<button type="submit" data-tracker="${t}">Connect ${label(t)}</button>`)}
</form>
<p id="connect-message" class="message error" role="alert" hidden></p>
</section>
</main>
</body></html>`);
}
