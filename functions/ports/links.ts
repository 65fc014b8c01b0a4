/** Stored SMS action links (see core/links.ts). */
import type { ActionLink } from '#core/links.ts';

export interface LinkStore {
  /** Idempotent: the same link id always describes the same link. */
  putLink(link: ActionLink): Promise<void>;
  getLink(id: string): Promise<ActionLink | null>;
}

/** The server secret that signs links, and the public address the links point at. */
export interface LinkSettings {
  secret: Uint8Array;
  baseUrl: () => string;
}
