/**
 * API keys for machine clients (Open311 `api_key`). Each key stands for one person; only its
 * SHA-256 is ever stored or looked up, so a leaked table does not leak usable keys.
 */
export interface ApiKeyRecord {
  /** SHA-256 hex of the key (core/open311.ts `apiKeyHash`). */
  keyHash: string;
  /** The person the key acts as. */
  personId: string;
  /** Which client or device it was issued to, for the administrator who revokes it. */
  label: string;
  createdAt: string;
}

export interface ApiKeyStore {
  findApiKey(keyHash: string): Promise<ApiKeyRecord | null>;
  /** Stores a new key; false when a key with this hash exists already (it is left untouched). */
  addApiKey(record: ApiKeyRecord): Promise<boolean>;
}
