// charts.js — the interface's charts, drawn as inline SVG by this code (no library). Every chart
// is a <figure> with a caption, an SVG with role="img", a <title> and a <desc> summarising it,
// and the same numbers as a table under "Data table" for screen readers and copying. Bars that
// lead somewhere are SVG links, reachable with the keyboard.

import { h, s, newId } from './dom.js';

// Geometry in CSS pixels: the SVG is drawn at its natural width (text stays 12 px) and only
// shrinks on narrow screens. opts.wide draws a full-width chart.
const ROW = 26;       // row height
const VALUE_W = 90;   // value column on the right
let W = 560;
let LABEL_W = 230;    // label column
let CLIP = 34;        // characters of a label shown (the full label is in its <title>)
let PLOT_W = W - LABEL_W - VALUE_W - 10;

function setWidth(opts) {
  const wide = opts && opts.wide;
  W = wide ? 1040 : 560;
  LABEL_W = wide ? 380 : 230;
  CLIP = wide ? 58 : 34;
  PLOT_W = W - LABEL_W - VALUE_W - 10;
}

function clip(text, n) {
  const t = String(text);
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
}

function frame(title, desc, height, body, table, extraClass) {
  const tid = newId('chart-t');
  const did = newId('chart-d');
  const svg = s('svg', {
    viewBox: `0 0 ${W} ${height}`, width: W, height, role: 'img', 'aria-labelledby': `${tid} ${did}`,
    class: 'chart', preserveAspectRatio: 'xMinYMin meet',
  }, s('title', { id: tid }, title), s('desc', { id: did }, desc), body);
  return h('figure', { class: `chart-fig ${extraClass || ''}` },
    h('figcaption', {}, title),
    svg,
    h('details', { class: 'chart-data' }, h('summary', {}, 'Data table'), table));
}

function dataTable(caption, head, rows) {
  return h('table', { class: 'data' },
    h('caption', { class: 'sr-only' }, caption),
    h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c, i) =>
      (i === 0 ? h('th', { scope: 'row' }, c) : h('td', {}, c)))))));
}

function linkWrap(href, label, node) {
  if (!href) return node;
  return s('a', { href, 'aria-label': label, class: 'bar-link' }, node);
}

function empty(title, msg) {
  return h('figure', { class: 'chart-fig' }, h('figcaption', {}, title), h('p', { class: 'muted' }, msg));
}

/**
 * Horizontal bar chart. data: [{label, value, href?, title?}]; fmt formats a value.
 * opts.max fixes the scale; opts.marker draws a reference line at that value with opts.markerLabel.
 */
export function barChart(title, data, opts = {}) {
  const fmt = opts.fmt || ((v) => String(v));
  setWidth(opts);
  if (!data.length) return empty(title, opts.emptyText || 'No data for this view.');
  const max = opts.max || Math.max(1, ...data.map((d) => d.value || 0));
  const top = 8;
  const height = top + data.length * ROW + 8;
  const g = s('g', {});
  data.forEach((d, i) => {
    const y = top + i * ROW;
    const w = Math.max(d.value > 0 ? 2 : 0, (PLOT_W * (d.value || 0)) / max);
    const label = `${d.label}: ${fmt(d.value)}`;
    g.append(
      s('text', { x: LABEL_W - 8, y: y + ROW / 2 + 4, class: 'lbl', 'text-anchor': 'end' },
        s('title', {}, d.title || d.label), clip(d.label, CLIP)),
      s('rect', { x: LABEL_W, y: y + 4, width: PLOT_W, height: ROW - 8, class: 'track' }),
      linkWrap(d.href, label,
        s('rect', { x: LABEL_W, y: y + 4, width: w, height: ROW - 8, class: `bar ${d.cls || ''}` },
          s('title', {}, label))),
      s('text', { x: LABEL_W + PLOT_W + 8, y: y + ROW / 2 + 4, class: 'val' }, fmt(d.value)));
  });
  if (opts.marker !== undefined && opts.marker <= max) {
    const x = LABEL_W + (PLOT_W * opts.marker) / max;
    g.append(s('line', { x1: x, x2: x, y1: 2, y2: height - 4, class: 'marker' },
      s('title', {}, opts.markerLabel || '')));
  }
  const sorted = [...data].sort((a, b) => (b.value || 0) - (a.value || 0));
  const desc = opts.desc || `${data.length} bars. Largest: ${sorted.slice(0, 3)
    .map((d) => `${d.label} ${fmt(d.value)}`).join('; ')}.`;
  const table = dataTable(title, [opts.labelHead || 'Group', opts.valueHead || 'Value'],
    data.map((d) => [d.href ? h('a', { href: d.href }, d.label) : d.label, fmt(d.value)]));
  return frame(title, desc, height, g, table);
}

/**
 * Time-in-stage chart: per row a bar to the median, a whisker to the 95th percentile and a tick
 * at the target. rows: [{label, median, p95, target, completed, href?}], all in milliseconds.
 */
export function rangeChart(title, rows, fmt, opts = {}) {
  const data = rows.filter((r) => r.median !== null && r.median !== undefined);
  setWidth(opts);
  if (!data.length) return empty(title, opts.emptyText || 'No stage has been completed yet.');
  const max = Math.max(1, ...data.map((r) => Math.max(r.p95 || 0, r.target || 0)));
  const top = 24;
  const height = top + data.length * ROW + 8;
  const x = (v) => LABEL_W + (PLOT_W * v) / max;
  const g = s('g', {},
    s('rect', { x: LABEL_W, y: 4, width: 12, height: 10, class: 'bar' }),
    s('text', { x: LABEL_W + 16, y: 13, class: 'legend' }, 'median'),
    s('line', { x1: LABEL_W + 80, x2: LABEL_W + 104, y1: 9, y2: 9, class: 'whisker' }),
    s('text', { x: LABEL_W + 108, y: 13, class: 'legend' }, '95th percentile'),
    s('line', { x1: LABEL_W + 220, x2: LABEL_W + 220, y1: 3, y2: 15, class: 'target' }),
    s('text', { x: LABEL_W + 226, y: 13, class: 'legend' }, 'target'));
  data.forEach((r, i) => {
    const y = top + i * ROW;
    const mid = y + ROW / 2;
    const label = `${r.label}: median ${fmt(r.median)}, 95th percentile ${fmt(r.p95)}, target ${fmt(r.target)}, ${r.completed} completed`;
    g.append(
      s('text', { x: LABEL_W - 8, y: mid + 4, class: 'lbl', 'text-anchor': 'end' },
        s('title', {}, r.label), clip(r.label, CLIP)),
      s('line', { x1: x(r.median), x2: x(r.p95), y1: mid, y2: mid, class: 'whisker' }),
      s('line', { x1: x(r.p95), x2: x(r.p95), y1: mid - 5, y2: mid + 5, class: 'whisker' }),
      linkWrap(r.href, label, s('rect', {
        x: LABEL_W, y: y + 6, width: Math.max(2, x(r.median) - LABEL_W), height: ROW - 12,
        class: `bar ${r.median > r.target ? 'over' : ''}`,
      }, s('title', {}, label))),
      r.target ? s('line', { x1: x(r.target), x2: x(r.target), y1: y + 2, y2: y + ROW - 2, class: 'target' }) : null,
      s('text', { x: LABEL_W + PLOT_W + 8, y: mid + 4, class: 'val' }, fmt(r.median)));
  });
  const over = data.filter((r) => r.median > r.target).map((r) => r.label);
  const desc = `Median and 95th-percentile time in ${data.length} stages. ${over.length
    ? `Median above target in: ${over.join(', ')}.` : 'Every median is within its target.'}`;
  const table = dataTable(title, ['Stage', 'Median', '95th percentile', 'Target', 'Completed'],
    data.map((r) => [r.href ? h('a', { href: r.href }, r.label) : r.label, fmt(r.median), fmt(r.p95), fmt(r.target), String(r.completed)]));
  return frame(title, desc, height, g, table);
}

/**
 * Diverging bars around zero: [{label, value, note?}] (e.g. contributions to a score in
 * log-odds). Positive bars go right, negative left.
 */
export function divergingChart(title, data, fmt, opts = {}) {
  setWidth(opts);
  if (!data.length) return empty(title, 'Nothing to show.');
  const lim = Math.max(0.5, ...data.map((d) => Math.abs(d.value)));
  const top = 8;
  const height = top + data.length * ROW + 8;
  const zero = LABEL_W + PLOT_W / 2;
  const g = s('g', {}, s('line', { x1: zero, x2: zero, y1: 2, y2: height - 2, class: 'axis' }));
  data.forEach((d, i) => {
    const y = top + i * ROW;
    const w = (PLOT_W / 2) * (Math.abs(d.value) / lim);
    g.append(
      s('text', { x: LABEL_W - 8, y: y + ROW / 2 + 4, class: 'lbl', 'text-anchor': 'end' }, clip(d.label, CLIP)),
      s('rect', { x: d.value >= 0 ? zero : zero - w, y: y + 5, width: Math.max(1, w), height: ROW - 10,
        class: `bar ${d.value >= 0 ? 'pos' : 'neg'}` }, s('title', {}, `${d.label}: ${fmt(d.value)}${d.note ? ` (${d.note})` : ''}`)),
      s('text', { x: LABEL_W + PLOT_W + 8, y: y + ROW / 2 + 4, class: 'val' }, fmt(d.value)));
  });
  const desc = opts.desc || data.map((d) => `${d.label} ${fmt(d.value)}`).join('; ');
  const table = dataTable(title, ['Feature', 'Contribution', 'Detail'],
    data.map((d) => [d.label, fmt(d.value), d.note || '']));
  return frame(title, desc, height, g, table, 'compact');
}
