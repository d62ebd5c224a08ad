// eligibility.js — benefit tiers of one ally (GET /v1/eligibility/{country}?date=): every tier of
// current law and of the proposed reforms, met or not, and for each criterion what was found or
// what is missing, with its authority.

import { api, qs } from '../lib/api.js';
import { h, mount } from '../lib/dom.js';
import { countryList } from '../lib/lookups.js';

export async function render(main, ctx, route) {
  document.title = 'Eligibility — aib';
  const p = route.params;
  const country = h('input', { id: 'el-country', name: 'country', value: p.get('country') || '', list: 'el-countries', required: true, 'aria-describedby': 'el-country-hint', autocomplete: 'off' });
  const date = h('input', { id: 'el-date', name: 'date', type: 'date', value: p.get('date') || '' });
  const form = h('form', { class: 'filters', id: 'el-form', 'aria-label': 'Choose an ally' },
    h('div', { class: 'field' }, h('label', { for: 'el-country' }, 'Country'), country,
      h('small', { class: 'hint', id: 'el-country-hint' }, 'ISO code or name, e.g. POL')),
    await countryList('el-countries'),
    h('div', { class: 'field' }, h('label', { for: 'el-date' }, 'As of (optional)'), date),
    h('button', { type: 'submit', class: 'primary' }, 'Show tiers'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    location.hash = `#/eligibility${qs({ country: country.value.trim(), date: date.value })}`;
  });
  const out = h('div', { id: 'el-out' });
  mount(main, h('h1', {}, 'Eligibility of an ally'),
    h('p', { class: 'muted' }, 'Which benefit tiers a country meets today (or on a date), and what is missing for the others.'), form, out);
  if (!p.get('country')) return;
  let el;
  try {
    el = await api('GET', `/v1/eligibility/${encodeURIComponent(p.get('country'))}${qs({ date: p.get('date') })}`);
  } catch (e) {
    mount(out, h('p', { class: 'error', role: 'alert', id: 'el-error' }, e.describe ? e.describe() : String(e)));
    return;
  }
  if (!route.isCurrent()) return;
  const met = el.tiers.filter((t) => t.met).length;
  mount(out,
    h('h2', { id: 'el-h' }, `${el.name} (${el.country}) on ${el.date}`),
    h('p', { role: 'status' }, `${met} of ${el.tiers.length} tiers met.`),
    h('div', { class: 'grid2', id: 'el-tiers' }, el.tiers.map((t) => h('section', { class: `card tier ${t.met ? 'met' : 'unmet'}`, 'aria-label': t.title },
      h('h3', {}, h('span', { class: `pill ${t.met ? 'ok' : 'no'}` }, t.met ? 'met' : 'not met'), ' ', t.title),
      h('p', { class: 'muted small' }, `${t.status === 'law' ? 'Law' : 'Proposal'} · pack ${t.pack} · ${t.authority || ''}`),
      h('ul', { class: 'criteria' }, (t.criteria || []).map((c) => h('li', { class: c.met ? 'met' : 'missing' },
        h('strong', {}, c.met ? '✓ ' : '✗ missing: '), c.criterion || c.text || c.id,
        c.why ? h('div', { class: 'small muted' }, c.why) : null,
        c.authority ? h('div', { class: 'small muted' }, c.authority) : null)))))));
}
