/**
 * Group commit: the transactions that become ready in the same turn of the event loop run one after
 * another inside one SQLite transaction, each in its own savepoint, and are committed together. A
 * commit writes every page the batch dirtied to the WAL once, so under load (dozens of token
 * requests a millisecond) the pages they share (the audit log's last page and indexes, B-tree inner
 * pages) are written once per batch instead of once per request.
 *
 * Each caller still sees its own transaction: its writes are rolled back alone when its function
 * throws (ROLLBACK TO its savepoint), and its promise settles only after the COMMIT that makes them
 * durable, or rejects when that COMMIT fails. If SQLite abandons the whole transaction (e.g. the disk
 * is full), the callers of the batch that had succeeded are told it failed, and those not yet run
 * are run again in a fresh one.
 */
import type Database from "better-sqlite3";
import type { Gate } from "./gate";

/** The most transactions one commit carries, so a batch's latency stays small. */
const MAX_BATCH = 64;

interface Queued {
  fn: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

export class CommitQueue {
  private readonly queue: Queued[] = [];
  private scheduled = false;
  private readonly begin: Database.Statement;
  private readonly commit: Database.Statement;
  private readonly savepoint: Database.Statement;
  private readonly release: Database.Statement;
  private readonly rollbackTo: Database.Statement;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly gate: Gate,
    private readonly committed: () => void,
  ) {
    this.begin = sqlite.prepare("BEGIN IMMEDIATE");
    this.commit = sqlite.prepare("COMMIT");
    this.savepoint = sqlite.prepare("SAVEPOINT keyward_tx");
    this.release = sqlite.prepare("RELEASE keyward_tx");
    this.rollbackTo = sqlite.prepare("ROLLBACK TO keyward_tx");
  }

  /** Runs `fn` in a transaction of the next batch; settles once that batch has committed. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    await this.gate.run(async () => {
      while (this.queue.length > 0) await this.runBatch(this.queue.splice(0, MAX_BATCH));
    });
  }

  private async runBatch(items: Queued[]): Promise<void> {
    try {
      this.begin.run();
    } catch (e) {
      for (const item of items) item.reject(e);
      return;
    }
    const succeeded: { item: Queued; value: unknown }[] = [];
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      this.savepoint.run();
      try {
        const value = await item.fn();
        this.release.run();
        succeeded.push({ item, value });
      } catch (e) {
        if (!this.sqlite.inTransaction) {
          // The whole transaction is gone: this caller fails, the ones before lost their writes,
          // the ones after have not run and get a fresh transaction.
          item.reject(e);
          for (const s of succeeded) s.item.reject(e);
          this.queue.unshift(...items.slice(i + 1));
          return;
        }
        this.rollbackTo.run();
        this.release.run();
        item.reject(e);
      }
    }
    try {
      this.commit.run();
    } catch (e) {
      if (this.sqlite.inTransaction) this.sqlite.exec("ROLLBACK");
      for (const s of succeeded) s.item.reject(e);
      return;
    }
    this.committed();
    for (const s of succeeded) s.item.resolve(s.value);
  }
}
