import { html, type SafeHtml } from '../../web/html.ts';

/**
 * Small charts as inline SVG: drawn on the server, no script, nothing fetched, styled by our
 * stylesheet (classes, no style attributes, so the CSP's `style-src 'self'` holds). Each is an
 * image to assistive technology whose <title> names it and whose <desc> reads out every number;
 * each bar's own <title> shows its number on hover.
 */

export interface ChartPoint {
  label: string;
  value: number;
  /** The value as people read it: "12 payments, 340.00 USD". */
  text: string;
}

/** The id its title and desc are referred to by, from its title (titles differ within a page). */
const chartId = (title: string) => `chart-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;

/** Drawn in a 1000-unit-wide box, so 11-unit text reads at about 12px in the console's main column. */
const W = 1000;

/** What a column chart's axes say: their titles, and how a value on the y-axis reads. */
export interface ColumnAxes {
  /** "Hour of the day (UTC)", "Day (UTC)". */
  x: string;
  /** "Paid volume (USD)". */
  y: string;
  /** A y-axis value as its tick reads: "120.00". */
  tick: (value: number) => string;
}

/** At most this many x labels, so they never run into each other. */
const MAX_X_LABELS = 12;

/**
 * Vertical bars over time (the volume chart), with a y-axis (0, half, top, each labelled), a
 * label under every bar or every few bars, and both axes titled.
 */
export function columnChart(title: string, points: ChartPoint[], axes: ColumnAxes): SafeHtml {
  const id = chartId(title);
  const left = 90;
  const top = 26;
  const height = 140;
  const bottom = top + height;
  const max = Math.max(1, ...points.map((p) => p.value));
  const step = (W - left) / Math.max(1, points.length);
  const bars = points.map((point, i) => {
    const h = Math.round((point.value / max) * height);
    return html`<rect class="bar" x="${(left + i * step + 1).toFixed(1)}" y="${bottom - h}" width="${Math.max(1, step - 2).toFixed(1)}" height="${h}"><title>${point.label}: ${point.text}</title></rect>`;
  });
  const every = Math.max(1, Math.ceil(points.length / MAX_X_LABELS));
  const xLabels = points.map((point, i) =>
    i % every === 0 ? html`<text class="tick middle" x="${(left + (i + 0.5) * step).toFixed(1)}" y="${bottom + 14}">${point.label}</text>` : html``,
  );
  const yTicks = [0, max / 2, max].map(
    (value) =>
      html`<line class="grid" x1="${left}" y1="${(bottom - (value / max) * height).toFixed(1)}" x2="${W}" y2="${(bottom - (value / max) * height).toFixed(1)}"></line><text class="tick end" x="${left - 6}" y="${(bottom - (value / max) * height + 4).toFixed(1)}">${axes.tick(value)}</text>`,
  );
  return html`<svg class="chart" viewBox="0 0 ${W} ${bottom + 34}" role="img" aria-labelledby="${id}-t ${id}-d">
<title id="${id}-t">${title}</title>
<desc id="${id}-d">${axes.y} by ${axes.x.toLowerCase()}: ${points.map((p) => `${p.label}: ${p.text}`).join('; ')}</desc>
${yTicks}
<line class="axis" x1="${left}" y1="${top}" x2="${left}" y2="${bottom}"></line>
<line class="axis" x1="${left}" y1="${bottom}" x2="${W}" y2="${bottom}"></line>
${bars}
${xLabels}
<text class="axis-title" x="${left + (W - left) / 2}" y="${bottom + 31}">${axes.x}</text>
<text class="axis-title start" x="0" y="12">${axes.y}</text>
</svg>`;
}

/** Horizontal bars, one per row, scaled to the largest (declines by reason). */
export function barList(title: string, rows: ChartPoint[]): SafeHtml {
  const id = chartId(title);
  const rowHeight = 22;
  const max = Math.max(1, ...rows.map((r) => r.value));
  const labelWidth = 300;
  const bars = rows.map((row, i) => {
    const w = Math.round((row.value / max) * (W - labelWidth - 90));
    const y = i * rowHeight;
    return html`<text class="label" x="0" y="${y + 15}">${row.label}</text><rect class="bar bad" x="${labelWidth}" y="${y + 4}" width="${Math.max(1, w)}" height="${rowHeight - 8}"><title>${row.label}: ${row.text}</title></rect><text class="value" x="${labelWidth + w + 6}" y="${y + 15}">${row.text}</text>`;
  });
  return html`<svg class="chart" viewBox="0 0 ${W} ${Math.max(1, rows.length) * rowHeight}" role="img" aria-labelledby="${id}-t ${id}-d">
<title id="${id}-t">${title}</title>
<desc id="${id}-d">${rows.length ? rows.map((r) => `${r.label}: ${r.text}`).join('; ') : 'none'}</desc>
${bars}
</svg>`;
}

export interface StackPart extends ChartPoint {
  /** good, bad, open or muted: the stylesheet's colours. */
  tone: 'good' | 'bad' | 'open' | 'muted';
}

/** One bar split into parts of a whole (approvals of an acquirer, notification health). */
export function stackedBar(title: string, parts: StackPart[]): SafeHtml {
  const id = chartId(title);
  const total = parts.reduce((sum, p) => sum + p.value, 0);
  let x = 0;
  const segments = parts
    .filter((part) => part.value > 0)
    .map((part) => {
      const w = (part.value / total) * W;
      const segment = html`<rect class="bar ${part.tone}" x="${x.toFixed(1)}" y="0" width="${w.toFixed(1)}" height="18"><title>${part.label}: ${part.text}</title></rect>`;
      x += w;
      return segment;
    });
  return html`<svg class="chart stacked" viewBox="0 0 ${W} 18" role="img" aria-labelledby="${id}-t ${id}-d" preserveAspectRatio="none">
<title id="${id}-t">${title}</title>
<desc id="${id}-d">${parts.map((p) => `${p.label}: ${p.text}`).join('; ')}</desc>
${total === 0 ? html`<rect class="bar muted" x="0" y="0" width="${W}" height="18"><title>nothing yet</title></rect>` : segments}
</svg>`;
}
