// record.js — one registry record (GET /v1/registry/records/{id}) under its label banner, with
// its near-duplicates in other nations (GET /v1/registry/dupes?id=) and, for a challenge, the
// records that could answer it (GET /v1/registry/challenges/{id}/matches). A record that is not
// releasable to the caller answers 404 like a missing one, and the page says only "not found".

import { api } from '../lib/api.js';
import { h, mount } from '../lib/dom.js';
import { banner } from './registry.js';

function dl(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(([, v]) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && !v.length))
    .map(([k, v]) => [h('dt', {}, k), h('dd', {}, Array.isArray(v) ? v.join(', ') : String(v))]));
}

const link = (r) => h('a', { href: `#/registry/${encodeURIComponent(r.id)}` }, r.title);

export async function render(main, ctx, route) {
  const id = decodeURIComponent(route.match[1]);
  let res;
  try {
    res = await api('GET', `/v1/registry/records/${encodeURIComponent(id)}`);
  } catch (e) {
    if (e.status !== 404) throw e;
    document.title = 'Record not found — aib';
    mount(main, h('h1', { id: 'record-missing' }, 'Record not found'),
      h('p', {}, 'There is no record with this id that you may see.'), h('a', { href: '#/registry' }, 'Back to the registry'));
    return;
  }
  if (!route.isCurrent()) return;
  const r = res.record;
  document.title = `${r.title} — aib`;
  const [dupes, matches] = await Promise.all([
    api('GET', `/v1/registry/dupes?id=${encodeURIComponent(r.id)}&threshold=0.3`),
    r.type === 'challenge' ? api('GET', `/v1/registry/challenges/${encodeURIComponent(r.id)}/matches`) : null,
  ]);
  if (!route.isCurrent()) return;
  const details = r.details && Object.keys(r.details).length ? r.details : null;
  mount(main,
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/registry' }, 'Registry'), ` › ${r.id}`),
    banner(r.label),
    h('h1', { id: 'record-title' }, r.title),
    h('p', {}, h('span', { class: 'tag' }, r.type), ' ', h('span', { class: 'badge' }, r.nation)),
    h('p', { class: 'headline' }, r.summary),
    dl([['Id', r.id], ['Owning nation', r.nation], ['Participating nations', r.nations], ['Technology areas', r.areas],
      ['Performer', r.performer], ['Contact', r.contact], ['Start', r.start], ['End', r.end]]),
    details ? h('details', { class: 'card' }, h('summary', {}, 'Type-specific details'), h('pre', {}, JSON.stringify(details, null, 2))) : null,
    res.reciprocity ? h('section', { class: 'card' }, h('h2', {}, 'Reciprocity'), h('pre', {}, JSON.stringify(res.reciprocity, null, 2))) : null,
    h('section', { class: 'card', id: 'record-dupes', 'aria-labelledby': 'dupes-h' },
      h('h2', { id: 'dupes-h' }, 'Possible duplicates in other nations'),
      dupes.pairs.length ? h('ul', {}, dupes.pairs.map((d) => {
        const other = d.a.id === r.id ? d.b : d.a;
        return h('li', {}, link(other), ` (${other.nation}) — similarity ${Math.round(d.score * 100)}%`,
          h('br'), h('small', { class: 'muted' }, `shared terms: ${d.terms.join(', ')}`));
      })) : h('p', { class: 'muted' }, 'None found among the records you may see.')),
    matches ? h('section', { class: 'card', id: 'record-matches', 'aria-labelledby': 'matches-h' },
      h('h2', { id: 'matches-h' }, 'Who could answer this challenge'),
      matches.hits.length ? h('ol', {}, matches.hits.map((x) => h('li', {}, link(x.record), ` (${x.record.type}, ${x.record.nation})`,
        h('br'), h('small', { class: 'muted' }, `shared: ${(x.terms || []).join(', ')}`)))) : h('p', { class: 'muted' }, 'No match among the records you may see.')) : null);
}
