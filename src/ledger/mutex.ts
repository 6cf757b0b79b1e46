/**
 * A promise-chain mutex. node:sqlite gives one connection per database handle
 * and waits for locks synchronously, so operations on one file from the same
 * process must take turns.
 */

/** Serialises async functions: each starts after the previous one settles. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `fn` once every earlier call has settled; resolves or rejects with its result. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
