// screen.js — restricted-party screening against the lists the server loaded (POST /v1/screen):
// one query with each hit explained (token alignment and each feature's contribution to the
// calibrated score), and a batch: a CSV with a `name` column (optional schema, country, dob, id)
// sent up to 100 rows per request through the route's batch form, with a progress bar, the
// result offered as a CSV download with the same added columns as `aib screen batch`.

import { api } from '../lib/api.js';
import { h, mount, newId, announce } from '../lib/dom.js';
import { divergingChart } from '../lib/charts.js';
import { parseCsv, toCsv } from '../lib/csv.js';

// Rows per batch request (the API takes up to 1000; 100 keeps each answer small and the bar moving).
const CHUNK = 100;
const SCHEMAS = ['Any', 'Person', 'Company', 'Vessel', 'Aircraft'];
const FEATURE_NAMES = {
  name_bias: 'Calibration intercept', name_coverage_min: 'Name coverage (lower side)', name_coverage_max: 'Name coverage (higher side)',
  country: 'Country', dob: 'Date of birth', schema: 'Kind of party', id: 'Identifier',
};

function hitCard(hit, i) {
  const ex = hit.explanation || {};
  const align = ex.alignment || [];
  const feats = (ex.features || []).filter((f) => typeof f.contribution === 'number');
  const decisive = (ex.features || []).find((f) => f.contribution === 'decisive' || f.decisive);
  return h('article', { class: `card hit ${hit.match ? 'match' : ''}`, 'aria-labelledby': `hit-${i}` },
    h('h3', { id: `hit-${i}` }, hit.matched_name || hit.name,
      h('span', { class: 'tag' }, hit.match ? 'match' : 'below threshold'),
      h('span', { class: 'score' }, `score ${hit.score.toFixed(3)}`),
      h('meter', { min: 0, max: 1, low: 0.5, high: 0.8, optimum: 0, value: hit.score, 'aria-label': `score ${hit.score.toFixed(3)}` })),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Entry'), h('dd', {}, h('code', {}, hit.entry), ` on list ${hit.list}`),
      h('dt', {}, 'Listed name'), h('dd', {}, hit.name),
      h('dt', {}, 'Kind'), h('dd', {}, hit.schema || '—'),
      h('dt', {}, 'Programs'), h('dd', {}, hit.programs || '—'),
      h('dt', {}, 'Countries'), h('dd', {}, (hit.countries || []).join(', ') || '—'),
      (hit.dobs || []).length ? [h('dt', {}, 'Dates of birth'), h('dd', {}, hit.dobs.join(', '))] : null,
      h('dt', {}, 'Name score alone'), h('dd', {}, hit.name_score !== undefined ? hit.name_score.toFixed(3) : '—')),
    h('details', { open: i === 0 },
      h('summary', {}, 'Why this hit'),
      decisive ? h('p', {}, h('strong', {}, 'An identifier given with the query is listed for this entry: that decides the match.')) : null,
      h('p', {}, 'Names are compared after transliteration and folding; ', h('code', {}, ex.matched_folded || ''), ' is the folded listed name. Each query token is aligned with at most one listed token:'),
      h('table', { class: 'data' },
        h('caption', { class: 'sr-only' }, 'Token alignment'),
        h('thead', {}, h('tr', {}, ['Query token', 'Listed token', 'Similarity', 'Weight'].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, align.map((a) => h('tr', {},
          h('th', { scope: 'row' }, a.query === null ? '—' : a.query), h('td', {}, a.listed === null ? '— (unmatched)' : a.listed),
          h('td', {}, a.sim === null || a.sim === undefined ? '—' : Number(a.sim).toFixed(3)), h('td', {}, a.weight === undefined ? '—' : Number(a.weight).toFixed(2)))))),
      feats.length ? divergingChart(`Contributions to the score (log-odds) for ${hit.entry}`, feats.map((f) => ({
        label: FEATURE_NAMES[f.feature] || f.feature, value: f.contribution, note: f.detail,
      })), (v) => (v >= 0 ? `+${v.toFixed(2)}` : v.toFixed(2)), {
        desc: `Feature contributions: ${feats.map((f) => `${FEATURE_NAMES[f.feature] || f.feature} ${f.contribution.toFixed(2)}`).join('; ')}. The score is the logistic function of their sum.`,
      }) : null));
}

function singleForm(out) {
  const name = h('input', { id: 'scr-name', name: 'name', required: true, maxlength: 1024, autocomplete: 'off' });
  const schema = h('select', { id: 'scr-schema', name: 'schema' }, SCHEMAS.map((x) => h('option', { value: x }, x)));
  const country = h('input', { id: 'scr-country', name: 'country', maxlength: 64, size: 10 });
  const dob = h('input', { id: 'scr-dob', name: 'dob', maxlength: 10, size: 10, placeholder: 'YYYY-MM-DD' });
  const idn = h('input', { id: 'scr-id', name: 'id_number', maxlength: 128 });
  const thr = h('input', { id: 'scr-thr', name: 'threshold', type: 'number', min: 0.05, max: 1, step: 0.05, value: '0.5' });
  const err = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { class: 'card', id: 'screen-form', 'aria-labelledby': 'scr-h' },
    h('h2', { id: 'scr-h' }, 'Screen a name'),
    h('div', { class: 'field' }, h('label', { for: name.id }, 'Name'), name),
    h('div', {},
      h('div', { class: 'field inline' }, h('label', { for: schema.id }, 'Kind'), schema),
      h('div', { class: 'field inline' }, h('label', { for: country.id }, 'Country'), country),
      h('div', { class: 'field inline' }, h('label', { for: dob.id }, 'Date of birth'), dob),
      h('div', { class: 'field inline' }, h('label', { for: idn.id }, 'Identifier'), idn),
      h('div', { class: 'field inline' }, h('label', { for: thr.id }, 'Threshold'), thr)),
    err, h('button', { type: 'submit', class: 'primary' }, 'Screen'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.textContent = '';
    const q = { name: name.value.trim() };
    if (!q.name) { err.textContent = 'name: enter a name to screen'; name.focus(); return; }
    if (schema.value !== 'Any') q.schema = schema.value;
    if (country.value.trim()) q.country = country.value.trim();
    if (dob.value.trim()) q.dob = dob.value.trim();
    if (idn.value.trim()) q.id_number = idn.value.trim();
    if (thr.value && Number(thr.value) !== 0.5) q.threshold = Number(thr.value);
    mount(out, h('p', { class: 'loading', role: 'status' }, 'Screening…'));
    try {
      const r = await api('POST', '/v1/screen', q);
      const matches = r.hits.filter((x) => x.match).length;
      mount(out,
        h('h2', { id: 'screen-summary', tabindex: '-1' }, matches ? `${matches} possible match${matches === 1 ? '' : 'es'}` : 'No match at this threshold'),
        h('p', { class: 'muted' }, `Result ${r.result_id} · matcher ${r.matcher} · threshold ${r.threshold} · ${r.candidates} candidate${r.candidates === 1 ? '' : 's'} scored · lists: `,
          r.lists.map((l) => `${l.name} (${l.entries} entries, sha256 ${l.sha256.slice(0, 12)}…)`).join('; ')),
        h('p', { class: 'muted small' }, 'Quote the result id when recording a decision (aib screen decide): it identifies the query, the lists and the matcher.'),
        r.hits.map(hitCard));
      announce(out.querySelector('#screen-summary').textContent);
    } catch (e) {
      mount(out);
      err.textContent = e.describe ? e.describe() : String(e);
    }
  });
  return form;
}

function batchForm() {
  const file = h('input', { id: 'batch-file', name: 'file', type: 'file', accept: '.csv,text/csv', 'aria-describedby': 'batch-hint' });
  const prog = h('progress', { id: 'batch-progress', max: 1, value: 0, 'aria-label': 'Batch progress', hidden: true });
  const status = h('p', { id: 'batch-status', role: 'status', 'aria-live': 'polite' });
  const err = h('p', { class: 'error', role: 'alert', id: 'batch-error' });
  const dl = h('p', { id: 'batch-download' });
  const go = h('button', { type: 'submit', class: 'primary' }, 'Screen file');
  const cancel = h('button', { type: 'button', hidden: true }, 'Cancel');
  let aborted = false;
  cancel.addEventListener('click', () => { aborted = true; });
  const form = h('form', { class: 'card', id: 'batch-form', 'aria-labelledby': 'batch-h' },
    h('h2', { id: 'batch-h' }, 'Screen a file'),
    h('div', { class: 'field' }, h('label', { for: file.id }, 'CSV file'), file,
      h('small', { class: 'hint', id: 'batch-hint' }, 'A header line with a name column; optional columns schema, country, dob, id. Other columns are kept. The file is read in this browser and sent 100 rows at a time.')),
    h('div', {}, go, ' ', cancel), prog, status, err, dl);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.textContent = ''; status.textContent = ''; mount(dl);
    const f = file.files && file.files[0];
    if (!f) { err.textContent = 'file: choose a CSV file'; file.focus(); return; }
    let csv;
    try { csv = parseCsv(await f.text()); } catch (e) { err.textContent = `${f.name}: ${e.message}`; return; }
    const col = (n) => csv.header.findIndex((x) => x.toLowerCase() === n);
    const ci = { name: col('name'), schema: col('schema'), country: col('country'), dob: col('dob'), id: col('id') };
    if (ci.name < 0) { err.textContent = `${f.name}: line 1: the header has no name column`; return; }
    const n = csv.rows.length;
    const out = new Array(n);
    let done = 0;
    let failed = 0;
    aborted = false;
    go.disabled = true; cancel.hidden = false; prog.hidden = false; prog.max = Math.max(1, n); prog.value = 0;
    const tick = (k) => {
      done += k;
      prog.value = done;
      status.textContent = `${done} of ${n} rows screened${failed ? `, ${failed} failed` : ''}`;
    };
    const fail = (i, msg) => {
      failed += 1;
      out[i] = [...csv.rows[i], '', 'error', '', '', '', `line ${csv.lines[i]}: ${msg}`, ''];
    };
    // Rows become queries; a row with no name fails here and is not sent.
    const todo = [];
    const queries = new Array(n);
    for (let i = 0; i < n; i++) {
      const row = csv.rows[i];
      const q = { name: row[ci.name].trim() };
      if (ci.schema >= 0 && row[ci.schema].trim()) q.schema = row[ci.schema].trim();
      if (ci.country >= 0 && row[ci.country].trim()) q.country = row[ci.country].trim();
      if (ci.dob >= 0 && row[ci.dob].trim()) q.dob = row[ci.dob].trim();
      if (ci.id >= 0 && row[ci.id].trim()) q.id_number = row[ci.id].trim();
      queries[i] = q;
      if (q.name) todo.push(i);
    }
    for (let i = 0; i < n; i++) if (!queries[i].name) { fail(i, 'empty name'); tick(1); }
    // Up to CHUNK rows per request through the batch form of POST /v1/screen. The server refuses
    // a batch whole when one item is invalid and names it (queries[k].field): that row is marked
    // failed and the rest of the chunk is sent again.
    const chunks = [];
    for (let k = 0; k < todo.length; k += CHUNK) chunks.push(todo.slice(k, k + CHUNK));
    let next = 0;
    const worker = async () => {
      while (!aborted && next < chunks.length) {
        let idx = chunks[next++];
        while (idx.length && !aborted) {
          try {
            const r = await api('POST', '/v1/screen', { queries: idx.map((i) => queries[i]) });
            r.results.forEach((res, k) => {
              const top = res.hits[0];
              const m = res.hits.filter((x) => x.match).length;
              out[idx[k]] = [...csv.rows[idx[k]], res.result_id, m ? 'true' : 'false', top ? top.score.toFixed(4) : '', top ? top.entry : '', top ? top.list : '', top ? top.matched_name : '', String(m)];
            });
            tick(idx.length);
            idx = [];
          } catch (e) {
            const at = e.status === 400 && /^queries\[(\d+)\](?:\.(.*))?$/.exec(e.field || '');
            if (at && Number(at[1]) < idx.length) {
              const k = Number(at[1]);
              fail(idx[k], `${at[2] === 'id_number' ? 'id' : at[2] || 'row'}: ${e.message}`);
              tick(1);
              idx = idx.filter((_, j) => j !== k);
            } else {
              const msg = e.describe ? e.describe() : e.message;
              idx.forEach((i) => fail(i, msg));
              tick(idx.length);
              idx = [];
            }
          }
        }
      }
    };
    await Promise.all([worker(), worker()]);
    go.disabled = false; cancel.hidden = true;
    const rows = out.filter(Boolean);
    const text = toCsv([...csv.header, 'result_id', 'match', 'score', 'entry', 'list', 'matched_name', 'hits'], rows);
    const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
    const matches = rows.filter((r) => r[csv.header.length + 1] === 'true').length;
    status.textContent = `${aborted ? 'Cancelled after' : 'Done:'} ${done} of ${n} rows screened, ${matches} with a match${failed ? `, ${failed} failed` : ''}.`;
    mount(dl, h('a', { class: 'button primary', href: url, download: f.name.replace(/\.csv$/i, '') + '-screened.csv', id: 'batch-result' }, 'Download the result (CSV)'));
  });
  return form;
}

export async function render(main, ctx, route) {
  document.title = 'Screening — aib';
  const out = h('section', { id: 'screen-result', 'aria-label': 'Screening result' });
  mount(main,
    h('h1', {}, 'Restricted-party screening'),
    h('p', { class: 'muted' }, 'Names are matched across scripts and spellings against the lists loaded on this server. A hit above the threshold needs a review before any transfer.'),
    singleForm(out), out, batchForm());
  main.querySelector('#scr-name').focus();
}
