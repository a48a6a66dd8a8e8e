// One measured figure with its target, and how run.ts prints them.
export type Comparison = '>=' | '<=' | '<' | '>' | '==';

export interface Figure {
  bench: string;
  name: string;
  value: number;
  unit: string;
  /** Absent: reported for context, no verdict. */
  target?: { op: Comparison; value: number };
  /** What was measured and how, in a few words. */
  note?: string;
}

export type Verdict = 'PASS' | 'MISS' | 'info';

export function verdictOf(figure: Figure): Verdict {
  const { target, value } = figure;
  if (!target || !Number.isFinite(value)) return target ? 'MISS' : 'info';
  switch (target.op) {
    case '>=': return value >= target.value ? 'PASS' : 'MISS';
    case '<=': return value <= target.value ? 'PASS' : 'MISS';
    case '<': return value < target.value ? 'PASS' : 'MISS';
    case '>': return value > target.value ? 'PASS' : 'MISS';
    case '==': return value === target.value ? 'PASS' : 'MISS';
  }
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const digits = Math.abs(value) >= 100 || Number.isInteger(value) ? 0 : Math.abs(value) >= 1 ? 2 : 3;
  return value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

export function formatTarget(figure: Figure): string {
  return figure.target ? `${figure.target.op} ${formatNumber(figure.target.value)}` : '';
}

/** The value at quantile q (0..1) of ascending-sorted samples; NaN when empty. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] as number;
}
