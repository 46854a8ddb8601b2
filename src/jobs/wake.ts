/**
 * Wakes this process's workers right after a commit that queued a job, so delivery does not wait
 * for the next poll. Other nodes pick the job up on their own poll; nothing is lost if no one
 * is listening.
 */
export class JobWaker {
  #listeners = new Set<() => void>();
  /** A wake that came while no one was waiting (the worker was busy claiming): not to be lost. */
  #missed = false;

  wake(): void {
    if (this.#listeners.size === 0) this.#missed = true;
    for (const listener of this.#listeners) listener();
  }

  /** Resolves on the next wake, or after `ms`, whichever comes first; at once if a wake was missed. */
  nextWake(ms: number): Promise<void> {
    if (this.#missed) {
      this.#missed = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#listeners.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#listeners.add(done);
    });
  }
}
