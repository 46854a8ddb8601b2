import { html, type SafeHtml } from '../../web/html.ts';
import type { MismatchedEvent } from '../../store/acquirer-events.ts';
import { formatTime } from './format.ts';

/**
 * The order page's "Processor events that did not match" block: signed events that named this
 * order's attempt or refund but not the payment we made (another payment id, amount or
 * currency). They settled nothing; an operator should look at the processor account. Nothing
 * when there are none.
 */
export function renderMismatchedEvents(events: MismatchedEvent[]): SafeHtml {
  if (events.length === 0) return html``;
  const rows = events.map(
    (event) => html`<tr><td>${formatTime(event.received_at)}</td><td>${event.acquirer}</td><td class="mono">${event.event_id}</td><td>${event.type}</td><td class="mono">${event.reference}</td><td>${(event.mismatch ?? []).map(
      (m, index) => html`${index > 0 ? html`<br>` : ''}${m.field}: expected <span class="mono">${m.expected}</span>, event says <span class="mono">${m.received ?? '(nothing)'}</span>`,
    )}</td></tr>`,
  );
  return html`<section aria-labelledby="mismatched-events"><h2 id="mismatched-events">Processor events that did not match</h2>
<p class="notice error">These signed events named this order but not the payment we made. They settled nothing; check the processor account for a payment someone else made with our reference.</p>
<table>
<thead><tr><th>Received (UTC)</th><th>Processor</th><th>Event</th><th>Type</th><th>Attempt or refund</th><th>What did not match</th></tr></thead>
<tbody>${rows}</tbody>
</table></section>`;
}
