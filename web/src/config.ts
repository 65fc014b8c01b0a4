/**
 * Where the console signs in. Locally: the local issuer (POST /api/auth/login). Deployed: the web
 * stack writes /config.json with the Cognito hosted sign-in to use (authorization code with PKCE).
 */
export type AuthConfig =
  | { kind: 'local' }
  /** Deployed without a sign-in domain: nobody can sign in, and the page says why. */
  | { kind: 'none'; reason: string }
  | { kind: 'cognito'; domain: string; clientId: string; region: string; redirectUri: string; logoutUri: string; scopes: string[] };

export interface ConsoleConfig {
  auth: AuthConfig;
  /** Map tiles, e.g. https://tile.example/{z}/{x}/{y}.png; unset: boundaries on a plain background (works offline). */
  tileUrl?: string;
  tileAttribution?: string;
}

export const LOCAL_CONFIG: ConsoleConfig = { auth: { kind: 'local' } };

export async function loadConsoleConfig(fetcher: typeof fetch = fetch): Promise<ConsoleConfig> {
  try {
    const response = await fetcher('/config.json', { headers: { accept: 'application/json' }, cache: 'no-store' });
    if (!response.ok || !(response.headers.get('content-type') ?? '').includes('json')) return LOCAL_CONFIG;
    const config = (await response.json()) as Partial<ConsoleConfig>;
    return { ...LOCAL_CONFIG, ...config, auth: config.auth ?? LOCAL_CONFIG.auth };
  } catch {
    return LOCAL_CONFIG;
  }
}
