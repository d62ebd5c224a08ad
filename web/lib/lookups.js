// lookups.js — reference look-ups for forms (GET /v1/lookup/...): countries, groups, USML
// categories and ECCNs, fetched once per page load and offered as <datalist> suggestions so a
// field still accepts any text the API will check.

import { api, qs } from './api.js';
import { h } from './dom.js';

const cache = {};
async function once(key, path) {
  if (!cache[key]) cache[key] = api('GET', path).catch((e) => { delete cache[key]; throw e; });
  return cache[key];
}

/** <datalist id> of countries (value: alpha-3, label: name). */
export async function countryList(id) {
  const c = await once('countries', '/v1/lookup/countries');
  return h('datalist', { id }, c.items.map((x) => h('option', { value: x.alpha3 }, x.name)));
}

/** <datalist id> of USML paragraphs ("XII(c)") with their text. */
export async function usmlList(id) {
  const u = await once('usml', '/v1/lookup/usml');
  return h('datalist', { id }, u.items.flatMap((c) => [h('option', { value: c.roman }, `Cat. ${c.roman} — ${c.title}`),
    ...c.paragraphs.map((p) => h('option', { value: `${c.roman}${p.id}` }, `${c.roman}${p.id} — ${p.text}${p.sme ? ' (SME)' : ''}`))]));
}

/** ECCNs matching text (code prefix or heading words). */
export async function eccnSearch(text, limit = 20) {
  return (await api('GET', `/v1/lookup/eccn${qs({ q: text, limit })}`)).items;
}

/** Groups with members on date (YYYY-MM-DD or ''). */
export async function groups(date) {
  return once(`groups:${date || ''}`, `/v1/lookup/groups${qs({ date })}`);
}
