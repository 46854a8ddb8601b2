import type { Migration } from 'kysely';
import * as core from './0001-core.ts';
import * as jobs from './0002-jobs.ts';
import * as payments from './0003-payments.ts';
import * as simulator from './0004-simulator.ts';
import * as refunds from './0005-refunds.ts';
import * as ledger from './0006-ledger.ts';
import * as dashboard from './0007-dashboard.ts';
import * as statusSet from './0008-status-set.ts';
import * as statusDesc from './0010-status-desc.ts';
import * as notifyListen from './0024-notify-listen.ts';
import * as orderIndexes from './0025-order-indexes.ts';
import * as auditLog from './0026-audit-log.ts';
import * as consoleUsers from './0027-console-users.ts';
import * as consoleTotp from './0028-console-totp.ts';
import * as consoleIndexes from './0030-console-indexes.ts';
import * as partitionOrders from './0033-partition-orders.ts';
import * as partitionLogs from './0034-partition-logs.ts';
import * as consoleRoles from './0037-console-roles.ts';
import * as connectorNames from './0041-connector-names.ts';
import * as logKeysServeReads from './0042-log-keys-serve-reads.ts';
import * as cardTestingSlots from './0036-card-testing-slots.ts';
import * as payouts from './0020-payouts.ts';
import * as loginThrottle from './0012-login-throttle.ts';
import * as rotationReceipts from './0013-rotation-receipts.ts';
import * as processors from './0016-processors.ts';
import * as processorEventMatch from './0035-processor-event-match.ts';
import * as disputes from './0038-disputes.ts';
import * as orderFailedAttempts from './0040-order-failed-attempts.ts';
import * as cardsOnFile from './0039-cards-on-file.ts';

/** Every migration, in order. Names are permanent: they are recorded in the database. */
export const migrations: Record<string, Migration> = {
  '0001-core': core,
  '0002-jobs': jobs,
  '0003-payments': payments,
  '0004-simulator': simulator,
  '0005-refunds': refunds,
  '0006-ledger': ledger,
  '0007-dashboard': dashboard,
  '0008-status-set': statusSet,
  '0010-status-desc': statusDesc,
  '0012-login-throttle': loginThrottle,
  '0013-rotation-receipts': rotationReceipts,
  '0016-processors': processors,
  '0020-payouts': payouts,
  '0024-notify-listen': notifyListen,
  '0025-order-indexes': orderIndexes,
  '0026-audit-log': auditLog,
  '0027-console-users': consoleUsers,
  '0028-console-totp': consoleTotp,
  '0030-console-indexes': consoleIndexes,
  '0033-partition-orders': partitionOrders,
  '0034-partition-logs': partitionLogs,
  '0037-console-roles': consoleRoles,
  '0035-processor-event-match': processorEventMatch,
  '0036-card-testing-slots': cardTestingSlots,
  '0041-connector-names': connectorNames,
  '0038-disputes': disputes,
  '0040-order-failed-attempts': orderFailedAttempts,
  '0039-cards-on-file': cardsOnFile,
  '0042-log-keys-serve-reads': logKeysServeReads,
};
