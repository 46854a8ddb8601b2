import type { FastifyBaseLogger, FastifyRequest } from 'fastify';

/**
 * A client that hung up or timed out while sending its request: nothing we did wrong and nobody
 * to answer. Logged at info, without a stack, so that nobody can flood the error log by hanging up.
 */
export function isClientGone(error: unknown, request: FastifyRequest): boolean {
  const code = (error as { code?: string } | null)?.code ?? '';
  if (['ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE', 'FST_ERR_CTP_INVALID_CONTENT_LENGTH'].includes(code)) {
    return request.raw.destroyed || request.raw.aborted || code !== 'FST_ERR_CTP_INVALID_CONTENT_LENGTH';
  }
  return (error as Error | null)?.message === 'aborted' || request.raw.aborted;
}

export function logClientGone(log: FastifyBaseLogger, error: unknown, request: FastifyRequest) {
  log.info({ url: request.url.split('?')[0], reason: (error as { code?: string; message?: string }).code ?? (error as Error).message }, 'client hung up before its request was read');
}
