// registry.js — the innovation registry search (GET /v1/registry/records): words, facets by
// record type, technology area (from /v1/registry/taxonomy), nation and dates. The server filters
// every answer by release for the token's nation, so the page can only show, and count, records
// the caller may see. Each hit shows its label banner and links to the record page.

import { api, qs } from '../lib/api.js';
import { h, mount, announce } from '../lib/dom.js';

export const TYPES = ['project', 'capability', 'challenge', 'scouting', 'facility', 'dataset', 'investor', 'company'];

/** Banner class from a marking's leading level (colours follow the usual banner conventions). */
export function bannerClass(label) {
  const lvl = String(label || '').split('//')[0].trim().toUpperCase();
  if (lvl.startsWith('TOP SECRET')) return 'label-banner top-secret';
  if (lvl.startsWith('SECRET')) return 'label-banner secret';
  if (lvl.startsWith('CONFIDENTIAL')) return 'label-banner confidential';
  if (lvl.startsWith('CUI')) return 'label-banner cui';
  return 'label-banner';
}

export function banner(label) {
  return h('p', { class: bannerClass(label), role: 'note', 'aria-label': `Security label ${label}` }, label);
}

let taxonomy = null;
export async function getTaxonomy() {
  if (!taxonomy) taxonomy = (await api('GET', '/v1/registry/taxonomy')).areas;
  return taxonomy;
}

function hitCard(hit) {
  const r = hit.record;
  return h('li', { class: 'card hit', 'data-id': r.id },
    banner(r.label),
    h('h3', {}, h('a', { href: `#/registry/${encodeURIComponent(r.id)}` }, r.title),
      h('span', { class: 'tag' }, r.type), h('span', { class: 'badge' }, r.nation),
      hit.score ? h('small', { class: 'score muted' }, `score ${hit.score.toFixed(2)}`) : null),
    h('p', {}, r.summary),
    h('p', { class: 'muted small' }, `${r.id} · areas: ${(r.areas || []).join(', ')}${r.start ? ` · ${r.start} – ${r.end || 'ongoing'}` : ''}`));
}

export async function render(main, ctx, route) {
  document.title = 'Registry — aib';
  const p = route.params;
  const areas = await getTaxonomy();
  const q = h('input', { id: 'reg-q', name: 'q', type: 'search', value: p.get('q') || '', placeholder: 'quantum navigation' });
  const type = h('select', { id: 'reg-type', name: 'type' }, h('option', { value: '' }, 'any type'),
    TYPES.map((t) => h('option', { value: t, selected: p.get('type') === t }, t)));
  const area = h('select', { id: 'reg-area', name: 'area' }, h('option', { value: '' }, 'any area'),
    areas.map((a) => h('option', { value: a.id, selected: p.get('area') === a.id }, `${a.parent ? '— ' : ''}${a.name}`)));
  const nation = h('input', { id: 'reg-nation', name: 'nation', value: p.get('nation') || '', maxlength: 3, size: 4, placeholder: 'GBR' });
  const from = h('input', { id: 'reg-from', name: 'from', type: 'date', value: p.get('from') || '' });
  const to = h('input', { id: 'reg-to', name: 'to', type: 'date', value: p.get('to') || '' });
  const fld = (label, el) => h('div', { class: 'field' }, h('label', { for: el.id }, label), el);
  const form = h('form', { class: 'facets card', id: 'reg-form', role: 'search', 'aria-label': 'Search the registry' },
    fld('Words', q), fld('Record type', type), fld('Technology area', area), fld('Nation (ISO code)', nation),
    fld('Active from', from), fld('Active until', to), h('button', { type: 'submit', class: 'primary' }, 'Search'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    location.hash = `#/registry${qs({ q: q.value.trim(), type: type.value, area: area.value, nation: nation.value.trim().toUpperCase(), from: from.value, to: to.value })}`;
  });
  const params = { q: p.get('q'), type: p.get('type'), area: p.get('area'), nation: p.get('nation'), from: p.get('from'), to: p.get('to'), limit: 100 };
  const out = h('div', { id: 'reg-results' });
  mount(main, h('h1', {}, 'Innovation registry'),
    h('p', { class: 'muted' }, `Summary-level records published by allies. You see only the records releasable to ${ctx.who.nation}.`),
    h('div', { class: 'layout-facets' }, form, out));
  const res = await api('GET', `/v1/registry/records${qs(params)}`);
  if (!route.isCurrent()) return;
  // Facet counts over the releasable hits of this query (by type and by owning nation).
  const count = (key) => res.hits.reduce((m, x) => { m[x.record[key]] = (m[x.record[key]] || 0) + 1; return m; }, {});
  const facet = (title, key, counts) => h('div', {}, h('h2', { class: 'small' }, title),
    h('ul', { class: 'facet-list' }, Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([k, n]) =>
      h('li', {}, h('a', { href: `#/registry${qs({ ...params, limit: undefined, [key === 'type' ? 'type' : 'nation']: k })}` }, k), ` (${n})`))));
  mount(out,
    h('p', { role: 'status', id: 'reg-count' }, `${res.count} record${res.count === 1 ? '' : 's'} releasable to ${ctx.who.nation}`),
    res.count ? h('div', { class: 'grid2 reg-facets' }, facet('By type', 'type', count('type')), facet('By nation', 'nation', count('nation'))) : null,
    res.count ? h('ul', { class: 'plain', id: 'reg-hits' }, res.hits.map(hitCard)) : h('p', { id: 'reg-none' }, 'No record matches.'));
  announce(`${res.count} records`);
}
