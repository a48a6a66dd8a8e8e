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
}

/** A secret variable's value as secrets: comma-separated while rotating. */
export function splitSecrets(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
