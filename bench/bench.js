#!/usr/bin/env node
// bench.js — runs every benchmark measurement in one go and prints the comparison table:
// corpus replay (bench/corpus vs bench/corpus_wasm.js), the release workload in process
// (bench/release vs bench/release_wasm.js) and end to end (`aib cedar authorize --requests`).
// Called by bench/run, which prepares the programs and data; figures are medians over --reps runs.
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const o = { reps: 3, sample: 2000, pin: '' };
for (let i = 2; i < process.argv.length; i++) {
  const k = process.argv[i].replace(/^--/, '');
  o[k.replace(/-([a-z])/g, (m, c) => c.toUpperCase())] = process.argv[++i];
}
o.reps = Number(o.reps);
o.sample = Number(o.sample);
const pin = o.pin ? o.pin.split(' ') : [];

const median = (a) => { const s = a.filter((x) => Number.isFinite(x)).sort((x, y) => x - y); return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN; };
const fmt = (x) => (Number.isFinite(x) ? (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(2)) : 'n/a');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? (a / b >= 10 ? Math.round(a / b).toLocaleString('en-US') : (a / b).toFixed(1)) + 'x' : 'n/a');

function runJSON(label, cmd, args) {
  const t0 = Date.now();
  const p = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 << 20 });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (p.error || p.status !== 0) {
    process.stderr.write(`bench: ${label} failed (${p.error ? p.error.message : 'exit ' + p.status}${p.signal ? ' ' + p.signal : ''}): ${(p.stderr || '').trim().slice(0, 400)}\n`);
    return null;
  }
  process.stderr.write(`bench: ${label} done in ${secs} s\n`);
  try { return JSON.parse(p.stdout.trim().split('\n').pop()); } catch (e) { process.stderr.write(`bench: ${label}: bad output\n`); return null; }
}

const nowNs = () => process.hrtime.bigint();
const GNU_TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
// one end-to-end run; returns {wall, cpu} in seconds (cpu from GNU time when available)
function cliRun(reqFile) {
  const dir = o.release;
  const args = ['cedar', 'authorize', '--policies', path.join(dir, 'policies.cedar'), '--entities', path.join(dir, 'entities.json'),
    '--schema', path.join(dir, 'schema.cedarschema'), '--requests', reqFile || path.join(dir, 'requests.jsonl')];
  let cmd = pin.length ? pin[0] : o.aib;
  let full = pin.length ? pin.slice(1).concat([o.aib], args) : args;
  if (GNU_TIME) { full = ['-f', 'AIBCPU %U %S', cmd].concat(full); cmd = GNU_TIME; }
  const outFd = fs.openSync(path.join(dir, 'cli.out'), 'w');
  const t0 = nowNs();
  const p = spawnSync(cmd, full, { stdio: ['ignore', outFd, 'pipe'], encoding: 'utf8' });
  const dt = Number(nowNs() - t0) / 1e9;
  fs.closeSync(outFd);
  if (p.error || p.signal || (p.status !== 0 && p.status !== 1)) {
    process.stderr.write(`bench: aib cedar authorize failed (exit ${p.status}${p.signal ? ' ' + p.signal : ''}): ${(p.stderr || '').trim().slice(0, 400)}\n`);
    return null;
  }
  const m = /AIBCPU ([0-9.]+) ([0-9.]+)/.exec(p.stderr || '');
  return { wall: dt, cpu: m ? Number(m[1]) + Number(m[2]) : NaN };
}
function countLines(f) {
  const b = fs.readFileSync(f);
  let n = 0, allow = 0;
  for (const line of b.toString('utf8').split('\n')) {
    if (!line) continue;
    n++;
    if (line.includes('"decision":"allow"')) allow++;
  }
  return { n, allow };
}

// ---- measurements -------------------------------------------------------------------------------
const t0all = Date.now();
const load0 = fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
const nReqRelease = fs.readFileSync(path.join(o.release, 'requests.jsonl'), 'utf8').split('\n').filter((l) => l).length;
const corpusList = path.join(o.release, '..', 'corpus-loaded.txt');
const aibCorpus = runJSON('aib corpus replay', path.join(o.benchDir, 'corpus'), [o.conformance, String(o.reps), corpusList]);
const aibRel = runJSON('aib release in-process', path.join(o.benchDir, 'release'), [o.release, String(o.reps), path.join(o.release, 'aib.dec'), String(o.sample)]);
const cliTimes = [];
const cliCpu = [];
for (let r = 0; r < o.reps; r++) { const t = cliRun(); if (t !== null) { cliTimes.push(t.wall); cliCpu.push(t.cpu); } else break; }
process.stderr.write(`bench: aib cedar authorize end-to-end: ${cliTimes.map((t) => t.toFixed(2) + ' s').join(', ')}\n`);
const cliOut = cliTimes.length ? countLines(path.join(o.release, 'cli.out')) : null;
// The same command on one request measures start-up and loading, so the sustained rate of the
// request loop (JSON in, decision, JSON out) can be separated from the one-off load.
const oneFile = path.join(o.release, 'one-request.jsonl');
fs.writeFileSync(oneFile, fs.readFileSync(path.join(o.release, 'requests.jsonl'), 'utf8').split('\n')[0] + '\n');
const loadTimes = [];
const loadCpu = [];
for (let r = 0; r < o.reps; r++) { const t = cliRun(oneFile); if (t !== null) { loadTimes.push(t.wall); loadCpu.push(t.cpu); } else break; }
const wasmRel = runJSON('cedar-wasm release', 'node', [path.join(__dirname, 'release_wasm.js'), o.release, '--sample', String(o.sample),
  '--reps', String(o.reps), '--decisions', path.join(o.release, 'wasm.dec')]);
const wasmCorpus = runJSON('cedar-wasm corpus replay', 'node', [path.join(__dirname, 'corpus_wasm.js'), o.conformance, '--reps', String(o.reps)]
  .concat(aibCorpus ? ['--only', corpusList] : []));
const load1 = fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0];

// decisions of aib and the reference on the release sample must agree
let decCheck = 'n/a';
try {
  const a = fs.readFileSync(path.join(o.release, 'aib.dec'), 'utf8').trim().split('\n');
  const b = fs.readFileSync(path.join(o.release, 'wasm.dec'), 'utf8').trim().split('\n');
  let same = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] === b[i]) same++;
  decCheck = `${same}/${b.length} decisions agree`;
} catch (e) { /* one side did not run */ }

// ---- table -------------------------------------------------------------------------------------------
const rows = [];
const row = (name, aib, ref, r) => rows.push([name, aib, ref, r]);
const cA = aibCorpus ? median(aibCorpus.rps) : NaN;
const cS = wasmCorpus ? median(wasmCorpus.stateful_rps) : NaN;
const cL = wasmCorpus ? median(wasmCorpus.stateless_rps) : NaN;
const rA = aibRel ? median(aibRel.rps) : NaN;
const rSl = wasmRel ? median(wasmRel.sliced_rps) : NaN;
const rSt = wasmRel ? median(wasmRel.stateful_rps) : NaN;
const rFu = wasmRel ? median(wasmRel.full_rps) : NaN;
const cliRps = cliTimes.length ? nReqRelease / median(cliTimes) : NaN;
const cliCpuRps = cliCpu.length ? nReqRelease / median(cliCpu) : NaN;
const cliSustRps = cliTimes.length && loadTimes.length ? nReqRelease / (median(cliTimes) - median(loadTimes)) : NaN;
const cliSustCpuRps = cliCpu.length && loadCpu.length ? nReqRelease / (median(cliCpu) - median(loadCpu)) : NaN;
const cAc = aibCorpus ? median(aibCorpus.cpu_rps) : NaN;
const cSc = wasmCorpus ? median(wasmCorpus.stateful_cpu_rps) : NaN;
const rAc = aibRel ? median(aibRel.cpu_rps) : NaN;
const rSlc = wasmRel ? median(wasmRel.sliced_cpu_rps) : NaN;

console.log('');
console.log(`Cedar engine benchmark — median of ${o.reps} runs${pin.length ? ', pinned to one core (' + o.pin + ')' : ''}; reference: @cedar-policy/cedar-wasm 4.13.0 on node ${process.version}`);
console.log('');
row('1. corpus replay: authorizations/s', '', '', '');
row(`   ${aibCorpus ? aibCorpus.requests.toLocaleString('en-US') : '?'} requests of ${aibCorpus ? aibCorpus.tests : '?'} tests (aib), ${wasmCorpus ? wasmCorpus.requests.toLocaleString('en-US') : '?'} (ref)`, '', '', '');
row('   vs ref preparsed (statefulIsAuthorized)', fmt(cA), fmt(cS), ratio(cA, cS));
row(`   vs ref isAuthorized (every 8th test)`, fmt(cA), fmt(cL), ratio(cA, cL));
row(`2. release workload: ${aibRel ? aibRel.policies : '?'} policies, ${aibRel ? aibRel.entities.toLocaleString('en-US') : '?'} entities`, '', '', '');
row(`   in-process req/s (${aibRel ? aibRel.requests.toLocaleString('en-US') : '?'} req; ref ${wasmRel ? wasmRel.sample.toLocaleString('en-US') : '?'}, sliced entities)`, fmt(rA), fmt(rSl), ratio(rA, rSl));
row(`   vs ref, all entities, preparsed (${wasmRel ? wasmRel.full_sample : '?'} req)`, fmt(rA), fmt(rSt), ratio(rA, rSt));
row(`   vs ref, all entities, isAuthorized (${wasmRel ? wasmRel.full_sample : '?'} req)`, fmt(rA), fmt(rFu), ratio(rA, rFu));
row('   latency p50 / p99 (ns)', aibRel ? fmt(median(aibRel.p50_ns)) + ' / ' + fmt(median(aibRel.p99_ns)) : 'n/a',
  Number.isFinite(rSl) ? '~' + fmt(1e9 / rSl) + ' (mean)' : 'n/a', '');
row(`   aib cedar authorize --requests, end to end incl. loading`, fmt(cliRps), '', '');
row(`   aib cedar authorize --requests, sustained (after loading)`, fmt(cliSustRps), '', '');
row('3. the same per CPU-second (insensitive to other load)', '', '', '');
row('   corpus replay vs ref preparsed', fmt(cAc), fmt(cSc), ratio(cAc, cSc));
row('   release in-process vs ref sliced', fmt(rAc), fmt(rSlc), ratio(rAc, rSlc));
row('   aib cedar authorize --requests, end to end incl. loading', fmt(cliCpuRps), '', '');
row('   aib cedar authorize --requests, sustained (after loading)', fmt(cliSustCpuRps), '', '');
const w = [54, 18, 22, 10];
const line = (c) => c.map((x, i) => (i === 0 ? String(x).padEnd(w[i]) : String(x).padStart(w[i]))).join(' ');
console.log(line(['', 'aib', 'cedar-wasm', 'ratio']));
console.log('-'.repeat(w.reduce((a, b) => a + b + 1, 0)));
for (const r of rows) console.log(line(r));
console.log('');
if (aibRel) console.log(`aib release: load ${aibRel.load_s} s (schema, policies, entities), request JSON parsing ${fmt(aibRel.request_parse_rps)} req/s; allow ${aibRel.allow.toLocaleString('en-US')}/${aibRel.requests.toLocaleString('en-US')}`);
if (cliOut) console.log(`aib cedar authorize: ${cliOut.n.toLocaleString('en-US')} response lines (${cliOut.allow.toLocaleString('en-US')} allow) for ${nReqRelease.toLocaleString('en-US')} requests; wall ${cliTimes.map((t) => t.toFixed(2)).join(' / ')} s incl. loading`);
if (aibCorpus) console.log(`aib corpus: ${aibCorpus.skipped_tests} tests and ${aibCorpus.skipped_requests} requests not loaded; allow ${aibCorpus.allow}${wasmCorpus ? ' (reference: ' + wasmCorpus.allow_stateful + ')' : ''}`);
if (wasmRel) console.log(`reference release sample: ${decCheck} with aib; slicing mismatches ${wasmRel.mismatches}`);
const target = Number.isFinite(rA) && Number.isFinite(rSl) ? (rA / rSl >= 100 ? 'met' : 'NOT met') : 'n/a';
console.log(`target aib/reference >= 100x (release in-process vs the reference at its best, sliced entities): ${target} (${ratio(rA, rSl)} wall, ${ratio(rAc, rSlc)} CPU)`);
console.log(`target batch command sustains >= 200,000 req/s on one core: ${Number.isFinite(cliSustRps) ? (cliSustRps >= 200000 ? 'met' : 'NOT met') : 'n/a'} (${fmt(cliSustRps)} req/s sustained, ${fmt(cliSustCpuRps)} per CPU-second; ${fmt(cliRps)} req/s including ${loadTimes.length ? median(loadTimes).toFixed(2) : '?'} s of start-up and loading)`);
console.log(`total ${((Date.now() - t0all) / 1000).toFixed(0)} s; load average ${load0} at start, ${load1} at end on ${require('os').cpus().length} cores` +
  (Number(load0) > require('os').cpus().length || Number(load1) > require('os').cpus().length ? ' (busy machine: wall-clock figures are low, see the CPU-second rows)' : ''));
