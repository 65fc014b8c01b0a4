/**
 * Everything one process's use cases may need, as ports: what `functions/wiring` builds (local or
 * AWS) and what the HTTP handlers are given. A function on AWS gets the ports it uses and
 * `notWired` stand-ins for the rest.
 */
import type { TokenService } from '#ports/auth.ts';
import type { Deps } from './deps.ts';
import type { ImportDeps } from './imports.ts';
import type { Open311Deps } from './open311.ts';
import type { PeopleDeps } from './people.ts';
import type { PhotoDeps } from './photos.ts';
import type { SignInDeps } from './sign-in.ts';

export interface AppDeps extends Deps, SignInDeps, PhotoDeps, Open311Deps, PeopleDeps, ImportDeps {
  tokens: TokenService;
  /** False until the engines are up; /api/health answers 503 until then. */
  ready: () => boolean;
}
