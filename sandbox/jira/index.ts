// The Jira Cloud-compatible sandbox: an in-memory REST v3 server for tests and the demo.
export { startJiraSandbox, type JiraSandbox, type JiraSandboxOptions } from './server.js';
export { JiraStore, type CreateIssueInput, type IssueChanges } from './store.js';
export { seedDemoJira, DEMO_JIRA_BOT, type DemoJira } from './seed-demo.js';
export { buildSignedJiraDelivery, type SignedDelivery, type DeliveryOptions, type DeliveryRecord } from './webhooks.js';
export { ESTIMATE_FIELD } from './issue-view.js';
export { adfFromText } from './adf.js';
export type * from './types.js';
export { SandboxClock, SandboxOAuth, type OAuthClient, type SiteInfo } from './oauth.js';
export { DynamicWebhooks, WEBHOOK_LIFETIME_MS, signDeliveryJwt, type DynamicWebhook } from './dynamic-webhooks.js';
