import { describe, expect, it } from 'vitest';
import { DatabaseHealth, DatabaseUnavailableError, isUnavailable, type HealthChange } from './health.ts';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('database health', () => {
  it.each([
    [new Error('Connection terminated unexpectedly')],
    [new Error('timeout exceeded when trying to connect')],
    [new Error('Query read timeout')],
    [withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    [withCode('terminating connection due to administrator command', '57P01')],
    [withCode('the database system is starting up', '57P03')],
    [withCode('canceling statement due to statement timeout', '57014')],
    [withCode('connection failure', '08006')],
  ])('counts %s as the database being away', (error) => {
    expect(isUnavailable(error)).toBe(true);
  });

  it.each([
    [withCode('duplicate key value violates unique constraint', '23505')],
    [withCode('syntax error at or near "SELEC"', '42601')],
    [new TypeError("Cannot read properties of undefined (reading 'id')")],
  ])('counts %s as a fault of ours, not an outage', (error) => {
    expect(isUnavailable(error)).toBe(false);
  });

  it('announces an outage once however many queries fail, and its end once', () => {
    let now = 1_000;
    const health = new DatabaseHealth(() => now);
    const changes: HealthChange[] = [];
    health.onChange((change) => changes.push(change));

    for (let i = 0; i < 50; i++) expect(health.classify(new Error('Connection terminated unexpectedly'), now)).toBeInstanceOf(DatabaseUnavailableError);
    expect(health.reachable).toBe(false);
    // A query that began before the outage was noticed and ends well says nothing about now.
    health.succeeded(now - 1);
    expect(health.reachable).toBe(false);
    now += 700;
    health.succeeded(now - 5);
    health.succeeded(now);
    expect(health.reachable).toBe(true);
    expect(changes).toEqual([
      { reachable: false, error: expect.objectContaining({ message: 'Connection terminated unexpectedly' }) },
      { reachable: true, downForMs: 700 },
    ]);
  });

  it('hands back an error of ours unchanged and takes it as proof the database answers', () => {
    const health = new DatabaseHealth(() => 5);
    health.failed(new Error('Connection terminated'));
    const duplicate = withCode('duplicate key', '23505');
    expect(health.classify(duplicate, 5)).toBe(duplicate);
    expect(health.reachable).toBe(true);
  });

  it('does not start a new outage on a late error from a connection opened before the last one ended', () => {
    let now = 1_000;
    const health = new DatabaseHealth(() => now);
    const changes: HealthChange[] = [];
    health.onChange((change) => changes.push(change));
    const openedBefore = now;
    health.failed(new Error('Connection terminated unexpectedly'), openedBefore);
    now += 300;
    health.succeeded(now);
    // An idle connection of the old server reports its death after the database is back.
    now += 10;
    health.failed(new Error('Connection terminated unexpectedly'), openedBefore);
    expect(health.classify(new Error('Connection terminated unexpectedly'), now, openedBefore)).toBeInstanceOf(DatabaseUnavailableError);
    expect(health.reachable).toBe(true);
    // A connection opened since, or a failed attempt to connect, is news: a second outage.
    health.failed(new Error('Connection terminated unexpectedly'), now);
    expect(health.reachable).toBe(false);
    expect(changes.map((change) => change.reachable)).toEqual([false, true, false]);
  });
});
