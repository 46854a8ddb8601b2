/**
 * Wakes this process's workers right after a commit that queued a job, so delivery does not wait
 * for the next poll. Other nodes pick the job up on their own poll; nothing is lost if no one
 * is listening.
 */
export class JobWaker {
  #listeners = new Set<() => void>();

  wake(): void {
    for (const listener of this.#listeners) listener();
  }

  /** Resolves on the next wake, or after `ms`, whichever comes first. */
  nextWake(ms: number): Promise<void> {
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
