// HTML for the digest page, built with hono's `html` tagged template: every
// interpolated value is escaped unless it is itself an `html` fragment (or marked
// with `raw`), so user text cannot become markup by a forgotten call. Arrays are
// joined; null, undefined and false render as nothing.
import { html as honoHtml, raw } from 'hono/html';

/** A fragment of markup that is already safe to embed. */
export type Html = ReturnType<typeof raw>;

/** hono's tag returns a Promise only when a value is one; the digest never passes one. */
export const html = honoHtml as (strings: TemplateStringsArray, ...values: unknown[]) => Html;

/** Markup written by Cascade itself (the page's own CSS), never user text. */
export const trusted = (markup: string): Html => raw(markup);
