// Labels as the engine trusts them: tracker payloads can carry anything.
export function safeLabels(labels: unknown): string[] {
  return Array.isArray(labels) ? labels.filter((l): l is string => typeof l === 'string') : [];
}
