import { PayrailApiError, PayrailClient, type Notification } from '../sdk/index.ts';

export interface ForwardOptions {
  gatewayUrl: string;
  merchantNo: string;
  appSecret: string;
  forwardTo: string;
  /** One line per event, for the terminal. */
  print(line: string): void;
  signal: AbortSignal;
  waitSeconds?: number;
}

const FORWARD_TIMEOUT_MS = 10_000;
const PAUSE_AFTER_NETWORK_ERROR_MS = 2_000;

interface Listened {
  cursor: string;
  notifications: Notification[];
}

/**
 * `payrail listen --forward-to URL`: long-polls the gateway's `POST /v1/notify/listen` as the
 * merchant (a signed call, like any other) and POSTs each notification, exactly as the gateway
 * built and signed it, to a local URL. Runs until `signal` aborts; a refused call (a wrong
 * secret, say) ends it with that error.
 */
export async function forwardNotifications(options: ForwardOptions): Promise<void> {
  const client = new PayrailClient({
    baseUrl: options.gatewayUrl,
    merchantNo: options.merchantNo,
    appSecret: options.appSecret,
    timeoutMs: ((options.waitSeconds ?? 20) + 15) * 1000,
  });
  // A first call that does not wait fixes the starting point: what is queued from now on.
  let { cursor } = await client.call<Listened>('/v1/notify/listen', { waitSeconds: '0' });
  options.print(`Ready: forwarding the notifications of merchant ${options.merchantNo} from ${options.gatewayUrl} to ${options.forwardTo} (Ctrl-C to stop)`);
  while (!options.signal.aborted) {
    let answer: Listened;
    try {
      answer = await client.call<Listened>('/v1/notify/listen', { cursor, waitSeconds: String(options.waitSeconds ?? 20) });
    } catch (error) {
      if (error instanceof PayrailApiError || options.signal.aborted) throw error;
      options.print(`gateway unreachable (${(error as Error).message}); trying again`);
      await new Promise((resolve) => setTimeout(resolve, PAUSE_AFTER_NETWORK_ERROR_MS));
      continue;
    }
    cursor = answer.cursor;
    for (const notification of answer.notifications) options.print(await forward(options.forwardTo, notification));
  }
}

async function forward(url: string, notification: Notification): Promise<string> {
  const what = `${notification.notifyType} ${notification.tradeNo}${notification.refundNo ? ` ${notification.refundNo}` : ''} ${notification.status} ${notification.message} [${notification.notifyId}]`;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'Payrail-Listen/1' },
      body: JSON.stringify(notification),
      redirect: 'manual',
      signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
    });
    const text = (await response.text()).slice(0, 60).replace(/\s+/g, ' ').trim();
    return `${what} → ${response.status} ${text}`;
  } catch (error) {
    return `${what} → failed: ${(error as Error).message}`;
  }
}
