// The page shown while the first digest of the week is being computed: it says
// so and reloads itself (same URL, so a ?token= link keeps working) until the
// digest is there. No script: a meta refresh works under the digest's CSP.
import { html } from './html.js';

export function renderPendingHtml(isoWeek: string, retryAfterSeconds: number): string {
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta http-equiv="refresh" content="${retryAfterSeconds}">
<link rel="icon" href="data:,">
<title>Cascade digest ${isoWeek}: being computed</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem">
<h1>The digest for ${isoWeek} is being computed</h1>
<p>Cascade is computing it from every ticket's latest verdict. This page reloads by itself every ${retryAfterSeconds} seconds until it is ready.</p>
</body></html>`.toString();
}
