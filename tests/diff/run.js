#!/usr/bin/env node
// run.js — differential test: random Cedar cases from gen.js answered by aib (`aib cedar
// authorize`, one process per case) and by the reference implementation (cedar-wasm, in process).
// Compares decision, reason set and erroring-policy set per request (and with --validate the
// validator verdict), prints a minimized reproducer per disagreement and ends with
// "N passed, N failed" (one count per case).
//
// usage: node tests/diff/run.js [--cases N] [--seed S] [--validate] [--aib PATH] [--err P]
//                               [--keep DIR] [--stats] [--ref-only] [--max-report K]
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { generate } = require('./gen.js');

const ROOT = path.resolve(__dirname, '..', '..');
const REF_PATH = path.join(ROOT, '.deps/node/node_modules/@cedar-policy/cedar-wasm/nodejs');

function parseArgs(argv) {
  const o = { cases: 100, seed: 1, validate: false, aib: process.env.AIB || path.join(ROOT, 'build/aib'),
    err: undefined, keep: null, stats: false, refOnly: false, maxReport: 10 };
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    const val = () => { if (i + 1 >= argv.length) die('missing value for ' + a); return argv[++i]; };
    if (a === '--cases') o.cases = Number(val());
    else if (a === '--seed') o.seed = Number(val());
    else if (a === '--validate') o.validate = true;
    else if (a === '--aib') o.aib = path.resolve(val());
    else if (a === '--err') o.err = Number(val());
    else if (a === '--keep') o.keep = path.resolve(val());
    else if (a === '--stats') o.stats = true;
    else if (a === '--ref-only') o.refOnly = true;
    else if (a === '--max-report') o.maxReport = Number(val());
    else if (a === '-h' || a === '--help') {
      console.log('usage: node tests/diff/run.js [--cases N] [--seed S] [--validate] [--aib PATH] [--err P] [--keep DIR] [--stats] [--ref-only] [--max-report K]');
      process.exit(0);
    } else die('unknown option ' + a);
  }
  if (!Number.isInteger(o.cases) || o.cases < 0) die('--cases wants a count');
  if (!Number.isInteger(o.seed)) die('--seed wants an integer');
  return o;
}
function die(msg) { console.error('diff: ' + msg); console.log('0 passed, 1 failed'); process.exit(2); }

let cedar;
try { cedar = require(REF_PATH); } catch (e) {
  die('reference implementation not found at ' + REF_PATH + ' (run scripts/bootstrap): ' + e.message);
}

// ---- the reference --------------------------------------------------------------------------------
const uniqSort = (a) => [...new Set(a)].sort();
function refAuthorize(c, policiesText, entities, req) {
  const ans = cedar.isAuthorized({
    principal: req.principal, action: req.action, resource: req.resource, context: req.context,
    schema: c.schema, validateRequest: true, policies: { staticPolicies: policiesText }, entities,
  });
  if (ans.type !== 'success') return { fail: true, msg: ans.errors.map((e) => e.message).join('; ') };
  const d = ans.response.diagnostics;
  return { decision: ans.response.decision, reason: uniqSort(d.reason),
    errors: uniqSort(d.errors.map((e) => e.policyId)), msgs: d.errors.map((e) => e.policyId + ': ' + e.error.message) };
}
function refValidate(c, policiesText) {
  const ans = cedar.validate({ schema: c.schema, policies: { staticPolicies: policiesText }, validationSettings: { mode: 'strict' } });
  if (ans.type !== 'success') return { fail: true, msg: ans.errors.map((e) => e.message).join('; ') };
  return { valid: ans.validationErrors.length === 0, ids: uniqSort(ans.validationErrors.map((e) => e.policyId)),
    msgs: ans.validationErrors.map((e) => e.policyId + ': ' + e.error.message) };
}

// ---- aib ------------------------------------------------------------------------------------------
// spawnSync with a few retries when the binary is momentarily unavailable (being relinked)
function run(cmd, args, o) {
  for (let attempt = 0; ; attempt++) {
    const p = spawnSync(cmd, args, o);
    if (!p.error || attempt >= 3 || !['EACCES', 'ETXTBSY', 'ENOENT'].includes(p.error.code)) return p;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
  }
}
function writeCase(dir, c, policiesText, entities, requests) {
  fs.mkdirSync(dir, { recursive: true });
  const f = { schema: path.join(dir, 'schema.cedarschema'), policies: path.join(dir, 'policies.cedar'),
    entities: path.join(dir, 'entities.json'), requests: path.join(dir, 'requests.jsonl') };
  fs.writeFileSync(f.schema, c.schema);
  fs.writeFileSync(f.policies, policiesText);
  fs.writeFileSync(f.entities, JSON.stringify(entities, null, 1) + '\n');
  fs.writeFileSync(f.requests, requests.map((r) => JSON.stringify(Object.assign({}, r, { validateRequest: true }))).join('\n') + '\n');
  return f;
}
// One aib process answers all requests of a case: one JSON response object per output line.
// A line without "decision" (or no line at all when loading failed) counts as a failure.
function aibAuthorize(opts, dir, c, policiesText, entities, requests) {
  const f = writeCase(dir, c, policiesText, entities, requests);
  const p = run(opts.aib, ['cedar', 'authorize', '--policies', f.policies, '--entities', f.entities,
    '--schema', f.schema, '--requests', f.requests], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (p.error) throw p.error;
  if (p.signal) return requests.map(() => ({ fail: true, crash: true, msg: 'aib killed by ' + p.signal + ': ' + p.stderr.slice(0, 500) }));
  const lines = p.stdout.split('\n').filter((l) => l.trim() !== '');
  const out = [];
  for (let i = 0; i < requests.length; i++) {
    if (i >= lines.length) { out.push({ fail: true, msg: 'no answer (exit ' + p.status + '): ' + p.stderr.trim().slice(0, 300) }); continue; }
    let j;
    try { j = JSON.parse(lines[i]); } catch (e) { out.push({ fail: true, msg: 'bad output line: ' + lines[i].slice(0, 200) }); continue; }
    if (!j || typeof j.decision !== 'string') { out.push({ fail: true, msg: (j && (j.error || j.message)) || lines[i].slice(0, 200) }); continue; }
    out.push({ decision: j.decision, reason: uniqSort(j.reason || []),
      errors: uniqSort((j.errors || []).map((e) => (typeof e === 'string' ? e : e.policy || e.policyId))),
      msgs: (j.errors || []).map((e) => (typeof e === 'string' ? e : (e.policy || e.policyId) + ': ' + e.message)) });
  }
  return out;
}
function aibValidate(opts, dir, c, policiesText) {
  const f = writeCase(dir, c, policiesText, [], []);
  const p = run(opts.aib, ['cedar', 'validate', '--schema', f.schema, '--policies', f.policies, '--json'], { encoding: 'utf8' });
  if (p.error) throw p.error;
  if (p.signal) return { fail: true, crash: true, msg: 'aib killed by ' + p.signal };
  let j = null;
  try { j = JSON.parse(p.stdout); } catch (e) { j = null; }
  if (p.status === 0) return { valid: true, ids: [], json: j };
  if (p.status === 1) {
    let ids = null;
    const errs = j && (Array.isArray(j) ? j : j.errors);
    if (Array.isArray(errs)) ids = uniqSort(errs.map((e) => e.policy || e.policyId || e.policy_id));
    return { valid: false, ids, msgs: Array.isArray(errs) ? errs.map((e) => (e.policy || e.policyId) + ': ' + e.message) : [p.stdout.trim()] };
  }
  return { fail: true, msg: 'exit ' + p.status + ': ' + (p.stderr || p.stdout).trim().slice(0, 300) };
}
let validateAvailable = null;
function probeValidate(opts) {
  const p = spawnSync(opts.aib, ['cedar', 'validate', '--help'], { encoding: 'utf8' });
  return !p.error && p.status === 0;
}

// ---- comparison and minimization ------------------------------------------------------------------
function same(a, b) {
  if (a.fail || b.fail) return !!a.fail === !!b.fail;
  return a.decision === b.decision && a.reason.join() === b.reason.join() && a.errors.join() === b.errors.join();
}
function show(x) {
  if (x.fail) return 'FAILURE: ' + x.msg;
  return x.decision + ' reason=[' + x.reason.join(', ') + '] errors=[' + x.errors.join(', ') + ']';
}
// Drops policies and entities one at a time while the disagreement on `req` persists. Policy ids
// are positional in both implementations, so dropping a policy renumbers both alike.
function minimize(opts, dir, c, req) {
  let pols = c.policies.slice();
  let ents = c.entities.slice();
  const disagrees = (ps, es) => {
    const t = ps.join('\n\n');
    const a = aibAuthorize(opts, dir, c, t, es, [req])[0];
    return !same(a, refAuthorize(c, t, es, req));
  };
  for (let i = pols.length - 1; i >= 0 && pols.length > 1; i--) {
    const cand = pols.slice(0, i).concat(pols.slice(i + 1));
    if (disagrees(cand, ents)) pols = cand;
  }
  for (let i = ents.length - 1; i >= 0; i--) {
    const cand = ents.slice(0, i).concat(ents.slice(i + 1));
    if (disagrees(pols, cand)) ents = cand;
  }
  // then single when/unless clauses (the generator writes one clause per line)
  for (let i = 0; i < pols.length; i++) {
    let lines = pols[i].replace(/;$/, '').split('\n');
    for (let j = lines.length - 1; j >= 0; j--) {
      if (!/^(when|unless) \{/.test(lines[j])) continue;
      const cl = lines.slice(0, j).concat(lines.slice(j + 1));
      const cand = pols.slice(0, i).concat([cl.join('\n') + ';'], pols.slice(i + 1));
      if (disagrees(cand, ents)) { lines = cl; pols = cand; }
    }
  }
  return { pols, ents };
}

// ---- main -------------------------------------------------------------------------------------------
function main() {
  const opts = parseArgs(process.argv);
  const tmp = opts.keep || fs.mkdtempSync(path.join(os.tmpdir(), 'aib-diff-'));
  if (!opts.refOnly && !fs.existsSync(opts.aib)) die('aib binary not found: ' + opts.aib + ' (make all)');
  if (opts.validate && !opts.refOnly) {
    validateAvailable = probeValidate(opts);
    if (!validateAvailable) console.log('note: `aib cedar validate` is not available; validation comparison skipped');
  }
  let passed = 0, failed = 0, reported = 0;
  const st = { requests: 0, allow: 0, deny: 0, withErrors: 0, refFailures: 0, validPolicies: 0, validated: 0 };
  const t0 = Date.now();
  for (let k = 0; k < opts.cases; k++) {
    const seed = opts.seed + k;
    const c = generate(seed, { err: opts.err });
    const text = c.policies.join('\n\n');
    const dir = path.join(tmp, 'case' + seed);
    const ref = c.requests.map((r) => refAuthorize(c, text, c.entities, r));
    for (const r of ref) {
      st.requests++;
      if (r.fail) st.refFailures++;
      else { st[r.decision]++; if (r.errors.length) st.withErrors++; }
    }
    let refV = null;
    if (opts.validate) { refV = refValidate(c, text); st.validated++; if (refV.valid) st.validPolicies++; }
    if (opts.refOnly) { passed++; continue; }

    const got = aibAuthorize(opts, dir, c, text, c.entities, c.requests);
    const bad = [];
    got.forEach((g, i) => { if (!same(g, ref[i]) || g.crash) bad.push(i); });
    let vbad = null;
    if (opts.validate && validateAvailable) {
      const v = aibValidate(opts, dir, c, text);
      if (v.fail || refV.fail ? !(v.fail && refV.fail) : v.valid !== refV.valid) vbad = v;
    }
    if (!bad.length && !vbad) { passed++; if (!opts.keep) fs.rmSync(dir, { recursive: true, force: true }); continue; }
    failed++;
    if (reported >= opts.maxReport) continue;
    reported++;
    console.log('==== DISAGREEMENT case seed ' + seed + ' (rerun: node tests/diff/run.js --seed ' + seed + ' --cases 1' + (opts.validate ? ' --validate' : '') + ')');
    if (bad.length) {
      const i = bad[0];
      const req = c.requests[i];
      const m = minimize(opts, dir, c, req);
      const mt = m.pols.join('\n\n');
      const a = aibAuthorize(opts, dir, c, mt, m.ents, [req])[0];
      const b = refAuthorize(c, mt, m.ents, req);
      console.log('-- ' + bad.length + ' of ' + c.requests.length + ' requests disagree; first, minimized (' + m.pols.length + ' policies, ' + m.ents.length + ' entities):');
      console.log('-- schema.cedarschema\n' + c.schema.trimEnd());
      console.log('-- policies.cedar\n' + mt);
      console.log('-- entities.json\n' + JSON.stringify(m.ents));
      console.log('-- request\n' + JSON.stringify(req));
      console.log('-- aib:       ' + show(a));
      if (a.msgs && a.msgs.length) console.log('               ' + a.msgs.join('\n               '));
      console.log('-- reference: ' + show(b));
      if (b.msgs && b.msgs.length) console.log('               ' + b.msgs.join('\n               '));
      writeCase(path.join(tmp, 'repro' + seed), c, mt, m.ents, [req]);
      console.log('-- files: ' + path.join(tmp, 'repro' + seed));
    }
    if (vbad) {
      console.log('-- validation verdict differs: aib ' + (vbad.fail ? 'FAILURE ' + vbad.msg : vbad.valid ? 'valid' : 'invalid ' + (vbad.ids || []).join(',')) +
        ', reference ' + (refV.fail ? 'FAILURE ' + refV.msg : refV.valid ? 'valid' : 'invalid ' + refV.ids.join(',')));
      if (refV.msgs) for (const m of refV.msgs) console.log('   ref: ' + m);
      if (vbad.msgs) for (const m of vbad.msgs) console.log('   aib: ' + m);
      if (!bad.length) console.log('-- schema.cedarschema\n' + c.schema.trimEnd() + '\n-- policies.cedar\n' + text);
    }
  }
  if (opts.stats || opts.refOnly) {
    console.log(`stats: ${st.requests} requests: ${st.allow} allow, ${st.deny} deny, ${st.withErrors} with erroring policies, ` +
      `${st.refFailures} rejected by the reference` + (opts.validate ? `; ${st.validPolicies}/${st.validated} policy sets validate` : '') +
      `; ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  if (!opts.keep && !failed) fs.rmSync(tmp, { recursive: true, force: true });
  else if (failed) console.log('reproducer files kept in ' + tmp);
  console.log(`diff: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
main();
