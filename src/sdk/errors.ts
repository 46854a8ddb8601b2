/** The gateway answered with a business code other than `0000` (see docs/errors.md). */
export class PayrailApiError extends Error {
  override readonly name = 'PayrailApiError';
  constructor(
    /** The business code, such as `8001` or `8009`. */
    readonly code: string,
    /** The gateway's `msg`, naming the field or rule that failed. */
    message: string,
    /** The HTTP status it came with (200 for most business errors). */
    readonly httpStatus: number,
  ) {
    super(`${code}: ${message}`);
  }

  /** Where docs/errors.md explains this code. */
  get docs(): string {
    return `docs/errors.md#${this.code}`;
  }
}

/** No answer could be had: a connection error, a timeout, or something that is not an envelope. */
export class PayrailNetworkError extends Error {
  override readonly name = 'PayrailNetworkError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A notification or return URL whose `sign` does not match any of the given secrets. */
export class PayrailSignatureError extends Error {
  override readonly name = 'PayrailSignatureError';
}
