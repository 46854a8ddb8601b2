/**
 * Durable jobs: what kind of work, and where it stands. Mirrored by the CHECK constraints
 * on `jobs` (migrations 0002, 0038).
 *
 *   pending ──finish──► done
 *           ──giveUp──► failed      (the retry schedule is exhausted)
 *           ──retry───► pending     (later run_at)
 *   any     ──requeue─► pending     (resend: a fresh schedule)
 * A worker moves a job only while it holds the job's lease (compare-and-set on the lease).
 */
export const JobKind = {
  /** A signed POST to the merchant's notifyUrl. */
  Notify: 'notify',
  /** The customer's receipt. */
  Email: 'email',
  /** The simulator opens a dispute on a payment made with one of its dispute cards (docs/api.md, "Test cards"). */
  SimulatorDispute: 'simulator_dispute',
} as const;

export type JobKind = (typeof JobKind)[keyof typeof JobKind];

export const JobStatus = {
  /** Due at run_at; claimed by one worker at a time through its lease. */
  Pending: 'pending',
  /** Delivered. Final until an operator or the merchant asks for a resend. */
  Done: 'done',
  /** The schedule ran out. Final until a resend. */
  Failed: 'failed',
} as const;

export type JobStatus = (typeof JobStatus)[keyof typeof JobStatus];
