/**
 * Whose data a console request may see. An operator sees every merchant; a merchant user sees
 * only its own merchant. Store functions that serve the console take a scope and filter by it
 * in the query, so a template can never show what the scope does not allow.
 */
export type ConsoleScope = { readonly kind: 'all-merchants' } | { readonly kind: 'one-merchant'; readonly merchantNo: string };

export const ALL_MERCHANTS: ConsoleScope = Object.freeze({ kind: 'all-merchants' });

export const oneMerchant = (merchantNo: string): ConsoleScope => Object.freeze({ kind: 'one-merchant', merchantNo });

/** Whether `scope` may see records of `merchantNo`. */
export const scopeAllows = (scope: ConsoleScope, merchantNo: string): boolean =>
  scope.kind === 'all-merchants' || scope.merchantNo === merchantNo;

/** The one merchant the scope is limited to, or null for every merchant. */
export const scopedMerchant = (scope: ConsoleScope): string | null => (scope.kind === 'one-merchant' ? scope.merchantNo : null);

/**
 * Who signs in to the console: an operator of the gateway (every merchant), or a user of one
 * merchant: a `merchant-admin` (reads, exports, refunds, closes, rotates the secret, changes the
 * settings) or a `merchant-viewer` (reads and exports only).
 */
export type ConsoleRole = 'operator' | 'merchant-admin' | 'merchant-viewer';

/** Every console role, as the invite form and `payrail user create --role` offer them. */
export const CONSOLE_ROLES: readonly ConsoleRole[] = ['operator', 'merchant-admin', 'merchant-viewer'];

/** `merchant`, the one merchant role before viewers existed, still names a merchant-admin (scripts keep working). */
const ROLE_ALIASES: Readonly<Record<string, ConsoleRole>> = { merchant: 'merchant-admin' };

/** The role a typed name stands for (`merchant` is `merchant-admin`), or undefined for a name that is none. */
export const readConsoleRole = (name: string): ConsoleRole | undefined =>
  (CONSOLE_ROLES as readonly string[]).includes(name) ? (name as ConsoleRole) : ROLE_ALIASES[name];

/** A user of one merchant (either merchant role), as opposed to an operator. */
export const isMerchantRole = (role: ConsoleRole): boolean => role !== 'operator';

/** Whether the role may change anything (refund, close, resend, rotate, settings); a viewer reads and exports only. */
export const roleMayAct = (role: ConsoleRole): boolean => role !== 'merchant-viewer';

/** How a page names a role. */
export const ROLE_LABELS: Readonly<Record<ConsoleRole, string>> = {
  operator: 'Operator',
  'merchant-admin': 'Merchant admin',
  'merchant-viewer': 'Merchant viewer',
};

/**
 * The console role an audit row records; `anonymous` for a login try that named no known user,
 * and `merchant` on rows written before the merchant roles were split (the log is never rewritten).
 */
export type AuditActorRole = ConsoleRole | 'merchant' | 'anonymous';
