// case.js — one case: its facts, stage history (with time in each stage), the routing tags with
// the policy that produced each, comments, attachments and the audit trail; plus the actions the
// token may take (move to a next stage, comment). GET /v1/cases/{id} answers 404 for a case the
// token's nation may not see, exactly as for a missing one, and so does this page.

import { api } from '../lib/api.js';
import { h, mount, fmtTime, fmtDuration, announce, newId } from '../lib/dom.js';
import { barChart } from '../lib/charts.js';

function fieldValue(v) {
  if (Array.isArray(v)) return v.length ? v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ') : '—';
  if (v && typeof v === 'object') return JSON.stringify(v);
  if (v === true) return 'yes';
  if (v === false) return 'no';
  return String(v);
}

function byWhom(by) {
  if (by && by.startsWith('policy:')) return h('span', {}, 'routing policy ', h('code', {}, by.slice(7)));
  return by || '—';
}

export async function render(main, ctx, route) {
  const id = decodeURIComponent(route.match[1]);
  let c;
  try {
    c = await api('GET', `/v1/cases/${encodeURIComponent(id)}`);
  } catch (e) {
    if (e.status !== 404) throw e;
    if (!route.isCurrent()) return;
    document.title = 'Case not found — aib';
    mount(main, h('h1', {}, 'Case not found'),
      h('p', { id: 'case-missing' }, 'There is no case ', h('code', {}, id), ` visible to ${ctx.who.nation}.`),
      h('a', { href: '#/cases' }, 'Back to the case list'));
    return;
  }
  const types = await ctx.getCaseTypes();
  let audit = null;
  let auditErr = '';
  try { audit = await api('GET', `/v1/cases/${encodeURIComponent(id)}/audit?limit=200`); } catch (e) { auditErr = e.describe(); }
  if (!route.isCurrent()) return;
  document.title = `${c.title} — aib`;

  const t = types.find((x) => x.id === c.type);
  const stage = (sid) => (t && t.stages.find((x) => x.id === sid)) || null;
  const stageName = (sid) => { const st = stage(sid); return st && st.name ? st.name : sid; };
  const now = Date.now();

  // Facts
  const fieldsDl = h('dl', { class: 'facts' },
    Object.entries(c.fields || {}).map(([k, v]) => [h('dt', {}, k.replace(/_/g, ' ')), h('dd', {}, fieldValue(v))]));

  // Stage history
  const hist = c.history || [];
  const durations = hist.map((v) => {
    const a = Date.parse(v.entered_at);
    const b = v.left_at ? Date.parse(v.left_at) : now;
    return b - a;
  });
  const histTable = h('table', { class: 'data', id: 'history' },
    h('caption', { class: 'sr-only' }, 'Stage history'),
    h('thead', {}, h('tr', {}, ['Stage', 'Owner', 'Entered', 'Left', 'Time in stage', 'Target', 'Moved by', 'Note'].map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, hist.map((v, i) => {
      const st = stage(v.stage);
      const target = st && st.target_ms ? st.target_ms : 0;
      const over = target && durations[i] > target;
      return h('tr', { class: v.left_at ? '' : 'current' },
        h('th', { scope: 'row' }, stageName(v.stage), v.left_at ? '' : h('span', { class: 'pill' }, st && st.terminal ? 'final' : 'current')),
        h('td', {}, v.owner || '—'), h('td', {}, fmtTime(v.entered_at)), h('td', {}, v.left_at ? fmtTime(v.left_at) : '—'),
        h('td', { class: over ? 'over' : '' }, st && st.terminal && !v.left_at ? '—' : fmtDuration(durations[i]), over ? ' (over target)' : ''),
        h('td', {}, target ? fmtDuration(target) : '—'),
        h('td', {}, byWhom(v.by)), h('td', {}, v.note || ''));
    })));
  const timeChart = barChart('Time in each stage visit', hist.filter((v) => !(stage(v.stage) || {}).terminal).map((v, i) => ({
    label: `${i + 1}. ${stageName(v.stage)}${v.left_at ? '' : ' (ongoing)'}`, value: durations[hist.indexOf(v)],
    cls: (stage(v.stage) || {}).target_ms && durations[hist.indexOf(v)] > stage(v.stage).target_ms ? 'warn' : '',
  })), { fmt: fmtDuration, labelHead: 'Visit', valueHead: 'Time', emptyText: 'No stage visits yet.' });

  // Tags
  const tags = c.tags || [];
  const tagTable = tags.length
    ? h('table', { class: 'data', id: 'tags' },
      h('caption', {}, 'Routing tags and routes'),
      h('thead', {}, h('tr', {}, ['Kind', 'Value', 'Produced by policy', 'At'].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, tags.map((g) => h('tr', {}, h('td', {}, g.kind), h('th', { scope: 'row' }, h('span', { class: `tag ${g.kind}` }, g.value)),
        h('td', {}, h('code', {}, g.policy)), h('td', {}, fmtTime(g.at))))))
    : h('p', { class: 'muted', id: 'tags' }, 'No routing policy tagged or routed this case.');

  // Actions
  const actions = [];
  const mayChange = c.nation === ctx.who.nation && ['admin', 'officer'].includes(ctx.who.role) && !c.closed;
  const cur = stage(c.stage);
  if (mayChange && cur && cur.next.length) {
    const to = h('select', { id: newId('to'), name: 'to', required: true }, cur.next.map((n) => h('option', { value: n }, stageName(n))));
    const note = h('input', { id: newId('note'), name: 'note', maxlength: 2000 });
    const err = h('p', { class: 'error', role: 'alert' });
    const f = h('form', { class: 'card', id: 'transition-form', 'aria-labelledby': 'tr-h' },
      h('h3', { id: 'tr-h' }, 'Move to a next stage'),
      h('div', { class: 'field' }, h('label', { for: to.id }, 'Next stage'), to),
      h('div', { class: 'field' }, h('label', { for: note.id }, 'Note (optional)'), note),
      err, h('button', { type: 'submit', class: 'primary' }, 'Move case'));
    f.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      err.textContent = '';
      try {
        await api('POST', `/v1/cases/${encodeURIComponent(c.id)}/transition`, note.value ? { to: to.value, note: note.value } : { to: to.value });
        announce(`Moved to ${stageName(to.value)}`);
        render(main, ctx, route);
      } catch (e2) { err.textContent = e2.describe ? e2.describe() : String(e2); }
    });
    actions.push(f);
  }
  if (['admin', 'officer', 'reviewer'].includes(ctx.who.role)) {
    const body = h('textarea', { id: newId('comment'), name: 'body', rows: 3, required: true, maxlength: 65536 });
    const err = h('p', { class: 'error', role: 'alert' });
    const f = h('form', { class: 'card', id: 'comment-form', 'aria-labelledby': 'cm-h' },
      h('h3', { id: 'cm-h' }, 'Add a comment'),
      h('div', { class: 'field' }, h('label', { for: body.id }, 'Comment'), body),
      err, h('button', { type: 'submit' }, 'Add comment'));
    f.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      err.textContent = '';
      try {
        await api('POST', `/v1/cases/${encodeURIComponent(c.id)}/comments`, { body: body.value });
        announce('Comment added');
        render(main, ctx, route);
      } catch (e2) { err.textContent = e2.describe ? e2.describe() : String(e2); }
    });
    actions.push(f);
  }

  // Audit trail
  const auditItems = audit ? audit.items : [];
  const auditBlock = audit
    ? h('table', { class: 'data audit', id: 'audit' },
      h('caption', {}, `Audit trail (${auditItems.length} entr${auditItems.length === 1 ? 'y' : 'ies'}, hash-chained)`),
      h('thead', {}, h('tr', {}, ['#', 'When', 'Who', 'Action', 'Detail', 'Hash'].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, auditItems.map((e) => h('tr', {},
        h('td', {}, String(e.seq)), h('td', {}, fmtTime(e.at)),
        h('td', {}, `${e.person} (${e.nation}, ${e.role})`), h('th', { scope: 'row' }, e.action),
        h('td', {}, h('details', {}, h('summary', {}, 'detail'), h('pre', {}, JSON.stringify(e.detail, null, 2)))),
        h('td', {}, h('code', { title: e.hash }, `${e.hash.slice(0, 12)}…`))))))
    : h('p', { class: 'muted' }, `Audit trail not available: ${auditErr}`);

  const comments = c.comments || [];
  const atts = c.attachments || [];
  mount(main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/cases' }, 'Cases'), ' › ', h('code', {}, c.id)),
    h('div', { class: 'headline' }, h('h1', { id: 'case-title' }, c.title),
      h('span', { class: `stage big ${c.closed ? 'closed' : ''}` }, stageName(c.stage))),
    h('dl', { class: 'facts summary' },
      h('dt', {}, 'Id'), h('dd', {}, h('code', {}, c.id)),
      h('dt', {}, 'Type'), h('dd', {}, t ? t.name : c.type, c.subtype ? ` — ${c.subtype}` : ''),
      h('dt', {}, 'Owning nation'), h('dd', {}, c.nation),
      h('dt', {}, 'Released to'), h('dd', {}, c.released_to.length ? c.released_to.join(', ') : 'no other nation'),
      h('dt', {}, 'Stage owner'), h('dd', {}, c.owner || '—'),
      h('dt', {}, 'In stage since'), h('dd', {}, fmtTime(c.stage_since)),
      h('dt', {}, 'Filed'), h('dd', {}, `${fmtTime(c.created_at)} by ${c.created_by}`),
      h('dt', {}, 'Version'), h('dd', {}, String(c.version))),
    h('section', { 'aria-labelledby': 'sec-fields' }, h('h2', { id: 'sec-fields' }, 'Details'), Object.keys(c.fields || {}).length ? fieldsDl : h('p', { class: 'muted' }, 'No type-specific fields.')),
    h('section', { 'aria-labelledby': 'sec-tags' }, h('h2', { id: 'sec-tags' }, 'Routing'), tagTable),
    h('section', { 'aria-labelledby': 'sec-hist' }, h('h2', { id: 'sec-hist' }, 'Stage history'), histTable, timeChart),
    actions.length ? h('section', { 'aria-labelledby': 'sec-act', class: 'grid2' }, h('h2', { id: 'sec-act', class: 'sr-only' }, 'Actions'), actions) : null,
    h('section', { 'aria-labelledby': 'sec-com' }, h('h2', { id: 'sec-com' }, `Comments (${comments.length})`),
      comments.length ? h('ul', { class: 'comments' }, comments.map((m) => h('li', {}, h('p', { class: 'meta' }, `${m.author} (${m.nation}) · ${fmtTime(m.at)}`), h('p', {}, m.body)))) : h('p', { class: 'muted' }, 'No comments.')),
    atts.length ? h('section', { 'aria-labelledby': 'sec-att' }, h('h2', { id: 'sec-att' }, 'Attachments (references)'),
      h('ul', {}, atts.map((a) => h('li', {}, h('strong', {}, a.name), ' — ', h('code', {}, a.ref), a.sha256 ? h('small', {}, ` sha256 ${a.sha256.slice(0, 16)}…`) : '', ` · ${a.added_by}, ${fmtTime(a.at)}`)))) : null,
    h('section', { 'aria-labelledby': 'sec-audit' }, h('h2', { id: 'sec-audit' }, 'Audit trail'), auditBlock));
}
