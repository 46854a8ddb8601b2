import { describe, expect, it } from 'vitest';
import { shutDown } from './shutdown.ts';

describe('shutDown', () => {
  it('runs each step in order and says what it waits for before each', async () => {
    const said: string[] = [];
    const ran: string[] = [];
    const outcome = await shutDown(
      ['requests in flight', 'running jobs'].map((what) => ({ what, run: async () => void ran.push(what) })),
      { timeoutMs: 1000, say: (line) => said.push(line) },
    );
    expect(outcome.kind).toBe('done');
    expect(ran).toEqual(['requests in flight', 'running jobs']);
    expect(said).toEqual(['stopping: waiting for requests in flight', 'stopping: waiting for running jobs']);
  });

  it('gives up at the timeout and names the step still running', async () => {
    const outcome = await shutDown(
      [
        { what: 'requests in flight', run: async () => {} },
        { what: 'running jobs', run: () => new Promise<void>(() => {}) },
      ],
      { timeoutMs: 50, say: () => {} },
    );
    expect(outcome).toMatchObject({ kind: 'timed-out', waitingFor: 'running jobs' });
  });

  it('rejects when a step fails, so the caller can say so', async () => {
    await expect(shutDown([{ what: 'the database', run: async () => { throw new Error('gone'); } }], { timeoutMs: 1000, say: () => {} })).rejects.toThrow('gone');
  });
});
