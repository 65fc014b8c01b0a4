/** What the HTTP handlers need: the application's ports (core/use-cases/app-deps.ts). */
export type { AppDeps as HttpDeps } from '#core/use-cases/app-deps.ts';
