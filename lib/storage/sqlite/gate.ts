/**
 * Serialises transactions on the one connection. While a transaction is open, calls from outside it
 * wait, so no other request's statement can land inside it.
 */
export class Gate {
  private tail: Promise<void> = Promise.resolve();
  busy = false;

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const prev = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((r) => (release = r));
    await prev;
    this.busy = true;
    try {
      return await fn();
    } finally {
      this.busy = false;
      release();
    }
  }

  /** Resolves when no transaction is open. */
  async idle(): Promise<void> {
    while (this.busy) await this.tail;
  }
}
