// dom.js — small helpers to build DOM and SVG nodes. Text always goes in as text nodes (never
// as HTML), so names, titles and comments from the API cannot inject markup.

const SVG_NS = 'http://www.w3.org/2000/svg';

function put(el, attrs, kids, svg) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.setAttribute('class', v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (!svg && (k === 'value' || k === 'checked' || k === 'selected' || k === 'disabled'))
      el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of kids.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** h('p', {class: 'x'}, 'text', child, [more]) — an HTML element. */
export function h(tag, attrs, ...kids) {
  return put(document.createElement(tag), attrs, kids, false);
}

/** s('rect', {x: 1}) — an SVG element. */
export function s(tag, attrs, ...kids) {
  return put(document.createElementNS(SVG_NS, tag), attrs, kids, true);
}

/** Replaces the children of el. */
export function mount(el, ...kids) {
  el.replaceChildren();
  put(el, {}, kids, false);
  return el;
}

let uid = 0;
/** A document-unique id with a readable prefix (for label/aria references). */
export function newId(prefix) {
  uid += 1;
  return `${prefix}-${uid}`;
}

/** Announces a message to screen readers through the polite status region. */
export function announce(msg) {
  const st = document.getElementById('status');
  if (st) { st.textContent = ''; setTimeout(() => { st.textContent = msg; }, 30); }
}

/** A labelled form control: returns {wrap, input}. */
export function field(label, input, hint) {
  const id = input.id || newId('f');
  input.id = id;
  let hintEl = null;
  if (hint) {
    hintEl = h('small', { class: 'hint', id: `${id}-hint` }, hint);
    input.setAttribute('aria-describedby', hintEl.id);
  }
  const wrap = h('div', { class: 'field' }, h('label', { for: id }, label), input, hintEl);
  return { wrap, input };
}

/** Formats milliseconds as a short duration ("3 d 4 h", "25 min"). */
export function fmtDuration(ms) {
  if (ms === null || ms === undefined || ms < 0) return '—';
  if (ms < 60000) return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
  const min = Math.round(ms / 60000);
  if (min < 60) return `${min} min`;
  const hrs = Math.floor(min / 60);
  if (hrs < 48) return `${hrs} h ${min % 60 ? `${min % 60} min` : ''}`.trim();
  const d = Math.floor(hrs / 24);
  return `${d} d ${hrs % 24 ? `${hrs % 24} h` : ''}`.trim();
}

/** Formats an RFC 3339 time or epoch milliseconds as local date and time. */
export function fmtTime(t) {
  if (t === null || t === undefined || t === '') return '—';
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return String(t);
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Formats a share in [0,1] as a percentage, '—' when null. */
export function fmtPct(x) {
  return x === null || x === undefined ? '—' : `${Math.round(x * 1000) / 10}%`;
}
