/**
 * The customer as an acquirer knows them (Stripe Customer metadata, Adyen `shopperReference`):
 * the merchant's customer id under the merchant's number, so two merchants' customers of the same
 * id are never one shopper at the acquirer.
 */
export const customerReference = (merchantNo: string, customerId: string) => `${merchantNo}-${customerId}`;
