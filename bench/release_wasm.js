#!/usr/bin/env node
// release_wasm.js — the synthetic release workload (gen_release.js) through the reference
// implementation (cedar-wasm). Its API takes the entities with every call and converts them each
// time, so three ways of calling it are measured on the first requests of requests.jsonl:
//   full:     isAuthorized with all entities per call (few requests: each call converts 20,000);
//   stateful: policies and schema preparsed once, statefulIsAuthorized with all entities;
//   sliced:   policies and schema preparsed once, statefulIsAuthorized with only the entities the
//             request can reach (principal, resource, context destination and their ancestors),
//             the usual way to call it with a large store; slicing is done before timing.
// usage: node bench/release_wasm.js DIR [--sample N] [--full-sample M] [--reps R] [--decisions FILE]
// prints one JSON object with requests/s per mode (one value per repetition).
'use strict';
const fs = require('fs');
const path = require('path');
const cedar = require(path.resolve(__dirname, '..', '.deps/node/node_modules/@cedar-policy/cedar-wasm/nodejs'));

const args = process.argv.slice(2);
const dir = args[0];
let sample = 2000, fullSample = 2, reps = 3, decisionsFile = null;
for (let i = 1; i < args.length; i++) {
  if (args[i] === '--sample') sample = Number(args[++i]);
  else if (args[i] === '--full-sample') fullSample = Number(args[++i]);
  else if (args[i] === '--reps') reps = Number(args[++i]);
  else if (args[i] === '--decisions') decisionsFile = args[++i];
}
if (!dir) { console.error('usage: release_wasm.js DIR [--sample N]'); process.exit(2); }
const schema = fs.readFileSync(path.join(dir, 'schema.cedarschema'), 'utf8');
const policies = fs.readFileSync(path.join(dir, 'policies.cedar'), 'utf8');
const entities = JSON.parse(fs.readFileSync(path.join(dir, 'entities.json'), 'utf8'));
const requests = [];
{
  const text = fs.readFileSync(path.join(dir, 'requests.jsonl'), 'utf8');
  let pos = 0;
  while (requests.length < sample && pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    const line = text.slice(pos, nl).trim();
    pos = nl + 1;
    if (line) requests.push(JSON.parse(line));
  }
}

// entity slice of a request: the uids it names and their ancestors
const key = (u) => u.type + '\0' + u.id;
const byKey = new Map(entities.map((e) => [key(e.uid), e]));
function slice(r) {
  const out = new Map();
  const add = (u) => {
    const k = key(u);
    if (out.has(k)) return;
    const e = byKey.get(k);
    if (!e) return;
    out.set(k, e);
    for (const p of e.parents) add(p);
  };
  add(r.principal);
  add(r.resource);
  for (const v of Object.values(r.context)) if (v && v.__entity) add(v.__entity);
  return [...out.values()];
}
const slices = requests.map(slice);

const ns = () => process.hrtime.bigint();
const call = (r, extra) => Object.assign({ principal: r.principal, action: r.action, resource: r.resource, context: r.context, validateRequest: true }, extra);
function decisionOf(a) { return a.type === 'success' ? a.response.decision : 'failure'; }

if (cedar.preparsePolicySet('rel', { staticPolicies: policies }).type !== 'success') throw new Error('reference rejects the policies');
if (cedar.preparseSchema('rel', schema).type !== 'success') throw new Error('reference rejects the schema');

function run(n, mk) {
  const dec = [];
  let total = 0n, cpu = 0;
  for (let i = 0; i < n; i++) {
    const c = mk(i);
    const u0 = process.cpuUsage();
    const t0 = ns();
    const a = c.stateful ? cedar.statefulIsAuthorized(c.call) : cedar.isAuthorized(c.call);
    total += ns() - t0;
    const u = process.cpuUsage(u0);
    cpu += u.user + u.system;
    dec.push(decisionOf(a));
  }
  return { rps: n / (Number(total) / 1e9), cpu_rps: n / (cpu / 1e6), dec };
}
const nFull = Math.min(fullSample, requests.length);
const res = { sample: requests.length, full_sample: nFull, full_rps: [], stateful_rps: [], sliced_rps: [], sliced_cpu_rps: [], mismatches: 0 };
let slicedDec = null;
for (let k = 0; k < reps; k++) {
  const f = run(nFull, (i) => ({ call: call(requests[i], { schema, policies: { staticPolicies: policies }, entities }) }));
  const s = run(nFull, (i) => ({ stateful: true, call: call(requests[i], { preparsedPolicySetId: 'rel', preparsedSchemaName: 'rel', entities }) }));
  const sl = run(requests.length, (i) => ({ stateful: true, call: call(requests[i], { preparsedPolicySetId: 'rel', preparsedSchemaName: 'rel', entities: slices[i] }) }));
  res.full_rps.push(Math.round(f.rps * 100) / 100);
  res.stateful_rps.push(Math.round(s.rps * 100) / 100);
  res.sliced_rps.push(Math.round(sl.rps));
  res.sliced_cpu_rps.push(Math.round(sl.cpu_rps));
  // slicing must not change an answer
  for (let i = 0; i < nFull; i++) if (f.dec[i] !== sl.dec[i] || s.dec[i] !== sl.dec[i]) res.mismatches++;
  slicedDec = sl.dec;
}
res.allow = slicedDec.filter((d) => d === 'allow').length;
res.failures = slicedDec.filter((d) => d === 'failure').length;
if (decisionsFile) fs.writeFileSync(decisionsFile, slicedDec.join('\n') + '\n');
console.log(JSON.stringify(res));
