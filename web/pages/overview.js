// overview.js — the common operating picture: cases by type, current stage and owning nation,
// the backlog, time in stage against each stage's target and the share of stage visits completed
// within target. All figures come from GET /v1/metrics, which counts only the cases the token's
// nation may see; bars link to the matching case list (drill-down).

import { api, qs } from '../lib/api.js';
import { h, mount, fmtDuration, fmtPct, newId } from '../lib/dom.js';
import { barChart, rangeChart } from '../lib/charts.js';

function typeLabel(types, id) {
  const t = types.find((x) => x.id === id);
  return t ? t.id.replace(/_/g, ' ') : id;
}

function stageDef(types, type, stage) {
  const t = types.find((x) => x.id === type);
  return t && t.stages.find((st) => st.id === stage);
}

function caseHref(params) {
  return `#/cases${qs(params)}`;
}

function sumBy(rows, key, val) {
  const m = new Map();
  for (const r of rows) m.set(key(r), (m.get(key(r)) || 0) + val(r));
  return m;
}

export async function render(main, ctx, route) {
  const types = await ctx.getCaseTypes();
  const f = { type: route.params.get('type') || '', nation: route.params.get('nation') || '' };
  const filter = { type: f.type, nation: f.nation };
  const [byStage, byCountry] = await Promise.all([
    api('GET', `/v1/metrics${qs({ group_by: 'type,stage', ...filter })}`),
    api('GET', `/v1/metrics${qs({ group_by: 'type,stage,country', ...filter })}`),
  ]);
  if (!route.isCurrent()) return;
  document.title = 'Operating picture — aib';

  // A case is in exactly one stage: an open visit of a non-terminal stage, or the (final) visit
  // of the terminal stage it ended in. Counting those gives cases by current stage exactly.
  const isTerminal = (r) => { const d = stageDef(types, r.type, r.stage); return d ? d.terminal : false; };
  const current = (r) => (isTerminal(r) ? r.count : r.backlog);

  const casesByType = sumBy(byStage.rows, (r) => r.type, current);
  const casesByCountry = sumBy(byCountry.rows, (r) => r.country, current);
  const total = [...casesByType.values()].reduce((a, b) => a + b, 0);
  const open = byStage.rows.filter((r) => !isTerminal(r)).reduce((a, r) => a + r.backlog, 0);
  const completed = byStage.rows.reduce((a, r) => a + r.completed, 0);
  const within = byStage.rows.reduce((a, r) => a + (r.within_target === null ? 0 : r.within_target * r.completed), 0);

  const stageLabel = (r) => {
    const d = stageDef(types, r.type, r.stage);
    return `${typeLabel(types, r.type)} · ${d && d.name ? d.name : r.stage}`;
  };
  const stageRows = byStage.rows.filter((r) => current(r) > 0);

  // Filters (a GET form on the hash route keeps views linkable).
  const typeSel = h('select', { id: newId('type'), name: 'type' }, h('option', { value: '' }, 'All types'),
    types.map((t) => h('option', { value: t.id, selected: t.id === f.type }, t.name || t.id)));
  const countries = [...new Set(byCountry.rows.map((r) => r.country))].sort();
  if (f.nation && !countries.includes(f.nation)) countries.push(f.nation);
  const natSel = h('select', { id: newId('nat'), name: 'nation' }, h('option', { value: '' }, 'All visible nations'),
    countries.map((c) => h('option', { value: c, selected: c === f.nation }, c)));
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter the operating picture' },
    h('div', { class: 'field inline' }, h('label', { for: typeSel.id }, 'Case type'), typeSel),
    h('div', { class: 'field inline' }, h('label', { for: natSel.id }, 'Owning nation'), natSel),
    h('button', { type: 'submit' }, 'Apply'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    location.hash = `#/${qs({ type: typeSel.value, nation: natSel.value })}`;
  });

  const tile = (label, value, note) => h('div', { class: 'tile' }, h('div', { class: 'tile-v' }, value), h('div', { class: 'tile-l' }, label), note ? h('small', {}, note) : null);

  mount(main,
    h('h1', {}, 'Common operating picture'),
    h('p', { class: 'muted' }, `Cases visible to ${ctx.who.nation} as of `, h('time', { datetime: byStage.generated_at }, new Date(byStage.generated_at).toLocaleString()),
      '. Select a bar or a table row to see the cases behind it.'),
    form,
    h('section', { class: 'tiles', 'aria-label': 'Totals' },
      tile('cases', String(total)),
      tile('open (backlog)', String(open)),
      tile('stage visits completed', String(completed)),
      tile('completed within target', completed ? fmtPct(within / completed) : '—', 'share of completed stage visits')),
    total === 0 ? h('p', { class: 'card' }, 'No cases are visible to your nation for this view yet. ', h('a', { href: '#/cases/new' }, 'File a case'), '.') : null,
    h('div', { class: 'grid2' },
      barChart('Cases by type', [...casesByType].map(([k, v]) => ({ label: typeLabel(types, k), value: v, href: caseHref({ type: k, nation: f.nation }) })), { labelHead: 'Type', valueHead: 'Cases' }),
      barChart('Cases by owning nation', [...casesByCountry].map(([k, v]) => ({ label: k, value: v, href: caseHref({ nation: k, type: f.type }) })), { labelHead: 'Nation', valueHead: 'Cases' })),
    barChart('Cases by current stage', stageRows.map((r) => ({
      label: stageLabel(r), value: current(r), cls: isTerminal(r) ? 'done' : '',
      href: caseHref({ type: r.type, stage: r.stage, nation: f.nation }),
    })), { wide: true, labelHead: 'Stage', valueHead: 'Cases', desc: `${stageRows.length} stages with cases; finished cases in terminal stages are shown in grey.` }),
    barChart('Backlog: open cases waiting in each stage', byStage.rows.filter((r) => !isTerminal(r) && r.backlog > 0).map((r) => ({
      label: stageLabel(r), value: r.backlog, href: caseHref({ type: r.type, stage: r.stage, nation: f.nation, open: 'true' }),
    })), { wide: true, labelHead: 'Stage', valueHead: 'Open cases', emptyText: 'No open cases.' }),
    rangeChart('Time in stage (completed visits)', byStage.rows.filter((r) => r.completed > 0).map((r) => ({
      label: stageLabel(r), median: r.median_ms, p95: r.p95_ms, target: r.target_ms, completed: r.completed,
      href: caseHref({ type: r.type, stage: r.stage, nation: f.nation }),
    })), fmtDuration, { wide: true }),
    barChart('Share of stage visits completed within target', byStage.rows.filter((r) => r.completed > 0).map((r) => ({
      label: `${stageLabel(r)} (target ${fmtDuration(r.target_ms)})`, value: r.within_target, cls: r.within_target < 0.8 ? 'warn' : '',
      href: caseHref({ type: r.type, stage: r.stage, nation: f.nation }),
    })), { wide: true, max: 1, fmt: fmtPct, marker: 0.8, markerLabel: '80% reference line', labelHead: 'Stage', valueHead: 'Within target', emptyText: 'No stage has been completed yet.' }));
}
