// One problem in a config document, located by a path such as
// `objectives[0].children[2].period.end`.
export interface ConfigIssue {
  path: string;
  message: string;
}

/** `/objectives/0/children/2` (JSON pointer) → `objectives[0].children[2]`. */
export function pointerToPath(pointer: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let out = '';
  for (const part of parts) {
    if (/^\d+$/.test(part)) out += `[${part}]`;
    else out += out ? `.${part}` : part;
  }
  return out || '(document)';
}

export function formatIssues(issues: ConfigIssue[]): string {
  return issues.map((i) => `  ${i.path}: ${i.message}`).join('\n');
}
