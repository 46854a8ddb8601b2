/** Where a processor's 3-D Secure page sends the customer's browser back: the cashier. */
export const PROCESSOR_RETURN_PATH = '/checkout/return';

export const processorReturnUrl = (publicUrl: string, token: string) => `${publicUrl}${PROCESSOR_RETURN_PATH}?data=${encodeURIComponent(token)}`;
