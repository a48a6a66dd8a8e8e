// Pieces shared by the admin routes' schemas (TypeBox, so the OpenAPI
// description and the validation come from one place).
import { Type, type TSchema } from '@sinclair/typebox';
import { TRACKER_IDS } from '../../trackers/registry.js';

/** A string enum as plain JSON Schema `enum`: clearer in OpenAPI and in validation messages than anyOf/const. */
export function StringEnum<T extends string>(values: readonly T[], options: { description?: string } = {}) {
  return Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });
}

export const TrackerName = StringEnum(TRACKER_IDS, { description: TRACKER_IDS.join(' or ') });

export const ErrorReply = Type.Object({ error: Type.String(), message: Type.String() }, { additionalProperties: true });

export const IssueList = Type.Array(Type.Object({ path: Type.String(), message: Type.String() }));

export const RecheckResult = Type.Object({
  sweepIds: Type.Array(Type.String()),
  /** Set when the re-check could not be started (the nightly sweep catches up). */
  error: Type.Optional(Type.String()),
});

/** Common parts of every admin route's schema: tag, security, the error replies. */
export function adminSchema<S extends Record<string, unknown>>(summary: string, schema: S & { response?: Record<number, TSchema> }) {
  return {
    summary,
    tags: ['admin'],
    security: [{ adminToken: [] }],
    ...schema,
    response: { 401: ErrorReply, 429: ErrorReply, ...schema.response },
  };
}
