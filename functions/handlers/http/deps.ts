import type { Deps } from '#core/use-cases/deps.ts';
import type { Open311Deps } from '#core/use-cases/open311.ts';
import type { PhotoDeps } from '#core/use-cases/photos.ts';
import type { SignInDeps } from '#core/use-cases/sign-in.ts';
import type { TokenService } from '#ports/auth.ts';

/** What the HTTP handlers need: the use-case ports plus sign-in and token verification. */
export interface HttpDeps extends Deps, SignInDeps, PhotoDeps, Open311Deps {
  tokens: TokenService;
  /** False until the engines are up; /api/health answers 503 until then. */
  ready: () => boolean;
}
