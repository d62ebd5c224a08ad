// determine.js — the determination wizard: describe the item, then the transfer, then choose the
// law (current, proposed reforms, or both) and get the outcome, licence, authorities, conditions,
// licence exceptions worth considering and the trace of every rule (POST /v1/determine, request
// and result as in docs/determinations.md). With both regimes the two answers are shown side by
// side and what differs is highlighted.

import { api } from '../lib/api.js';
import { h, mount, announce } from '../lib/dom.js';
import { countryList, usmlList, eccnSearch, groups } from '../lib/lookups.js';

const KINDS = ['export', 'reexport', 'retransfer', 'temporary_export', 'temporary_import', 'deemed_export', 'disclosure'];
const END_USES = ['unspecified', 'military', 'civil', 'official_use', 'defense_service', 'manufacturing', 'research', 'return_to_us'];
const CLASSES = ['UNCLASSIFIED', 'CUI', 'CONFIDENTIAL', 'SECRET', 'TOP SECRET'];
const OUTCOME_TEXT = {
  prohibited: 'Prohibited', licence_required: 'Licence required', exempt: 'Exempt (no licence needed under an exemption)',
  no_licence_required: 'No licence required', releasable: 'Releasable', not_releasable: 'Not releasable',
};

const STEPS = ['Item', 'Transfer', 'Law', 'Result'];

const ITEM_TEXT = { usml: 'USML paragraph (ITAR)', eccn: 'ECCN (EAR)', EAR99: 'EAR99', information: 'Information only (disclosure)' };

function sel(id, name, values, value) {
  return h('select', { id, name }, values.map((v) => h('option', { value: v, selected: v === value }, ITEM_TEXT[v] || v.replace(/_/g, ' '))));
}

function fld(label, input, hint) {
  const hid = hint ? `${input.id}-hint` : null;
  if (hid) input.setAttribute('aria-describedby', hid);
  return h('div', { class: 'field' }, h('label', { for: input.id }, label), input, hint ? h('small', { class: 'hint', id: hid }, hint) : null);
}

function list(items, empty) {
  return items && items.length ? h('ul', {}, items.map((x) => h('li', {}, x))) : h('p', { class: 'muted' }, empty);
}

/** One regime's answer. other (optional) is the answer under the other regime, to mark changes. */
function answer(r, other, title) {
  const diff = (k) => other && JSON.stringify(r[k]) !== JSON.stringify(other[k]);
  const cls = (k) => (diff(k) ? 'changed' : '');
  return h('section', { class: 'card det-answer', 'aria-label': title },
    h('h3', {}, title, r.pack ? h('small', { class: 'muted' }, ` (pack ${r.pack})`) : ''),
    h('p', { class: `outcome ${r.outcome} ${cls('outcome')}`, 'data-field': 'outcome' }, OUTCOME_TEXT[r.outcome] || r.outcome),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Licence'), h('dd', { class: cls('licence') }, r.licence || 'none'),
      h('dt', {}, 'Jurisdiction'), h('dd', { class: cls('jurisdiction') }, r.jurisdiction || '—'),
      h('dt', {}, 'Item'), h('dd', {}, r.item || '—'),
      h('dt', {}, 'Decided by'), h('dd', { class: cls('rules') }, r.by_default ? 'the pack default (no rule applied)' : (r.rules || []).join(', '))),
    h('h4', {}, 'Authorities'), h('div', { class: cls('authorities') }, list(r.authorities, 'None cited.')),
    h('h4', {}, 'Conditions and record keeping'), h('div', { class: cls('conditions') }, list(r.conditions, 'No conditions.')),
    h('h4', {}, 'Licence exceptions worth considering'), h('div', { class: cls('candidates') }, list(r.candidates, 'None.')),
    r.trace ? h('details', {}, h('summary', {}, `Trace: ${r.trace.length} rules considered`),
      h('table', { class: 'data' },
        h('caption', { class: 'sr-only' }, `${title}: every rule considered`),
        h('thead', {}, h('tr', {}, ['Rule', 'Outcome', 'Applied', 'Why', 'Authority'].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, r.trace.map((t) => h('tr', { class: t.applied ? 'applied' : '' },
          h('th', { scope: 'row' }, h('code', {}, t.rule)), h('td', {}, t.outcome), h('td', {}, t.applied ? 'yes' : 'no'),
          h('td', {}, t.why || ''), h('td', {}, t.authority || '')))))) : null);
}

export function renderResult(res) {
  if (res.regime === 'both') {
    const keys = ['outcome', 'licence', 'jurisdiction', 'rules', 'authorities', 'conditions', 'candidates'];
    const differs = keys.some((k) => JSON.stringify(res.current[k]) !== JSON.stringify(res.proposed[k]));
    let msg = 'Current law and the proposed reforms give the same answer.';
    if (res.changed) msg = h('strong', {}, 'The proposed reforms change the outcome; the differences are highlighted.');
    else if (differs) msg = 'Same outcome under both; the reforms change the parts highlighted below.';
    return h('div', { id: 'det-result' },
      h('p', { class: 'card', role: 'status' }, msg),
      h('div', { class: 'side' }, answer(res.current, res.proposed, 'Current law'), answer(res.proposed, res.current, 'Proposed reforms')),
      h('p', { class: 'muted small' }, 'Proposed reforms model the policy studies\u2019 recommendations; they are not law.'));
  }
  return h('div', { id: 'det-result' }, answer(res, null, res.regime === 'proposed' ? 'Proposed reforms' : 'Current law'));
}

export async function render(main, ctx, route) {
  document.title = 'Determination — aib';
  const st = { step: 0 };
  const itemKind = sel('det-item-kind', 'item_kind', ['usml', 'eccn', 'EAR99', 'information'], 'usml');
  const code = h('input', { id: 'det-code', name: 'code', placeholder: 'XII(c) or 3A001.a.1', autocomplete: 'off', list: 'det-usml-list' });
  const klass = sel('det-class', 'classification', CLASSES, 'UNCLASSIFIED');
  const markings = h('input', { id: 'det-markings', name: 'markings', placeholder: 'SECRET//REL TO USA, FVEY' });
  const value = h('input', { id: 'det-value', name: 'value_usd', type: 'number', min: 0, step: 1 });
  const kind = sel('det-kind', 'kind', KINDS, 'export');
  const from = h('input', { id: 'det-from', name: 'from', value: 'USA', maxlength: 3, size: 4, list: 'det-countries', autocomplete: 'off' });
  const to = h('input', { id: 'det-to', name: 'to', maxlength: 3, size: 4, required: true, list: 'det-countries', autocomplete: 'off' });
  // Look-ups (countries, USML paragraphs, ECCNs, the destination's groups) as suggestions; the
  // wizard still works if they are unavailable.
  const lookups = h('div', { hidden: true });
  const eccnList = h('datalist', { id: 'det-eccn-list' });
  const toGroups = h('p', { class: 'small muted', id: 'det-to-groups', 'aria-live': 'polite' });
  Promise.all([countryList('det-countries'), usmlList('det-usml-list')])
    .then((lists) => mount(lookups, ...lists, eccnList)).catch(() => {});
  itemKind.addEventListener('change', () => { code.setAttribute('list', itemKind.value === 'eccn' ? 'det-eccn-list' : 'det-usml-list'); });
  let eccnSeq = 0;
  code.addEventListener('input', async () => {
    if (itemKind.value !== 'eccn' || code.value.trim().length < 2) return;
    const my = ++eccnSeq;
    try {
      const items = await eccnSearch(code.value.trim().split('.')[0]);
      if (my === eccnSeq) mount(eccnList, items.map((x) => h('option', { value: x.eccn }, `${x.eccn} — ${x.heading}`)));
    } catch { /* suggestions only */ }
  });
  const showGroups = async () => {
    const c = to.value.trim().toUpperCase();
    if (!/^[A-Z]{3}$/.test(c)) { toGroups.textContent = ''; return; }
    try {
      const g = await groups(date.value);
      const mine = g.items.filter((x) => x.members.includes(c) && ['alliance', 'partnership', 'statutory', 'tetragraph', 'itar_proscribed'].includes(x.kind));
      toGroups.textContent = mine.length ? `${c} on ${g.date}: ${mine.map((x) => x.id).join(', ')}` : `${c}: no alliance or partnership group on ${g.date}`;
    } catch { toGroups.textContent = ''; }
  };
  to.addEventListener('change', showGroups);
  const euKind = sel('det-eu-kind', 'end_user.kind', ['company', 'government', 'person'], 'company');
  const nats = h('input', { id: 'det-nats', name: 'end_user.nationalities' });
  const endUse = sel('det-end-use', 'end_use', END_USES, 'unspecified');
  const date = h('input', { id: 'det-date', name: 'date', type: 'date', value: new Date().toISOString().slice(0, 10) });
  const regime = sel('det-regime', 'regime', ['both', 'current', 'proposed'], 'both');
  const err = h('p', { class: 'error', role: 'alert', id: 'det-error' });
  const out = h('div', { id: 'det-out' });
  const stepsNav = h('ol', { class: 'steps', 'aria-label': 'Steps' });
  const panes = [
    h('fieldset', {}, h('legend', {}, '1. The item'),
      fld('What is it?', itemKind, 'a USML category paragraph, a CCL ECCN, EAR99, or information only (a disclosure)'),
      fld('USML paragraph or ECCN', code, 'e.g. XII(c), XI(a)(3), 3A001.a.1'),
      fld('Classification', klass), fld('Control markings (optional)', markings, 'banner line, e.g. SECRET//REL TO USA, FVEY'),
      fld('Value in USD (optional)', value)),
    h('fieldset', {}, h('legend', {}, '2. The transfer'),
      fld('Kind of transfer', kind), fld('From (ISO code)', from), fld('To (ISO code)', to, 'three-letter ISO 3166-1 code, e.g. AUS'), toGroups,
      fld('End user', euKind), fld('End-user nationalities (optional)', nats, 'comma-separated ISO codes, e.g. AUS, GBR'),
      fld('End use', endUse), fld('Date', date, 'the law as of this date (group memberships change over time)')),
    h('fieldset', {}, h('legend', {}, '3. Which law'),
      fld('Regime', regime, 'both: current law and the proposed reforms side by side')),
  ];
  const back = h('button', { type: 'button', id: 'det-back' }, '← Back');
  const next = h('button', { type: 'submit', class: 'primary', id: 'det-next' }, 'Next →');
  const form = h('form', { class: 'card', id: 'det-form', 'aria-labelledby': 'det-h', novalidate: true },
    h('h1', { id: 'det-h' }, 'Release determination'), stepsNav, ...panes, lookups, err, h('div', {}, back, ' ', next));

  function request() {
    const body = { regime: regime.value, date: date.value, item: {}, transfer: { kind: kind.value } };
    const k = itemKind.value;
    if (k === 'usml') body.item.usml = code.value.trim();
    else if (k === 'eccn') body.item.eccn = code.value.trim();
    else if (k === 'EAR99') body.item.eccn = 'EAR99';
    if (klass.value !== 'UNCLASSIFIED') body.item.classification = klass.value;
    if (markings.value.trim()) body.item.markings = markings.value.trim();
    if (value.value) body.item.value_usd = Number(value.value);
    if (from.value.trim()) body.transfer.from = from.value.trim().toUpperCase();
    body.transfer.to = to.value.trim().toUpperCase();
    const eu = { kind: euKind.value };
    const n = nats.value.split(',').map((x) => x.trim().toUpperCase()).filter(Boolean);
    if (n.length) eu.nationalities = n;
    body.transfer.end_user = eu;
    if (endUse.value !== 'unspecified') body.transfer.end_use = endUse.value;
    return body;
  }

  function show() {
    mount(stepsNav, STEPS.map((s, i) => h('li', { 'aria-current': i === st.step ? 'step' : null }, `${i + 1}. ${s}`)));
    panes.forEach((p, i) => { p.hidden = i !== st.step; });
    back.hidden = st.step === 0;
    next.textContent = st.step === 2 ? 'Determine' : 'Next →';
    const first = panes[st.step] && panes[st.step].querySelector('select, input');
    if (first) first.focus();
  }

  back.addEventListener('click', () => { st.step = Math.max(0, st.step - 1); err.textContent = ''; show(); });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.textContent = '';
    if (st.step === 0 && ['usml', 'eccn'].includes(itemKind.value) && !code.value.trim()) { err.textContent = 'item: enter the USML paragraph or ECCN'; code.focus(); return; }
    if (st.step === 1 && !/^[A-Za-z]{3}$/.test(to.value.trim())) { err.textContent = 'transfer.to: enter a three-letter ISO code'; to.focus(); return; }
    if (st.step < 2) { st.step += 1; show(); return; }
    next.disabled = true;
    try {
      const res = await api('POST', '/v1/determine?trace=true', request());
      mount(out, h('h2', { tabindex: '-1', id: 'det-result-h' }, 'Result'), renderResult(res));
      announce('Determination ready');
      out.querySelector('#det-result-h').focus();
    } catch (e) {
      err.textContent = e.describe ? e.describe() : String(e);
      // Send the user back to the step holding the named field.
      if (/^item/.test(e.field || '')) st.step = 0; else if (/^transfer/.test(e.field || '')) st.step = 1;
      show();
    } finally {
      next.disabled = false;
    }
  });
  mount(main, form, out);
  show();
}
