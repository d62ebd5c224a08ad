#!/usr/bin/env node
// corpus_wasm.js — corpus replay through the reference implementation (cedar-wasm): every
// request of the Cedar conformance suite, timed per authorization call. Two modes:
//   stateless: isAuthorized per request (parses policies, schema and entities on every call);
//              slow, so by default only every 8th test (--stateless-every K) is replayed this way;
//   stateful:  policies and schema preparsed once per test (untimed), statefulIsAuthorized per
//              request (entities are still converted per call: the API has no entity cache).
// usage: node bench/corpus_wasm.js CONFORMANCE_DIR [--reps N] [--limit TESTS] [--only LIST]
//   --only LIST: replay only the tests named in LIST (paths relative to CONFORMANCE_DIR, one a
//   line), e.g. the ones aib loaded, so both sides time the same requests.
// prints one JSON object: {"tests":..,"requests":..,"stateless_requests":..,"stateless_rps":[..],
// "stateful_rps":[..],"allow_stateful":..}
'use strict';
const fs = require('fs');
const path = require('path');
const cedar = require(path.resolve(__dirname, '..', '.deps/node/node_modules/@cedar-policy/cedar-wasm/nodejs'));

const args = process.argv.slice(2);
const root = args[0];
let reps = 3, limit = Infinity, every = 8, only = null;
for (let i = 1; i < args.length; i++) {
  if (args[i] === '--reps') reps = Number(args[++i]);
  else if (args[i] === '--limit') limit = Number(args[++i]);
  else if (args[i] === '--stateless-every') every = Number(args[++i]);
  else if (args[i] === '--only') only = new Set(fs.readFileSync(args[++i], 'utf8').split('\n').filter((l) => l));
}
if (!root || !fs.existsSync(root)) { console.error('usage: corpus_wasm.js CONFORMANCE_DIR [--reps N]'); process.exit(2); }

function listTests() {
  const out = [];
  for (const sub of ['tests', 'corpus-tests']) {
    const d = path.join(root, sub);
    if (!fs.existsSync(d)) continue;
    const walk = (dir) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.json') && !e.name.endsWith('.entities.json')) out.push(p);
      }
    };
    walk(d);
  }
  return out;
}

const tests = [];
for (const f of listTests().filter((f) => !only || only.has(path.relative(root, f))).slice(0, limit)) {
  const t = JSON.parse(fs.readFileSync(f, 'utf8'));
  if (!t.requests || !t.policies) continue;
  const rd = (p) => fs.readFileSync(path.join(root, p), 'utf8');
  tests.push({
    policies: rd(t.policies), schema: t.schema ? rd(t.schema) : undefined,
    entities: JSON.parse(rd(t.entities)), requests: t.requests,
  });
}
const nreq = tests.reduce((n, t) => n + t.requests.length, 0);

const ns = () => process.hrtime.bigint();
const sample = tests.filter((t, i) => i % every === 0);
const nsample = sample.reduce((n, t) => n + t.requests.length, 0);
function stateless() {
  let total = 0n, allow = 0;
  for (const t of sample) {
    for (const r of t.requests) {
      const call = { principal: r.principal, action: r.action, resource: r.resource, context: r.context,
        schema: t.schema, validateRequest: r.validateRequest !== false, policies: { staticPolicies: t.policies }, entities: t.entities };
      const t0 = ns();
      const a = cedar.isAuthorized(call);
      total += ns() - t0;
      if (a.type === 'success' && a.response.decision === 'allow') allow++;
    }
  }
  return { rps: nsample / (Number(total) / 1e9), allow };
}
function stateful() {
  let total = 0n, allow = 0, cpu = 0;
  tests.forEach((t, i) => {
    const pid = 'p' + i, sid = 's' + i;
    const pp = cedar.preparsePolicySet(pid, { staticPolicies: t.policies });
    const sp = t.schema !== undefined ? cedar.preparseSchema(sid, t.schema) : { type: 'success' };
    for (const r of t.requests) {
      const call = { principal: r.principal, action: r.action, resource: r.resource, context: r.context,
        validateRequest: r.validateRequest !== false, preparsedPolicySetId: pid, entities: t.entities };
      if (sp.type === 'success' && t.schema !== undefined) call.preparsedSchemaName = sid;
      const u0 = process.cpuUsage();
      const t0 = ns();
      const a = pp.type === 'success' ? cedar.statefulIsAuthorized(call) : null;
      total += ns() - t0;
      const u = process.cpuUsage(u0);
      cpu += u.user + u.system;
      if (a && a.type === 'success' && a.response.decision === 'allow') allow++;
    }
  });
  return { rps: nreq / (Number(total) / 1e9), cpu_rps: nreq / (cpu / 1e6), allow };
}

const res = { tests: tests.length, requests: nreq, stateless_requests: nsample, stateless_rps: [], stateful_rps: [], stateful_cpu_rps: [] };
for (let k = 0; k < reps; k++) {
  const a = stateless();
  res.stateless_rps.push(Math.round(a.rps));
  res.allow_stateless_sample = a.allow;
  const b = stateful();
  res.stateful_rps.push(Math.round(b.rps));
  res.stateful_cpu_rps.push(Math.round(b.cpu_rps));
  res.allow_stateful = b.allow;
}
console.log(JSON.stringify(res));
