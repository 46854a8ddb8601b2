import type { CardFieldError } from '../domain/card.ts';
import type { FieldError } from './templates/payment-page.ts';

/** The domain's reasons, in the words the page has sentences for. */
const PAGE_REASON: Record<CardFieldError['reason'], FieldError> = {
  'card.required': { field: 'number', reason: 'card.required' },
  'card.format': { field: 'number', reason: 'card.format' },
  'card.length': { field: 'number', reason: 'card.format' },
  'card.brand': { field: 'number', reason: 'card.brand' },
  'card.luhn': { field: 'number', reason: 'card.luhn' },
  'expiry.required': { field: 'expiry', reason: 'expiry.format' },
  'expiry.format': { field: 'expiry', reason: 'expiry.format' },
  'expiry.month': { field: 'expiry', reason: 'expiry.format' },
  'expiry.past': { field: 'expiry', reason: 'expiry.past' },
  'cvc.required': { field: 'cvc', reason: 'cvc.format' },
  'cvc.format': { field: 'cvc', reason: 'cvc.format' },
  'holder.required': { field: 'holder', reason: 'name.required' },
  'holder.length': { field: 'holder', reason: 'name.format' },
  'holder.control': { field: 'holder', reason: 'name.format' },
};

export const pageErrors = (errors: readonly CardFieldError[]): FieldError[] => errors.map((error) => PAGE_REASON[error.reason]);
