// cases.js — the case list: filters by type, stage, owning nation, routing tag and open/closed,
// paged with the API's cursor. GET /v1/cases returns only cases the token's nation owns or has
// been released, so this page never sees others.

import { api, qs } from '../lib/api.js';
import { h, mount, fmtTime, newId } from '../lib/dom.js';

const KEYS = ['type', 'stage', 'nation', 'tag', 'open', 'cursor'];

export async function render(main, ctx, route) {
  const types = await ctx.getCaseTypes();
  const p = Object.fromEntries(KEYS.map((k) => [k, route.params.get(k) || '']));
  const list = await api('GET', `/v1/cases${qs({ ...p, limit: 50 })}`);
  if (!route.isCurrent()) return;
  document.title = 'Cases — aib';

  const stageName = (type, stage) => {
    const t = types.find((x) => x.id === type);
    const st = t && t.stages.find((x) => x.id === stage);
    return st && st.name ? st.name : stage;
  };
  const allStages = [...new Map(types.flatMap((t) => t.stages.filter((st) => !p.type || t.id === p.type)
    .map((st) => [st.id, st.name || st.id]))).entries()];

  const sel = (name, label, opts, val) => {
    const el = h('select', { id: newId(name), name }, opts.map(([v, t]) => h('option', { value: v, selected: v === val }, t)));
    return [h('div', { class: 'field inline' }, h('label', { for: el.id }, label), el), el];
  };
  const [typeF, typeEl] = sel('type', 'Type', [['', 'Any'], ...types.map((t) => [t.id, t.name || t.id])], p.type);
  const [stageF, stageEl] = sel('stage', 'Stage', [['', 'Any'], ...allStages], p.stage);
  const [openF, openEl] = sel('open', 'Status', [['', 'Open and closed'], ['true', 'Open only']], p.open);
  const natEl = h('input', { id: newId('nation'), name: 'nation', value: p.nation, size: 4, maxlength: 3, pattern: '[A-Z]{3}', autocapitalize: 'characters', 'aria-describedby': 'nat-hint' });
  const tagEl = h('input', { id: newId('tag'), name: 'tag', value: p.tag, size: 18 });
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter cases' },
    typeF, stageF,
    h('div', { class: 'field inline' }, h('label', { for: natEl.id }, 'Owning nation'), natEl, h('small', { class: 'sr-only', id: 'nat-hint' }, 'Three-letter ISO code, e.g. GBR')),
    h('div', { class: 'field inline' }, h('label', { for: tagEl.id }, 'Tag'), tagEl),
    openF,
    h('button', { type: 'submit' }, 'Filter'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    location.hash = `#/cases${qs({ type: typeEl.value, stage: stageEl.value, nation: natEl.value.trim().toUpperCase(), tag: tagEl.value.trim(), open: openEl.value })}`;
  });

  const rows = list.items.map((c) => h('tr', {},
    h('td', {}, h('a', { href: `#/cases/${encodeURIComponent(c.id)}` }, c.title || c.id)),
    h('td', {}, h('code', {}, c.id)),
    h('td', {}, c.type.replace(/_/g, ' '), c.subtype ? ` (${c.subtype})` : ''),
    h('td', {}, h('span', { class: `stage ${c.closed ? 'closed' : ''}` }, stageName(c.type, c.stage))),
    h('td', {}, c.nation),
    h('td', {}, c.released_to.length ? c.released_to.join(', ') : '—'),
    h('td', {}, fmtTime(c.updated_at))));

  const next = list.next_cursor ? h('a', { class: 'button', href: `#/cases${qs({ ...p, cursor: list.next_cursor })}` }, 'Next page →') : null;
  const first = p.cursor ? h('a', { class: 'button', href: `#/cases${qs({ ...p, cursor: '' })}` }, '← First page') : null;

  mount(main,
    h('div', { class: 'headline' }, h('h1', {}, 'Cases'), h('a', { class: 'button primary', href: '#/cases/new' }, 'File a case')),
    form,
    list.items.length
      ? h('table', { class: 'data cases', id: 'case-table' },
        h('caption', {}, `${list.items.length} case${list.items.length === 1 ? '' : 's'}${list.next_cursor ? ' on this page' : ''} visible to ${ctx.who.nation}`),
        h('thead', {}, h('tr', {}, ['Title', 'Id', 'Type', 'Stage', 'Nation', 'Released to', 'Updated'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, rows))
      : h('p', { class: 'card', id: 'no-cases' }, 'No cases match.'),
    h('div', { class: 'pager' }, first, next));
}
