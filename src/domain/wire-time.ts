/** `yyyy-MM-dd HH:mm:ss` in UTC, the family's time format on the wire. */
export function formatWireTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}
