import { html } from '../../web/html.ts';
import type { Overview, OverviewRange } from '../../store/console/console-overview.ts';
import { barList, columnChart, stackedBar, type StackPart } from './charts.ts';
import { formatMoney, formatTime } from './format.ts';
import { formatAmount, signedCents } from '../../domain/money.ts';
import { layout } from './layout.ts';

export interface OverviewPageInput {
  admin: { email: string; csrfToken: string };
  range: OverviewRange;
  overview: Overview;
}

const RANGE_LABELS: Readonly<Record<OverviewRange, string>> = { today: 'Today', '7d': '7 days', '30d': '30 days' };

const count = (value: number, one: string, many = `${one}s`) => `${value} ${value === 1 ? one : many}`;

/** Approved over every attempt that got an answer, as a percentage with one decimal; a dash for none. */
export function approvalRate(row: { approved: number; declined: number; errors: number }): string {
  const decided = row.approved + row.declined + row.errors;
  return decided === 0 ? '—' : `${((row.approved / decided) * 100).toFixed(1)}%`;
}

const tile = (label: string, figure: string, detail = '') => html`<div class="tile"><div class="muted">${label}</div><div class="figure">${figure}</div>${detail && html`<div class="muted">${detail}</div>`}</div>`;

const legend = (parts: StackPart[]) => html`<ul class="legend">${parts.map((p) => html`<li><span class="swatch ${p.tone}"></span>${p.label}: ${p.text}</li>`)}</ul>`;

export function renderOverviewPage({ admin, range, overview }: OverviewPageInput): string {
  const o = overview;
  const total = o.acquirers.reduce((sum, a) => ({ approved: sum.approved + a.approved, declined: sum.declined + a.declined, errors: sum.errors + a.errors }), { approved: 0, declined: 0, errors: 0 });
  const attemptParts = (a: { approved: number; declined: number; errors: number }): StackPart[] => [
    { label: 'Approved', value: a.approved, text: count(a.approved, 'attempt'), tone: 'good' },
    { label: 'Declined', value: a.declined, text: count(a.declined, 'attempt'), tone: 'bad' },
    { label: 'Errors', value: a.errors, text: count(a.errors, 'attempt'), tone: 'open' },
  ];
  const health: StackPart[] = [
    { label: 'Delivered', value: o.notifications.delivered, text: String(o.notifications.delivered), tone: 'good' },
    { label: 'Retrying', value: o.notifications.retrying, text: String(o.notifications.retrying), tone: 'open' },
    { label: 'Waiting for a first try', value: o.notifications.waiting, text: String(o.notifications.waiting), tone: 'muted' },
    { label: 'Failed', value: o.notifications.failed, text: String(o.notifications.failed), tone: 'bad' },
  ];
  const ranges = (Object.keys(RANGE_LABELS) as OverviewRange[]).map((r) =>
    r === range ? html`<a href="/dashboard/overview?range=${r}" aria-current="page">${RANGE_LABELS[r]}</a>` : html`<a href="/dashboard/overview?range=${r}">${RANGE_LABELS[r]}</a>`,
  );
  const hasPayouts = o.payouts.paid + o.payouts.processing + o.payouts.failed > 0;
  return layout({
    title: 'Overview',
    admin: { ...admin, section: 'overview' },
    body: html`<h1>Overview</h1>
<nav class="ranges" aria-label="Period">${ranges}</nav>
<p class="muted">Since ${formatTime(o.since)} UTC: orders, attempts and notifications created in the period. An order is one purchase; each card the customer tries on it is an attempt, so one order can have several declined attempts and still be paid.</p>
<div class="tiles">
${tile('Gross volume', formatMoney(o.orders.paidCents), count(o.orders.paid, 'paid order'))}
${tile('Net volume', formatMoney(signedCents(o.orders.paidCents - o.refunds.succeededCents)), `gross less ${formatMoney(o.refunds.succeededCents)} refunded`)}
${tile('Orders', String(o.orders.count), `${o.orders.paid} paid, ${o.orders.failed} failed after every attempt, ${o.orders.count - o.orders.paid - o.orders.failed} open, expired or closed`)}
${tile('Card attempts', String(total.approved + total.declined + total.errors), `${total.approved} approved, ${total.declined} declined, ${total.errors} errors`)}
${tile('Approval rate', approvalRate(total), `${total.approved} of ${total.approved + total.declined + total.errors} attempts`)}
${tile('Refunds', formatMoney(o.refunds.succeededCents), `${count(o.refunds.succeeded, 'refund')}${o.refunds.processing ? `, ${o.refunds.processing} processing` : ''}${o.refunds.failed ? `, ${o.refunds.failed} failed` : ''}`)}
${tile('Disputes open', formatMoney(o.disputes.openCents), `${count(o.disputes.open, 'open dispute')}, held from the balance`)}
${tile('Dispute win rate', o.disputes.won + o.disputes.lost ? `${Math.round((100 * o.disputes.won) / (o.disputes.won + o.disputes.lost))}%` : '–', `${o.disputes.won} won, ${o.disputes.lost} lost in the period`)}
${hasPayouts && tile('Payouts', formatMoney(o.payouts.paidCents), `${count(o.payouts.paid, 'payout')} paid${o.payouts.processing ? `, ${o.payouts.processing} processing` : ''}${o.payouts.failed ? `, ${o.payouts.failed} failed` : ''}`)}
</div>
<section class="panel"><h2>Volume per ${o.bucket}</h2>
${columnChart(
  `Paid volume per ${o.bucket}`,
  o.series.map((p) => ({ label: p.label, value: p.paidCents, text: `${count(p.paid, 'payment')}, ${formatMoney(p.paidCents)}` })),
  { x: o.bucket === 'hour' ? 'Hour of the day (UTC)' : 'Day (UTC)', y: 'Paid volume (USD)', tick: (cents) => formatAmount(signedCents(Math.round(cents))) },
)}
</section>
<section class="panel"><h2>Approvals${o.acquirers.length > 1 && ' per acquirer'}</h2>
${
  o.acquirers.length === 0
    ? html`<p class="muted">No payment attempts in this period.</p>`
    : o.acquirers.length === 1
      ? html`${stackedBar(`Attempts: ${approvalRate(total)} approved`, attemptParts(total))}${legend(attemptParts(total))}`
      : o.acquirers.map((a) => html`<h3>${a.acquirer} · ${approvalRate(a)} approved</h3>${stackedBar(`Attempts through ${a.acquirer}: ${approvalRate(a)} approved`, attemptParts(a))}${legend(attemptParts(a))}`)
}
</section>
<section class="panel"><h2>Declines by reason</h2>
${o.declines.length === 0 ? html`<p class="muted">No declines in this period.</p>` : barList('Declined attempts by reason', o.declines.map((d) => ({ label: d.reason, value: d.count, text: String(d.count) })))}
</section>
<section class="panel"><h2>Notification health</h2>
${stackedBar('Notifications queued in the period, by where they stand', health)}
${legend(health)}
${o.notifications.retrying + o.notifications.failed > 0 && html`<p><a href="/dashboard/notifications">See the notifications not acknowledged</a></p>`}
</section>`,
  });
}
