// case_new.js — the form to file a case. Its fields come from the case type definitions
// (GET /v1/case-types: data/cases/*.json), so a new type or field needs no change here. The API
// checks everything; an error names the field, which the form marks and focuses.

import { api } from '../lib/api.js';
import { h, mount, newId, announce } from '../lib/dom.js';

const NATION_RE = /^[A-Z]{3}$/;

function splitList(v) {
  return v.split(/[,;\n]/).map((x) => x.trim()).filter(Boolean);
}

function control(f) {
  const id = newId(`fld-${f.name}`);
  const name = `fields.${f.name}`;
  const common = { id, name, required: f.required || null, 'data-kind': f.kind };
  switch (f.kind) {
    case 'boolean': return h('input', { ...common, type: 'checkbox', required: null });
    case 'integer': return h('input', { ...common, type: 'number', step: 1, min: 0, inputmode: 'numeric' });
    case 'date': return h('input', { ...common, type: 'date' });
    case 'nation': return h('input', { ...common, type: 'text', maxlength: 3, size: 4, pattern: '[A-Za-z]{3}', autocapitalize: 'characters' });
    default: return h('input', { ...common, type: 'text' });
  }
}

const HINTS = {
  nation: 'three-letter ISO 3166-1 code, e.g. GBR',
  nations: 'comma-separated ISO codes, e.g. GBR, AUS',
  strings: 'comma-separated list',
  date: 'YYYY-MM-DD',
};

function readField(input) {
  const kind = input.dataset.kind;
  const v = input.value.trim();
  switch (kind) {
    case 'boolean': return input.checked ? true : undefined;
    case 'integer': return v === '' ? undefined : Number(v);
    case 'nation': return v === '' ? undefined : v.toUpperCase();
    case 'nations': return v === '' ? undefined : splitList(v).map((x) => x.toUpperCase());
    case 'strings': return v === '' ? undefined : splitList(v);
    default: return v === '' ? undefined : v;
  }
}

export async function render(main, ctx, route) {
  const types = await ctx.getCaseTypes();
  if (!route.isCurrent()) return;
  document.title = 'File a case — aib';
  if (!['admin', 'officer'].includes(ctx.who.role)) {
    mount(main, h('h1', {}, 'File a case'), h('p', { class: 'card' }, `Cases are filed by admins and officers; this token has the role “${ctx.who.role}”.`));
    return;
  }
  const want = route.params.get('type');
  const typeSel = h('select', { id: 'case-type', name: 'type', required: true },
    types.map((t) => h('option', { value: t.id, selected: t.id === want }, t.name || t.id)));
  const title = h('input', { id: 'case-title-in', name: 'title', required: true, maxlength: 500 });
  const released = h('input', { id: 'case-released', name: 'released_to', 'aria-describedby': 'rel-hint' });
  const typeBox = h('div', { class: 'type-fields' });
  const err = h('div', { class: 'error', role: 'alert', id: 'case-error' });
  let subSel = null;

  function drawType() {
    const t = types.find((x) => x.id === typeSel.value);
    subSel = t.subtypes.length
      ? h('select', { id: 'case-subtype', name: 'subtype', required: true }, t.subtypes.map((st) => h('option', { value: st }, st)))
      : null;
    mount(typeBox,
      h('p', { class: 'muted small' }, `Stages follow: ${t.source || '—'}`),
      subSel ? h('div', { class: 'field' }, h('label', { for: subSel.id }, 'Subtype'), subSel) : null,
      h('fieldset', {}, h('legend', {}, `${t.name || t.id}: details`),
        t.fields.map((f) => {
          const c = control(f);
          const hint = HINTS[f.kind] ? h('small', { class: 'hint', id: `${c.id}-hint` }, HINTS[f.kind]) : null;
          if (hint) c.setAttribute('aria-describedby', hint.id);
          const label = h('label', { for: c.id }, f.name.replace(/_/g, ' '), f.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : '');
          return f.kind === 'boolean'
            ? h('div', { class: 'field check' }, c, label)
            : h('div', { class: 'field' }, label, c, hint);
        })));
  }
  typeSel.addEventListener('change', drawType);
  drawType();

  const form = h('form', { id: 'case-form', class: 'card', 'aria-labelledby': 'new-h', novalidate: true },
    h('h1', { id: 'new-h' }, 'File a case'),
    h('p', { class: 'muted' }, `The case will be owned by ${ctx.who.nation}. Fields marked * are required.`),
    h('div', { class: 'field' }, h('label', { for: typeSel.id }, 'Case type ', h('span', { class: 'req', 'aria-hidden': 'true' }, '*')), typeSel),
    h('div', { class: 'field' }, h('label', { for: title.id }, 'Title ', h('span', { class: 'req', 'aria-hidden': 'true' }, '*')), title),
    h('div', { class: 'field' }, h('label', { for: released.id }, 'Release to nations'), released,
      h('small', { class: 'hint', id: 'rel-hint' }, 'comma-separated ISO codes; only these nations (and yours) will see the case')),
    typeBox, err,
    h('button', { type: 'submit', class: 'primary', id: 'case-submit' }, 'File case'));

  function mark(fieldName, msg) {
    for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    err.textContent = fieldName ? `${fieldName}: ${msg}` : msg;
    const base = (fieldName || '').replace(/\[\d+\]$/, '');
    const el = form.querySelector(`[name="${CSS.escape(base)}"]`);
    if (el) { el.setAttribute('aria-invalid', 'true'); el.focus(); } else err.focus();
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.textContent = '';
    if (!title.value.trim()) { mark('title', 'a title is required'); return; }
    const rel = splitList(released.value).map((x) => x.toUpperCase());
    const badRel = rel.find((x) => !NATION_RE.test(x));
    if (badRel) { mark('released_to', `“${badRel}” is not a three-letter nation code`); return; }
    const fields = {};
    for (const input of typeBox.querySelectorAll('[name^="fields."]')) {
      const v = readField(input);
      const name = input.name.slice(7);
      if (v === undefined) {
        if (input.required) { mark(input.name, 'required'); return; }
        continue;
      }
      if (input.dataset.kind === 'nation' && !NATION_RE.test(v)) { mark(input.name, `“${v}” is not a three-letter nation code`); return; }
      fields[name] = v;
    }
    const body = { type: typeSel.value, title: title.value.trim(), fields };
    if (subSel) body.subtype = subSel.value;
    if (rel.length) body.released_to = rel;
    const btn = form.querySelector('button[type=submit]');
    btn.disabled = true;
    try {
      const res = await api('POST', '/v1/cases', body);
      announce('Case filed');
      location.hash = `#/cases/${encodeURIComponent(res.id)}`;
    } catch (e) {
      mark(e.field, e.message);
    } finally {
      btn.disabled = false;
    }
  });

  mount(main, form);
  title.focus();
}
