import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics, one registry per gateway instance (tests run several in one process). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'payrail_' });
  return {
    registry,
    requestDuration: new Histogram({
      name: 'payrail_http_request_duration_seconds',
      help: 'HTTP request latency by route, method, HTTP status and business code',
      labelNames: ['route', 'method', 'status', 'code'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    ordersCreated: new Counter({
      name: 'payrail_orders_created_total',
      help: 'Orders created through the merchant API',
      registers: [registry],
    }),
    paymentAttempts: new Counter({
      name: 'payrail_payment_attempts_total',
      help: 'Payment attempt outcomes as recorded (approved, declined, error, challenge, unknown)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    acquirerCalls: new Counter({
      name: 'payrail_acquirer_calls_total',
      help: 'Acquirer calls by connector, operation (authorize, complete_challenge, query, refund, refund_query) and outcome (approved, declined, error, unknown, challenge, not_found, succeeded, failed)',
      labelNames: ['acquirer', 'operation', 'outcome'] as const,
      registers: [registry],
    }),
    acquirerLatency: new Histogram({
      name: 'payrail_acquirer_call_duration_seconds',
      help: 'Acquirer call latency by connector and operation',
      labelNames: ['acquirer', 'operation'] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    processorEvents: new Counter({
      name: 'payrail_processor_events_total',
      help: 'Verified processor webhook events by connector and result: settled, duplicate, ignored (names nothing of ours), mismatch (names our attempt or refund but not the payment we made: settled nothing), unreadable (signed but not understood)',
      labelNames: ['acquirer', 'result'] as const,
      registers: [registry],
    }),
    notificationAttempts: new Counter({
      name: 'payrail_notification_attempts_total',
      help: 'Notification delivery attempts by whether the merchant acknowledged them',
      labelNames: ['acknowledged'] as const,
      registers: [registry],
    }),
    listenWaiting: new Gauge({
      name: 'payrail_notify_listen_waiting',
      help: 'POST /v1/notify/listen calls on this node waiting for a notification',
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
