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

/** Who signs in to the console: an operator of the gateway, or a user of one merchant. */
export type ConsoleRole = 'operator' | 'merchant';

/** The console role an audit row records; `anonymous` for a login try that named no known user. */
export type AuditActorRole = ConsoleRole | 'anonymous';
