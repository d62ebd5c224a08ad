#!/usr/bin/env node
// build-eval.js — builds data/screen/eval-pairs.csv, the labelled name pairs the screening
// matcher is measured on (bench/screen/run). Deterministic (fixed seed). Sources: the list
// snapshots in $AIB_SHARED_DATA/sanctions-lists.tar.gz (OFAC SDN + aliases, UN consolidated XML,
// US CSL). Transliterated variants are written by ICU's `uconv` (Latin-Cyrillic, Latin-Arabic,
// Latin-Greek). Usage: node data/screen/build-eval.js [LISTS_DIR_OR_TAR] > data/screen/eval-pairs.csv
// Categories (label 1 = same party, 0 = different parties):
//   alias      primary name vs a published alias of the same listed entry            (1)
//   script     UN name in original script vs its Latin name                           (1)
//   translit   Latin name written in Cyrillic/Arabic/Greek by ICU (either side)       (1)
//   typo       one or two random edits (substitute, delete, insert, transpose)        (1)
//   reorder    "SURNAME, Given" vs "Given SURNAME", or tokens shuffled                (1)
//   legalform  company legal form spelt out, abbreviated, moved or dropped            (1)
//   random     two different entries of the same kind                                 (0)
//   hard       two different entries of the same kind sharing a name token            (0)
//   hardtypo   different entries whose names differ by few characters                 (0)
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');

let src = process.argv[2] || path.join(process.env.AIB_SHARED_DATA || path.join(__dirname, '../../../shared/data'),
                                       'sanctions-lists.tar.gz');
let dir = src;
if (!fs.statSync(src).isDirectory()) {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aib-eval-'));
  execFileSync('tar', ['xzf', src, '-C', dir]);
  const sub = fs.readdirSync(dir).find(d => fs.statSync(path.join(dir, d)).isDirectory());
  if (sub) dir = path.join(dir, sub);
}

// deterministic PRNG (mulberry32)
let seed = 20260523;
function rnd() {
  seed |= 0; seed = (seed + 0x6D2B79F5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = a => a[Math.floor(rnd() * a.length)];
function shuffle(a) { for (let i = a.length - 1; i > 0; i--) { const j = Math.floor(rnd() * (i + 1)); [a[i], a[j]] = [a[j], a[i]]; } return a; }

function parseCsv(text) {
  const rows = []; let row = [], f = '', q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) { if (c === '"') { if (text[i + 1] === '"') { f += '"'; i++; } else q = false; } else f += c; continue; }
    if (c === '"') q = true; else if (c === ',') { row.push(f); f = ''; }
    else if (c === '\n') { row.push(f); rows.push(row); row = []; f = ''; }
    else if (c !== '\r') f += c;
  }
  if (f || row.length) { row.push(f); rows.push(row); }
  return rows;
}
const clean = s => (s || '').trim() === '-0-' ? '' : (s || '').trim();

// entries: {id, schema, names: [primary, ...aliases], script: [original-script names]}
const entries = [];
{
  const byId = new Map();
  for (const r of parseCsv(fs.readFileSync(path.join(dir, 'sdn.csv'), 'latin1'))) {
    if (r.length < 4) continue;
    const type = clean(r[2]).toLowerCase();
    const e = { id: 'sdn:' + r[0].trim(), schema: type === 'individual' ? 'Person' : (type === '' ? 'Company' : 'Other'),
                names: [clean(r[1])], script: [] };
    if (e.schema === 'Other' || !e.names[0]) continue;
    byId.set(r[0].trim(), e); entries.push(e);
  }
  for (const r of parseCsv(fs.readFileSync(path.join(dir, 'alt.csv'), 'latin1'))) {
    const e = byId.get((r[0] || '').trim());
    if (e && clean(r[2]).toLowerCase() === 'aka' && clean(r[3])) e.names.push(clean(r[3]));
  }
}
{
  const xml = fs.readFileSync(path.join(dir, 'UN_consolidated.xml'), 'utf8');
  const tag = (b, t) => { const m = b.match(new RegExp('<' + t + '>([^<]*)</' + t + '>')); return m ? m[1].trim() : ''; };
  for (const [kind, schema] of [['INDIVIDUAL', 'Person'], ['ENTITY', 'Company']]) {
    const re = new RegExp('<' + kind + '>([\\s\\S]*?)</' + kind + '>', 'g');
    let m;
    while ((m = re.exec(xml))) {
      const b = m[1];
      const name = ['FIRST_NAME', 'SECOND_NAME', 'THIRD_NAME', 'FOURTH_NAME'].map(t => tag(b, t)).filter(Boolean).join(' ');
      if (!name) continue;
      const e = { id: 'un:' + tag(b, 'REFERENCE_NUMBER'), schema, names: [name], script: [] };
      const ar = /<ALIAS_NAME>([^<]+)<\/ALIAS_NAME>/g; let a;
      while ((a = ar.exec(b))) e.names.push(a[1].trim());
      const os_ = tag(b, 'NAME_ORIGINAL_SCRIPT');
      if (os_) e.script.push(os_);
      entries.push(e);
    }
  }
}
{
  const csl = JSON.parse(fs.readFileSync(path.join(dir, 'csl-consolidated.json'), 'utf8'));
  const sources = csl.tables.sources;
  for (const x of csl.entries) {
    const s = sources[x.s] || '';
    if (/\(SDN\)/.test(s)) continue; // already taken from sdn.csv
    const schema = x.t === 'Individual' ? 'Person' : (x.t === 'Vessel' || x.t === 'Aircraft') ? 'Other' : 'Company';
    if (schema === 'Other') continue;
    entries.push({ id: 'csl:' + x.s + ':' + (x.e || x.n), schema, names: [x.n, ...(x.a || [])], script: [] });
  }
}

const pairs = [];
const seen = new Set();
function add(schema, a, b, label, cat, src) {
  a = a.replace(/\s+/g, ' ').trim(); b = b.replace(/\s+/g, ' ').trim();
  if (!a || !b || a.length > 200 || b.length > 200) return false;
  const k = [a.toLowerCase(), b.toLowerCase()].sort().join('\u0000');
  if (a.toLowerCase() === b.toLowerCase() || seen.has(k)) return false;
  seen.add(k);
  pairs.push({ schema, a, b, label, cat, src });
  return true;
}
const persons = entries.filter(e => e.schema === 'Person');
const companies = entries.filter(e => e.schema === 'Company');
const latin = s => /^[\x00-\x7f]*$/.test(s);

// aliases
for (const e of shuffle(entries.filter(e => e.names.length > 1)).slice(0, 1600)) {
  add(e.schema, e.names[0], pick(e.names.slice(1)), 1, 'alias', e.id);
}
// original script
for (const e of entries) for (const s of e.script) add(e.schema, s, e.names[0], 1, 'script', e.id);

// transliteration through ICU
function uconv(tr, lines) {
  const out = execFileSync('uconv', ['-x', tr], { input: lines.join('\n') + '\n' }).toString('utf8').split('\n');
  return out.slice(0, lines.length);
}
const title = s => s.toLowerCase().replace(/(^|[\s-])([a-z])/g, (m, p, c) => p + c.toUpperCase());
function plainOrder(n) { // "SURNAME, Given" -> "Given Surname"
  const i = n.indexOf(',');
  return i > 0 && n.indexOf(',', i + 1) < 0 ? n.slice(i + 1).trim() + ' ' + n.slice(0, i).trim() : n;
}
{
  const pool = shuffle(persons.filter(e => latin(e.names[0]))).slice(0, 700);
  const trs = ['Latin-Cyrillic', 'Latin-Arabic', 'Latin-Greek'];
  for (let t = 0; t < trs.length; t++) {
    const part = pool.slice(t * 200, (t + 1) * 200 + (t === 0 ? 100 : 0));
    const conv = uconv(trs[t], part.map(e => title(plainOrder(e.names[0]))));
    part.forEach((e, i) => {
      if (rnd() < 0.5) add('Person', conv[i], e.names[0], 1, 'translit', e.id + ':' + trs[t]);
      else add('Person', e.names[0], conv[i], 1, 'translit', e.id + ':' + trs[t]);
    });
  }
  const cpool = shuffle(companies.filter(e => latin(e.names[0]))).slice(0, 150);
  const conv = uconv('Latin-Cyrillic', cpool.map(e => title(e.names[0])));
  cpool.forEach((e, i) => add('Company', e.names[0], conv[i], 1, 'translit', e.id + ':Latin-Cyrillic'));
}

// typos
function typo(s) {
  const n = rnd() < 0.7 ? 1 : 2;
  let a = s.split('');
  for (let k = 0; k < n; k++) {
    const letters = a.map((c, i) => /[A-Za-z]/.test(c) ? i : -1).filter(i => i >= 0);
    if (letters.length < 4) break;
    const i = pick(letters.slice(1)); // keep the first letter, as most typos do
    const c = String.fromCharCode(97 + Math.floor(rnd() * 26));
    const up = a[i] === a[i].toUpperCase();
    const cc = up ? c.toUpperCase() : c;
    const op = Math.floor(rnd() * 4);
    if (op === 0) a[i] = cc;
    else if (op === 1) a.splice(i, 1);
    else if (op === 2) a.splice(i, 0, cc);
    else if (i + 1 < a.length) [a[i], a[i + 1]] = [a[i + 1], a[i]];
  }
  return a.join('');
}
for (const e of shuffle(entries.filter(e => latin(e.names[0]) && e.names[0].length >= 8)).slice(0, 700)) {
  add(e.schema, e.names[0], typo(e.names[0]), 1, 'typo', e.id);
}
// reordered person names
for (const e of shuffle(persons.filter(e => latin(e.names[0]))).slice(0, 450)) {
  const n = e.names[0];
  let v = plainOrder(n);
  if (v === n || rnd() < 0.3) v = shuffle(n.replace(/,/g, ' ').split(/\s+/).filter(Boolean)).join(' ');
  add('Person', n, v, 1, 'reorder', e.id);
}
// company legal forms
const forms = [
  [/\bLIMITED LIABILITY COMPANY\b/i, ['LLC', 'L.L.C.']], [/\bLLC\b/i, ['Limited Liability Company', 'L.L.C.', '']],
  [/\bLIMITED\b/i, ['LTD', 'Ltd.']], [/\bLTD\.?/i, ['Limited', '']], [/\bCO\.?,? LTD\.?/i, ['Company Limited', 'Co Ltd', '']],
  [/\bCOMPANY\b/i, ['Co.', 'CO']], [/\bCORPORATION\b/i, ['Corp.', 'CORP']], [/\bCORP\.?/i, ['Corporation']],
  [/\bINC\.?/i, ['Incorporated', '']], [/\bGMBH\b/i, ['Gesellschaft mit beschränkter Haftung', 'G.m.b.H.']],
  [/\bAG\b/, ['Aktiengesellschaft']], [/\bS\.?A\.?$/i, ['Sociedad Anonima', 'SA', '']],
  [/\bJOINT STOCK COMPANY\b/i, ['JSC', 'AO']], [/\bJSC\b/i, ['Joint Stock Company', 'AO']],
  [/\bOOO\b/i, ['LLC', 'Obshchestvo s Ogranichennoy Otvetstvennostyu']],
  [/\bLIMITED LIABILITY PARTNERSHIP\b/i, ['LLP']], [/\bPUBLIC JOINT STOCK COMPANY\b/i, ['PJSC', 'PAO']],
];
{
  let made = 0;
  for (const e of shuffle(companies.filter(e => latin(e.names[0])))) {
    if (made >= 450) break;
    const n = e.names[0];
    const f = forms.find(([re]) => re.test(n));
    if (!f) continue;
    let v = n.replace(f[0], pick(f[1])).replace(/\s+,/g, ',').replace(/,\s*$/, '');
    if (rnd() < 0.25) { // move the form to the front, Russian style
      const m = n.match(f[0]);
      v = m[0] + ' ' + n.replace(f[0], '').replace(/[,\s]+$/, '');
    }
    if (add('Company', n, v, 1, 'legalform', e.id)) made++;
  }
}
// negatives
for (let k = 0; k < 2500; k++) {
  const pool = rnd() < 0.5 ? persons : companies;
  const a = pick(pool), b = pick(pool);
  if (a === b || a.names.some(x => b.names.some(y => x.toLowerCase() === y.toLowerCase()))) continue;
  add(a.schema, pick(a.names), pick(b.names), 0, 'random', a.id + '|' + b.id);
}
{
  // pairs stay within one list: the same party listed by two authorities is not a negative
  const fam = e => e.id.split(':').slice(0, e.id.startsWith('csl:') ? 2 : 1).join(':');
  const tokIndex = new Map();
  const toks = s => s.toLowerCase().replace(/[^a-z0-9 ]/g, ' ').split(/\s+/).filter(t => t.length >= 4);
  for (const e of entries) for (const t of new Set(toks(e.names[0]))) {
    if (!tokIndex.has(t)) tokIndex.set(t, []);
    tokIndex.get(t).push(e);
  }
  let made = 0;
  for (const e of shuffle(entries.slice())) {
    if (made >= 1800) break;
    const ts = toks(e.names[0]);
    if (!ts.length) continue;
    const t = pick(ts);
    const others = (tokIndex.get(t) || []).filter(o => o !== e && o.schema === e.schema && fam(o) === fam(e) &&
      o.names.every(n => n.toLowerCase() !== e.names[0].toLowerCase()));
    if (!others.length) continue;
    if (add(e.schema, e.names[0], pick(others).names[0], 0, 'hard', e.id + '|' + t)) made++;
  }
  // near-identical names of different parties (edit distance <= 3 on the folded name)
  const lev = (a, b) => {
    const d = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let prev = d[0]; d[0] = i;
      for (let j = 1; j <= b.length; j++) { const t = d[j]; d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] !== b[j - 1])); prev = t; }
    }
    return d[b.length];
  };
  const byPrefix = new Map();
  for (const e of entries) {
    if (!e.id.startsWith('sdn:') && !e.id.startsWith('un:')) continue; // lists with unique ids only
    const f = e.names[0].toLowerCase().replace(/[^a-z0-9]/g, '');
    if (f.length < 6) continue;
    const p = f.slice(0, 3);
    if (!byPrefix.has(p)) byPrefix.set(p, []);
    byPrefix.get(p).push([f, e]);
  }
  let hm = 0;
  for (const [, list] of byPrefix) {
    if (hm >= 400) break;
    for (let i = 0; i < list.length && i < 60; i++) for (let j = i + 1; j < list.length && j < 60; j++) {
      const [fa, ea] = list[i], [fb, eb] = list[j];
      if (ea.schema !== eb.schema || fam(ea) !== fam(eb) || Math.abs(fa.length - fb.length) > 3) continue;
      const shared = ea.names.some(x => eb.names.some(y => x.toLowerCase() === y.toLowerCase()));
      if (shared || fa === fb) continue;
      const d = lev(fa, fb);
      if (d >= 1 && d <= 3 && add(ea.schema, ea.names[0], eb.names[0], 0, 'hardtypo', ea.id + '|' + eb.id)) hm++;
    }
  }
}

const q = s => /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
const out = ['id,schema,name1,name2,label,category,source'];
pairs.forEach((p, i) => out.push([i + 1, p.schema, q(p.a), q(p.b), p.label, p.cat, q(p.src)].join(',')));
process.stdout.write(out.join('\n') + '\n');
const counts = {};
for (const p of pairs) counts[p.cat] = (counts[p.cat] || 0) + 1;
process.stderr.write('eval pairs: ' + pairs.length + ' ' + JSON.stringify(counts) + '\n');
