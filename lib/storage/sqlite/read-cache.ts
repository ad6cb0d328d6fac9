import type Database from "better-sqlite3";

const MAX_ENTRIES = 50_000;

/**
 * Memory copies of the reads every API call makes (credential lookups, its user, the instance
 * policy). Correct because every write through this connection clears what it may affect, and
 * SQLite's data_version reveals commits by any other connection (another process, a maintenance
 * command), which clear everything. data_version is read once per turn of the event loop, so such a
 * commit is seen from the next turn on. Only positive results are kept, so unknown credentials cannot
 * fill it, and values are frozen so no caller can change a shared copy.
 */
export class ReadCache {
  private readonly entries = new Map<string, unknown>();
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

  get<T>(key: string, load: () => T | null): T | null {
    if (!this.checkedThisTurn) {
      this.checkedThisTurn = true;
      setImmediate(this.endTurn);
      const v = this.dataVersion.get() as number;
      if (v !== this.version) {
        this.entries.clear();
        this.version = v;
      }
    }
    const hit = this.entries.get(key) as T | undefined;
    if (hit !== undefined) return hit;
    const value = load();
    if (value !== null && value !== undefined) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(key, Object.freeze(value));
    }
    return value;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
