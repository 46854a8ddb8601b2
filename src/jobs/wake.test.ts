import { describe, expect, it } from 'vitest';
import { JobWaker } from './wake.ts';

describe('waking the workers', () => {
  it('wakes a waiting worker at once', async () => {
    const waker = new JobWaker();
    const started = Date.now();
    const waiting = waker.nextWake(5_000);
    waker.wake();
    await waiting;
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('does not lose a wake that came while the worker was busy', async () => {
    const waker = new JobWaker();
    waker.wake();
    const started = Date.now();
    await waker.nextWake(5_000);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('sleeps the full time when nothing wakes it', async () => {
    const waker = new JobWaker();
    const started = Date.now();
    await waker.nextWake(60);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });
});
