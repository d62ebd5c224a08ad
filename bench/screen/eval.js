#!/usr/bin/env node
// eval.js — precision/recall/F1 of `aib screen pairs` output against the labels of
// data/screen/eval-pairs.csv, overall and per category; with --fit, fits the name calibration
// (logistic regression on coverage min/max and the conflict flag, from --explain output) on the
// even-numbered pairs and reports the odd-numbered ones as held out.
// Usage: node bench/screen/eval.js SCORED.csv [--fit]
'use strict';
const fs = require('fs');

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

const rows = parseCsv(fs.readFileSync(process.argv[2], 'utf8'));
const head = rows.shift();
const col = n => head.indexOf(n);
const data = rows.filter(r => r.length >= head.length - 1).map(r => ({
  id: +r[col('id')], label: r[col('label')] === '1', cat: r[col('category')], score: +r[col('score')],
  match: r[col('match')] === 'true', ex: col('explanation') >= 0 ? r[col('explanation')] : null,
}));

function metrics(set, pred) {
  let tp = 0, fp = 0, fn = 0, tn = 0;
  for (const d of set) { const p = pred(d); if (p && d.label) tp++; else if (p) fp++; else if (d.label) fn++; else tn++; }
  const P = tp + fp ? tp / (tp + fp) : 1, R = tp + fn ? tp / (tp + fn) : 1;
  return { tp, fp, fn, tn, P, R, F1: P + R ? 2 * P * R / (P + R) : 0 };
}
const fmt = m => `P=${m.P.toFixed(3)} R=${m.R.toFixed(3)} F1=${m.F1.toFixed(3)} (tp ${m.tp} fp ${m.fp} fn ${m.fn} tn ${m.tn})`;

if (process.argv.includes('--fit')) {
  const feats = d => {
    const e = JSON.parse(d.ex);
    const a = e.coverage_query, b = e.coverage_listed;
    return [1, Math.min(a, b), Math.max(a, b), e.conflict ? 1 : 0];
  };
  const train = data.filter(d => d.id % 2 === 0), test = data.filter(d => d.id % 2 === 1);
  const X = train.map(feats), y = train.map(d => d.label ? 1 : 0);
  let w = [0, 0, 0, 0];
  const lr = 0.5, l2 = 1e-4;
  for (let it = 0; it < 20000; it++) {
    const g = [0, 0, 0, 0];
    for (let i = 0; i < X.length; i++) {
      const z = X[i].reduce((s, x, k) => s + x * w[k], 0), p = 1 / (1 + Math.exp(-z));
      for (let k = 0; k < 4; k++) g[k] += (p - y[i]) * X[i][k];
    }
    for (let k = 0; k < 4; k++) w[k] -= lr * (g[k] / X.length + (k ? l2 * w[k] : 0));
  }
  console.log('fitted: bias %s min %s max %s conflict %s', ...w.map(v => v.toFixed(3)));
  const pred = d => { const z = feats(d).reduce((s, x, k) => s + x * w[k], 0); return z >= 0; };
  console.log('train (even ids):', fmt(metrics(train, pred)));
  console.log('held out (odd ids):', fmt(metrics(test, pred)));
  process.exit(0);
}

const all = metrics(data, d => d.match);
console.log(`screen pairs: ${data.length} labelled pairs, threshold from the scorer`);
console.log('  overall      ' + fmt(all));
const cats = [...new Set(data.map(d => d.cat))];
for (const c of cats) {
  const m = metrics(data.filter(d => d.cat === c), d => d.match);
  const pos = data.find(d => d.cat === c).label;
  console.log('  ' + c.padEnd(12) + ' ' + (pos ? `recall ${m.R.toFixed(3)} (${m.tp}/${m.tp + m.fn})`
                                                 : `false-positive rate ${(m.fp / (m.fp + m.tn)).toFixed(3)} (${m.fp}/${m.fp + m.tn})`));
}
console.log(`PRF ${all.P.toFixed(4)} ${all.R.toFixed(4)} ${all.F1.toFixed(4)}`);
