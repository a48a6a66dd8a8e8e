// What a tracker brings to Cascade, in one object per tracker folder
// (src/trackers/<id>/descriptor.ts), registered by id in src/trackers/registry.ts:
// the receiver, the queues and the start-up iterate the registry and never name
// a tracker. The verbs a check and a sweep call are the Tracker interface
// (tracker.ts); optional capabilities there stay optional here.
import type { Logger } from 'pino';
import type { Normalised } from '../records/normalised-event.js';
import type { OutlineNode, OutlineOptions, TrackerOutline } from '../strategy/outline.js';
import type { TrackerWords } from '../strategy/tracker-words.js';
import type { CascadeConfig, Match } from '../strategy/tree-schema.js';
import type { Tracker } from './tracker.js';
import type { AppInstallEnv as AppEnv } from './app-environment.js';
import type { InstallationRecord, NewInstallation, TokenSet } from '../records/installation.js';

/** Reads one delivery: verifies its signature on the raw bytes and parses it once; throws the coded errors of webhook-errors.ts. */
export type DeliveryReader = (body: Buffer, signature: string | undefined, receivedAt: number) => unknown;

export interface TrackerWebhook {
  /** The route the tracker delivers to. */
  path: string;
  /** The header that carries the delivery's id (lower case). */
  deliveryHeader: string;
  /** The header that carries the signature, as the tracker spells it (error messages); looked up in lower case. */
  signatureHeader: string;
  /** The environment variable that holds the signing secrets (start-up warnings, error messages). */
  secretVariable: string;
  /** The signing secrets in the tracker's part of the environment (several while rotating); none: the route is not served. */
  secrets(env: TrackerEnv): string[];
  /** A reader for deliveries signed with one of `secrets`. */
  reader(secrets: string[]): DeliveryReader;
  /** The parsed body as a tracker-neutral event, or why it is ignored or malformed. Pure. */
  normalise(payload: unknown): Normalised;
  /** The signed body's digest (lower-case hex), when the tracker may replay the same bytes under a new delivery id: the inbox takes them once in 24 h. */
  bodyDigest?(signature: string): string;
}

/** A current access token for one installation, refreshed as needed (src/installs/token-keeper.ts). */
export interface AccessTokenSource {
  current(): Promise<string>;
  /** After the tracker answered 401 with `stale`: a new token (refreshed once, by one process), or the error that it cannot be had. */
  afterUnauthorised(stale: string): Promise<string>;
}

/**
 * Cascade installed as the tracker's OAuth app (PRODUCT.md "Installed as an app"):
 * the consent, the refresh, the disconnect and an adapter per installation.
 */
export interface TrackerApp {
  /** Whether the environment holds this tracker's app credentials. */
  configured(env: AppEnv): boolean;
  /** Where the admin's browser goes to consent. */
  authorizeUrl(env: AppEnv, request: { state: string; redirectUri: string }): string;
  /** Exchanges the callback's code: the workspaces (Linear: one; Jira: every site of the consent) now installed. */
  complete(env: AppEnv, request: { code: string; redirectUri: string }): Promise<NewInstallation[]>;
  /** A new token set from the stored one; throws InvalidGrantError (app-errors.ts) when only a new consent helps. */
  refresh(env: AppEnv, installation: InstallationRecord, tokens: TokenSet): Promise<TokenSet>;
  /** Ends the installation at the tracker (revokes the token, deletes webhooks); best effort. */
  disconnect(env: AppEnv, installation: InstallationRecord, tokens: TokenSet): Promise<void>;
  /** The adapter for one installation, reading and writing with its token only. */
  create(env: AppEnv, installation: InstallationRecord, token: AccessTokenSource, logger: Logger): Tracker;
  /**
   * After a consent is stored (its id is known): what the tracker needs set up per
   * installation (Jira: its dynamic webhook at `<base URL>/webhooks/jira/<id>`).
   * Answers the record's webhook fields; throws when the setup failed.
   */
  afterInstall?(env: AppEnv, installation: InstallationRecord, tokens: TokenSet, context: AppSetupContext): Promise<Pick<InstallationRecord, 'webhook'>>;
  /** Keeps what afterInstall set up alive (Jira: refreshes or re-registers webhooks before they expire); answers the new webhook fields. */
  keep?(env: AppEnv, installation: InstallationRecord, token: AccessTokenSource, context: AppSetupContext & { now: Date }): Promise<Pick<InstallationRecord, 'webhook'>>;
  /** Deliveries that prove their sender per installation (Jira's JWT), on a route with the installation in its path. */
  webhook?: AppWebhook;
}

export interface AppSetupContext {
  /** Where the tracker reaches Cascade: PUBLIC_URL, or the origin the install was started from. */
  baseUrl: string;
  /** The tenant config's rules.scope for this tracker (teams, projects); null: everything. */
  scope: string[] | null;
}

export interface AppWebhook {
  /** With an `:installation` parameter, e.g. /webhooks/jira/:installation. */
  path: string;
  /** The header that carries the delivery's id (lower case). */
  deliveryHeader: string;
  /** Why the Authorization header does not prove a delivery from the app, or null when it does. Pure. */
  refusal(authorization: string | undefined, env: AppEnv, nowMs: number): string | null;
}

/** How a tracker reads its variables: trimmed values (unset when empty), URLs checked, and every problem as one line naming the variable. */
export interface EnvVariables {
  get(name: string): string | undefined;
  /** An http(s) URL without its trailing slashes; a bad one is a problem, and reads as unset. */
  url(name: string): string | undefined;
  problem(line: string): void;
}

/** A tracker's part of the environment: its default installation's credentials (none: no adapter) and its webhook's signing secrets. */
export interface TrackerEnv<Credentials = unknown> {
  credentials?: Credentials;
  webhookSecret?: string;
}

/** The variables a tracker reads (src/config/environment.ts asks every registered tracker). */
export interface TrackerEnvironment<Credentials = unknown> {
  read(vars: EnvVariables): TrackerEnv<Credentials>;
  /** The variables that give a process reading the environment again the same part (undefined: unset). */
  variables(env: TrackerEnv<Credentials>): Record<string, string | undefined>;
}

/** One kind of entry in the tracker's part of the config's `match`, checked against its outline (warnings, never errors). */
export interface MatchCheck {
  /** The entry's key under `match.<id>`: `projects`. */
  key: string;
  kind: 'initiative' | 'project' | 'label' | 'issue';
  /** How a warning names one: `Linear project`. */
  what: string;
  /** The names and ids the outline knows for it (matched without regard to case), and the names the closest is taken from. */
  known(outline: TrackerOutline): { known: string[]; names: string[] };
}

/** How a starting config is made from the tracker's outline (`cascade import <id>`, GET /admin/import/:tracker). */
export interface OutlineImport {
  /** The tracker's name in the file's header: `Linear`. */
  name: string;
  /** What the nodes were made from, ending the header's count: ` from initiatives and epics`. */
  madeFrom(outline: TrackerOutline): string;
  /** Why there was nothing to import, and what to do instead. */
  empty: string;
  /** The outline node is done, so its tree node is retired. */
  retired(node: OutlineNode): boolean;
  /** The match that makes the tree node match the outline node; `byName`: its name is short and no other node's. */
  match(node: OutlineNode, byName: boolean): Match;
  /** The comment above the node's `match`: what it holds. */
  comment(node: OutlineNode): string;
}

/** What the config knows of the tracker through its outline (the optional `outline` verb of Tracker). */
export interface TrackerOutlineParts {
  /** Its `match` entries checked against the outline, in the order warnings list them. */
  matchChecks: MatchCheck[];
  /** What reading the outline must also confirm, from the config (Jira: the issue keys it names). */
  readOptions?(config: CascadeConfig): OutlineOptions;
  import: OutlineImport;
}

export interface TrackerDescriptor<Id extends string = string, Credentials = unknown> {
  id: Id;
  /** The environment it reads. */
  environment: TrackerEnvironment<Credentials>;
  webhook: TrackerWebhook;
  /** The tracker's own check queue: its own rate limiter, so one tracker's limit never pauses another's checks. */
  checkQueue: string;
  /** How Cascade's comments, answers and verdicts name its things ("team", "epic", "make it a sub-issue of …"). */
  words: TrackerWords;
  /** The config checked against its outline and imported from it; none when it has no outline. */
  outline?: TrackerOutlineParts;
  /** The environment variables that hold the tracker's credentials, as a sentence names them ("set …"). */
  credentialVariables: string;
  /** The adapter for an installation's credentials. */
  create(credentials: Credentials, logger: Logger): Tracker;
  /** Present when Cascade can be installed in the tracker as an app. */
  app?: TrackerApp;
}

/** A secret variable's value as secrets: comma-separated while rotating. */
export function splitSecrets(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
