/** The wire's statuses for merchant-side code: named in domain/wire-status.ts, which the SDK's build ships. */
export { WireStatus } from '../domain/wire-status.ts';
