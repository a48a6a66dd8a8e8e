// The Linear-compatible sandbox: the server, its store, and the webhook signing
// that tests and the demo replay share.
export { startLinearSandbox, type LinearSandbox, type LinearSandboxOptions } from './server.js';
export { LinearStore, type IssueSpec, type IssuePatch } from './store.js';
export type * from './records.js';
export { envelopeFor, issueData, commentData, projectData, initiativeData, type LinearWebhookEnvelope } from './webhook-payloads.js';
export { buildLinearDelivery, signLinearBody, type SignedDelivery } from './webhook-sender.js';
export { seedDemoWorkspace } from './seed.js';
export { LINEAR_SANDBOX_SDL } from './schema-sdl.js';
export { seedDoneHistory, seedForecastBacklog } from './seed-history.js';
export type { AccessLogEntry } from './server.js';
export type { SandboxWorkspace } from './workspaces.js';
export type { GrantCounts, OAuthAppOptions } from './oauth.js';
export { oauthAppRevoked, permissionChange, type LinearAppEvent, type OAuthAppRevokedEvent, type PermissionChangeEvent } from './app-webhook-payloads.js';
