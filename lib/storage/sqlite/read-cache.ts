import type Database from "better-sqlite3";

const MAX_ENTRIES = 50_000;

/** What the cache holds, one namespace per kind of read. */
export type Namespace =
  | "user"
  | "apikey"
  | "session"
  | "settings"
  | "certificates"
  | "oauthclient"
  | "oauthtoken"
  | "servicecredential"
  | "imstoken"
  | "signingkeys";

/**
 * `user:<id>`, `apikey:<lookup hash>`, `session:<id hash>`, `oauthclient:<client ID>` (an app with its
 * secrets and keys), `oauthtoken:<lookup hash>`, `servicecredential:<client ID>` (a service credential
 * with its certificates), `imstoken:<token ID>`, `settings` (the one policy row), `certificates` (the
 * accepted certificates) or `signingkeys` (the IMS token signing keys).
 */
export type CacheKey =
  | `user:${string}`
  | `apikey:${string}`
  | `session:${string}`
  | `oauthclient:${string}`
  | `oauthtoken:${string}`
  | `servicecredential:${string}`
  | `imstoken:${string}`
  | "settings"
  | "certificates"
  | "signingkeys";

export const cacheKeys = {
  user: (id: string): CacheKey => `user:${id}`,
  apiKey: (lookupHash: string): CacheKey => `apikey:${lookupHash}`,
  session: (idHash: string): CacheKey => `session:${idHash}`,
  settings: "settings" as CacheKey,
  certificates: "certificates" as CacheKey,
  oauthClient: (clientId: string): CacheKey => `oauthclient:${clientId}`,
  oauthToken: (lookupHash: string): CacheKey => `oauthtoken:${lookupHash}`,
  serviceCredential: (clientId: string): CacheKey => `servicecredential:${clientId}`,
  imsToken: (id: string): CacheKey => `imstoken:${id}`,
  signingKeys: "signingkeys" as CacheKey,
};

const namespaceOf = (key: CacheKey): Namespace => {
  const colon = key.indexOf(":");
  return (colon < 0 ? key : key.slice(0, colon)) as Namespace;
};

/**
 * Memory copies of the reads every API call makes (credential lookups, its user, the instance
 * policy, the accepted login certificates). Correct because every write through this connection evicts the entries it may have
 * changed (see the aggregates beside this file), and SQLite's data_version reveals commits by any
 * other connection (another process, a maintenance command), which clear everything. data_version
 * is read once per turn of the event loop, so such a commit is seen from the next turn on. Only
 * positive results are kept, so unknown credentials cannot fill it, and values are frozen so no
 * caller can change a shared copy.
 */
export class ReadCache {
  private readonly spaces = new Map<Namespace, Map<CacheKey, unknown>>();
  private size = 0;
  private readonly dataVersion: Database.Statement;
  private version: number;
  private checkedThisTurn = false;
  private readonly endTurn = () => {
    this.checkedThisTurn = false;
  };

  constructor(sqlite: Database.Database) {
    this.dataVersion = sqlite.prepare("PRAGMA data_version").pluck();
    this.version = this.dataVersion.get() as number;
  }

  get<T>(key: CacheKey, load: () => T | null): T | null {
    if (!this.checkedThisTurn) {
      this.checkedThisTurn = true;
      setImmediate(this.endTurn);
      const v = this.dataVersion.get() as number;
      if (v !== this.version) {
        this.clear();
        this.version = v;
      }
    }
    const ns = namespaceOf(key);
    const hit = this.spaces.get(ns)?.get(key) as T | undefined;
    if (hit !== undefined) return hit;
    const value = load();
    if (value !== null && value !== undefined) {
      if (this.size >= MAX_ENTRIES) this.clear();
      let space = this.spaces.get(ns);
      if (!space) this.spaces.set(ns, (space = new Map<CacheKey, unknown>()));
      space.set(key, Object.freeze(value));
      this.size++;
    }
    return value;
  }

  /** Whether the key is held (for tests and diagnostics; does not load). */
  has(key: CacheKey): boolean {
    return this.spaces.get(namespaceOf(key))?.has(key) ?? false;
  }

  evict(key: CacheKey): void {
    if (this.spaces.get(namespaceOf(key))?.delete(key)) this.size--;
  }

  evictNamespace(ns: Namespace): void {
    const space = this.spaces.get(ns);
    if (!space) return;
    this.size -= space.size;
    this.spaces.delete(ns);
  }

  clear(): void {
    this.spaces.clear();
    this.size = 0;
  }
}
