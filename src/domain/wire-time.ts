/**
 * Formats an instant the way the wire carries times *(family)*: `yyyy-MM-dd HH:mm:ss` in UTC,
 * as in `successTime` of notifications and queries.
 */
export function formatWireTime(instant: Date): string {
  if (Number.isNaN(instant.getTime())) throw new RangeError('cannot format an invalid date');
  // toISOString is always UTC, yyyy-MM-ddTHH:mm:ss.sssZ for years 0000–9999.
  return instant.toISOString().slice(0, 19).replace('T', ' ');
}
