import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_NOTIFY_SCHEDULE,
  formatNotifySchedule,
  nextAttemptAt,
  parseNotifySchedule,
  type NotifySchedule,
} from './schedule.ts';

const SECOND = 1_000;
const HOUR = 3_600_000;

describe('parsing NOTIFY_SCHEDULE', () => {
  it('reads the default as 8 retries: 2 s, 5 s, 10 s, 30 s, 1 h, 3 h, 3 h, 3 h', () => {
    expect(DEFAULT_NOTIFY_SCHEDULE).toEqual([2 * SECOND, 5 * SECOND, 10 * SECOND, 30 * SECOND, HOUR, 3 * HOUR, 3 * HOUR, 3 * HOUR]);
  });

  it('understands ms, s, m and h, and spaces around commas', () => {
    expect(parseNotifySchedule('250ms, 1s ,2m,1h')).toEqual([250, SECOND, 120 * SECOND, HOUR]);
    expect(parseNotifySchedule('0s')).toEqual([0]);
  });

  it('refuses anything else with a message that names the variable and the entry', () => {
    expect(() => parseNotifySchedule('')).toThrow(/^NOTIFY_SCHEDULE must list at least one delay/);
    expect(() => parseNotifySchedule('2s,,5s')).toThrow(/NOTIFY_SCHEDULE: entry 2 ""/);
    for (const bad of ['2', '2x', '1d', '-1s', '1.5s', '2 s', 's', '1h,3']) {
      expect(() => parseNotifySchedule(bad), bad).toThrow(/NOTIFY_SCHEDULE/);
    }
    expect(() => parseNotifySchedule('soon', 'MY_SCHEDULE')).toThrow(/^MY_SCHEDULE: entry 1 "soon"/);
  });

  it('gives a schedule that cannot be changed afterwards', () => {
    expect(Object.isFrozen(parseNotifySchedule('1s'))).toBe(true);
  });
});

describe('when the next attempt is due', () => {
  const first = new Date('2025-01-01T00:00:00Z');

  it('waits 2 s after the first attempt, 5 s after the second, and stops after the ninth', () => {
    expect(nextAttemptAt(1, first, DEFAULT_NOTIFY_SCHEDULE)).toEqual(new Date('2025-01-01T00:00:02Z'));
    expect(nextAttemptAt(2, first, DEFAULT_NOTIFY_SCHEDULE)).toEqual(new Date('2025-01-01T00:00:05Z'));
    expect(nextAttemptAt(8, first, DEFAULT_NOTIFY_SCHEDULE)).toEqual(new Date('2025-01-01T03:00:00Z'));
    expect(nextAttemptAt(9, first, DEFAULT_NOTIFY_SCHEDULE)).toBeNull();
  });

  it('spreads the default schedule over about ten hours when every wait is taken in full', () => {
    let at = first;
    let attempts = 1;
    for (let next = nextAttemptAt(attempts, at, DEFAULT_NOTIFY_SCHEDULE); next; next = nextAttemptAt(attempts, at, DEFAULT_NOTIFY_SCHEDULE)) {
      at = next;
      attempts += 1;
    }
    expect(attempts).toBe(9);
    expect(at.getTime() - first.getTime()).toBe(10 * HOUR + 47 * SECOND);
  });

  it('refuses an attempt count below one', () => {
    expect(() => nextAttemptAt(0, first, DEFAULT_NOTIFY_SCHEDULE)).toThrow(RangeError);
    expect(() => nextAttemptAt(1.5, first, DEFAULT_NOTIFY_SCHEDULE)).toThrow(RangeError);
  });
});

const delay = fc.oneof(
  fc.integer({ min: 0, max: 999_999_999 }),
  fc.integer({ min: 0, max: 999_999 }).map((n) => n * SECOND),
  fc.integer({ min: 0, max: 9_999 }).map((n) => n * HOUR),
);
const schedules: fc.Arbitrary<NotifySchedule> = fc.array(delay, { minLength: 1, maxLength: 20 });

describe('schedule properties', () => {
  it('a schedule written back and parsed again is the same schedule', () => {
    fc.assert(
      fc.property(schedules, (schedule) => {
        expect(parseNotifySchedule(formatNotifySchedule(schedule))).toEqual(schedule);
      }),
    );
  });

  it('gives exactly one retry per entry, each its entry after the last attempt, then null', () => {
    fc.assert(
      fc.property(schedules, fc.date({ noInvalidDate: true, min: new Date(0), max: new Date('2100-01-01') }), (schedule, last) => {
        schedule.forEach((wait, index) => {
          expect(nextAttemptAt(index + 1, last, schedule)?.getTime()).toBe(last.getTime() + wait);
        });
        expect(nextAttemptAt(schedule.length + 1, last, schedule)).toBeNull();
      }),
    );
  });

  it('never schedules an attempt before the last one', () => {
    fc.assert(
      fc.property(schedules, fc.integer({ min: 1, max: 30 }), (schedule, attempts) => {
        const last = new Date(1_700_000_000_000);
        const next = nextAttemptAt(attempts, last, schedule);
        if (next !== null) expect(next.getTime()).toBeGreaterThanOrEqual(last.getTime());
      }),
    );
  });
});
