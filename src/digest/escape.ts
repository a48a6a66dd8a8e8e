// What the renderers share: only http(s) links, shortened labels, numbers for
// people. HTML escaping itself is done by the `html` tag (html.ts).

/**
 * The url, normalised, if it is absolute http or https; null otherwise. Anything
 * else (`javascript:`, `data:`, relative paths, garbage) is dropped, not repaired.
 */
export function safeHttpUrl(url: string | undefined | null): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return null;
  }
  return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
}

/** Shortens to `max` characters with an ellipsis, for labels in fixed-width charts. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

/** "62%", or an en dash for no value. */
export function percent(x: number | null | undefined, digits = 0): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '–' : `${(x * 100).toFixed(digits)}%`;
}

const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

export function formatNumber(n: number): string {
  return numberFormat.format(n);
}
