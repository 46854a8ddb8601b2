/**
 * When a failed notification is tried again (docs/api.md, "Asynchronous notification"; `NOTIFY_SCHEDULE` in README.md, "Configuration").
 *
 * A schedule is the list of waits between consecutive attempts: the first retry comes
 * `schedule[0]` after the first attempt, the second `schedule[1]` after the first retry, and
 * so on. With the default, a notification is tried 9 times (1 + 8 retries) over about 10 hours.
 */

export const DEFAULT_NOTIFY_SCHEDULE_TEXT = '2s,5s,10s,30s,1h,3h,3h,3h';

/** Waits in milliseconds between consecutive attempts; one entry per retry. */
export type NotifySchedule = readonly number[];

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
const DELAY = /^([0-9]{1,9})(ms|s|m|h)$/;

/**
 * Parses a schedule such as `2s,5s,10s,30s,1h,3h,3h,3h` (units ms, s, m, h; spaces around
 * commas allowed). Throws an Error whose message names the variable, for start-up to print.
 */
export function parseNotifySchedule(text: string, variable = 'NOTIFY_SCHEDULE'): NotifySchedule {
  const entries = text.split(',').map((entry) => entry.trim());
  if (entries.length === 1 && entries[0] === '') {
    throw new Error(`${variable} must list at least one delay, such as ${DEFAULT_NOTIFY_SCHEDULE_TEXT}`);
  }
  const delays = entries.map((entry, index) => {
    const match = DELAY.exec(entry);
    if (!match) {
      throw new Error(
        `${variable}: entry ${index + 1} "${entry}" is not a delay; write a whole number followed by ms, s, m or h, such as ${DEFAULT_NOTIFY_SCHEDULE_TEXT}`,
      );
    }
    return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  });
  return Object.freeze(delays);
}

export const DEFAULT_NOTIFY_SCHEDULE: NotifySchedule = parseNotifySchedule(DEFAULT_NOTIFY_SCHEDULE_TEXT);

/** Writes a schedule back in the form it is configured in, largest exact unit first. */
export function formatNotifySchedule(schedule: NotifySchedule): string {
  return schedule
    .map((ms) => {
      for (const unit of ['h', 'm', 's'] as const) {
        if (ms !== 0 && ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
      }
      return `${ms}ms`;
    })
    .join(',');
}

/**
 * When the next attempt is due, or null when the schedule is exhausted and the notification
 * should be marked failed (it can still be resent by hand).
 *
 * @param attemptsMade attempts made so far, including the first (1 after the first attempt).
 * @param lastAttemptAt when the last attempt ended; the wait counts from there, so a slow
 *   receiver that used the whole timeout still gets the full wait before the next try.
 */
export function nextAttemptAt(attemptsMade: number, lastAttemptAt: Date, schedule: NotifySchedule): Date | null {
  if (!Number.isSafeInteger(attemptsMade) || attemptsMade < 1) {
    throw new RangeError(`attemptsMade must be a whole number of at least 1, not ${attemptsMade}`);
  }
  const wait = schedule[attemptsMade - 1];
  if (wait === undefined) return null;
  return new Date(lastAttemptAt.getTime() + wait);
}
