// The app-install part of the environment (PRODUCT.md "Installed as an app"):
// the trackers' OAuth app credentials, and the key that seals their tokens.
// App credentials without CASCADE_SECRET_KEY stop start-up: tokens are never
// stored in plain text.

export interface LinearAppEnv {
  clientId: string;
  clientSecret: string;
  /** Default https://linear.app/oauth/authorize. */
  authorizeUrl: string;
  /** Default https://api.linear.app/oauth/token (revoke: the same host's /oauth/revoke). */
  tokenUrl: string;
  /** LINEAR_CLIENT_CREDENTIALS: one workspace, no browser (the client-credentials grant). */
  clientCredentials: boolean;
  /** LINEAR_API_URL, default https://api.linear.app/graphql: installations read and write there without an API key. */
  apiUrl: string;
}

export interface JiraAppEnv {
  clientId: string;
  clientSecret: string;
  /** ATLASSIAN_AUTH_URL, default https://auth.atlassian.com. */
  authUrl: string;
  /** ATLASSIAN_API_URL, default https://api.atlassian.com. */
  apiUrl: string;
}

export interface AppInstallEnv {
  /** PUBLIC_URL: where trackers and browsers reach Cascade (read with the rest of the environment). */
  publicUrl?: string;
  /** CASCADE_SECRET_KEY: 64 hex characters. */
  secretKey?: string;
  linearApp?: LinearAppEnv;
  jiraApp?: JiraAppEnv;
}

type Get = (name: string) => string | undefined;
type Url = (name: string) => string | undefined;

const TRUE = ['1', 'true', 'yes', 'on'];
const FALSE = ['0', 'false', 'no', 'off'];

export function readAppInstallEnv(get: Get, url: Url, problems: string[]): AppInstallEnv {
  const secretKey = get('CASCADE_SECRET_KEY');
  if (secretKey !== undefined && !/^[0-9a-fA-F]{64}$/.test(secretKey)) problems.push('CASCADE_SECRET_KEY must be 64 hex characters (32 random bytes: openssl rand -hex 32)');

  const pair = (idName: string, secretName: string): { clientId: string; clientSecret: string } | undefined => {
    const clientId = get(idName);
    const clientSecret = get(secretName);
    if (!clientId && !clientSecret) return undefined;
    if (!clientId || !clientSecret) {
      problems.push(`${clientId ? secretName : idName} is required with ${clientId ? idName : secretName}`);
      return undefined;
    }
    if (!secretKey) problems.push(`CASCADE_SECRET_KEY is required with ${idName}: installation tokens are stored encrypted with it (openssl rand -hex 32)`);
    return { clientId, clientSecret };
  };

  let clientCredentials = false;
  const cc = get('LINEAR_CLIENT_CREDENTIALS')?.toLowerCase();
  if (cc !== undefined) {
    if (TRUE.includes(cc)) clientCredentials = true;
    else if (!FALSE.includes(cc)) problems.push(`LINEAR_CLIENT_CREDENTIALS=${cc} must be true or false`);
  }
  const linear = pair('LINEAR_CLIENT_ID', 'LINEAR_CLIENT_SECRET');
  if (clientCredentials && !linear) problems.push('LINEAR_CLIENT_CREDENTIALS needs LINEAR_CLIENT_ID and LINEAR_CLIENT_SECRET');
  const linearApp = linear && {
    ...linear,
    authorizeUrl: url('LINEAR_AUTHORIZE_URL') ?? 'https://linear.app/oauth/authorize',
    tokenUrl: url('LINEAR_TOKEN_URL') ?? 'https://api.linear.app/oauth/token',
    clientCredentials,
    apiUrl: url('LINEAR_API_URL') ?? 'https://api.linear.app/graphql',
  };
  const jira = pair('JIRA_CLIENT_ID', 'JIRA_CLIENT_SECRET');
  const jiraApp = jira && { ...jira, authUrl: url('ATLASSIAN_AUTH_URL') ?? 'https://auth.atlassian.com', apiUrl: url('ATLASSIAN_API_URL') ?? 'https://api.atlassian.com' };
  return { secretKey, linearApp, jiraApp };
}
