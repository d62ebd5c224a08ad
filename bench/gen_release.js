#!/usr/bin/env node
// gen_release.js — synthetic release-determination workload for the benchmark: a schema,
// >= 500 permit/forbid release rules, 20,000 entities (country groupings, countries, a category
// tree, items, persons with nationalities and clearances) and 200,000 requests, all seeded.
// usage: node bench/gen_release.js OUTDIR [--requests N] [--policies N] [--seed S]
// writes OUTDIR/{schema.cedarschema, policies.cedar, entities.json, requests.jsonl}
'use strict';
const fs = require('fs');
const path = require('path');
const { rng } = require('../tests/diff/gen.js');

const args = process.argv.slice(2);
const out = args[0];
let nReq = 200000, nPol = 520, seed = 42;
for (let i = 1; i < args.length; i++) {
  if (args[i] === '--requests') nReq = Number(args[++i]);
  else if (args[i] === '--policies') nPol = Number(args[++i]);
  else if (args[i] === '--seed') seed = Number(args[++i]);
}
if (!out) { console.error('usage: gen_release.js OUTDIR [--requests N] [--policies N] [--seed S]'); process.exit(2); }
fs.mkdirSync(out, { recursive: true });
const R = rng(seed);

const schema = `namespace Rel {
  entity Grouping in [Grouping] = { "name": String };
  entity Country in [Grouping] = { "code": String, "eu": Bool, "risk": Long };
  entity Category in [Category] = { "level": Long, "dualUse": Bool };
  entity Item in [Category] = {
    "classification": Long,
    "origin": Country,
    "controlled": Bool,
    "value": Long,
    "embargoedTo": Set<Country>,
    "licenses"?: Set<String>
  };
  entity Person in [Country] = {
    "nationality": Country,
    "citizenships": Set<Country>,
    "clearance": Long,
    "active": Bool,
    "org": String,
    "caveats"?: Set<String>
  };
  action "view", "release", "export" appliesTo {
    principal: [Person],
    resource: [Item],
    context: { "destination": Country, "purpose": String, "urgent": Bool, "amount": Long }
  };
}
`;

// ---- entities: 20 groupings, 200 countries, 300 categories, 12,000 items, 7,480 persons ---------
const E = (type, id) => ({ type: 'Rel::' + type, id });
const entities = [];
const NG = 20, NC = 200, NCAT = 300, NITEM = 12000, NPERS = 20000 - NG - NC - NCAT - NITEM;
const groupings = [], countries = [], cats = [], items = [], persons = [];
for (let i = 0; i < NG; i++) {
  const id = 'G' + i;
  groupings.push(id);
  // upper groupings (G0..G3) contain the others: two-level grouping hierarchy
  const parents = i >= 4 ? [E('Grouping', 'G' + (i % 4))] : [];
  entities.push({ uid: E('Grouping', id), attrs: { name: 'grouping ' + i }, parents });
}
for (let i = 0; i < NC; i++) {
  const id = 'C' + String(i).padStart(3, '0');
  countries.push(id);
  const parents = [];
  const k = R.int(1, 3);
  for (let j = 0; j < k; j++) parents.push(E('Grouping', R.pick(groupings.slice(4))));
  entities.push({ uid: E('Country', id), attrs: { code: id, eu: R.chance(0.15), risk: R.int(0, 5) },
    parents: dedup(parents) });
}
for (let i = 0; i < NCAT; i++) {
  const id = 'K' + i;
  cats.push(id);
  // a tree: 10 roots, each node's parent has a lower index
  const parents = i >= 10 ? [E('Category', 'K' + R.int(Math.max(0, Math.floor(i / 3) - 10), Math.floor(i / 3)))] : [];
  entities.push({ uid: E('Category', id), attrs: { level: i < 10 ? 0 : i < 40 ? 1 : 2, dualUse: R.chance(0.2) }, parents });
}
for (let i = 0; i < NITEM; i++) {
  const id = 'I' + i;
  items.push(id);
  const parents = [E('Category', R.pick(cats))];
  if (R.chance(0.3)) parents.push(E('Category', R.pick(cats)));
  const emb = [];
  for (let j = R.int(0, 3); j > 0; j--) emb.push(E('Country', R.pick(countries)));
  const attrs = { classification: R.int(0, 4), origin: { __entity: E('Country', R.pick(countries)) },
    controlled: R.chance(0.3), value: R.int(1, 100000), embargoedTo: dedupE(emb).map((e) => ({ __entity: e })) };
  if (R.chance(0.4)) attrs.licenses = ['L' + R.int(0, 20), 'L' + R.int(0, 20)].filter((v, j, a) => a.indexOf(v) === j);
  entities.push({ uid: E('Item', id), attrs, parents: dedup(parents) });
}
for (let i = 0; i < NPERS; i++) {
  const id = 'P' + i;
  persons.push(id);
  const nat = R.pick(countries);
  const cits = [nat];
  if (R.chance(0.2)) cits.push(R.pick(countries));
  const attrs = { nationality: { __entity: E('Country', nat) }, citizenships: dedup(cits.map((c) => E('Country', c))).map((e) => ({ __entity: e })),
    clearance: R.int(0, 4), active: R.chance(0.9), org: 'org' + R.int(0, 50) };
  if (R.chance(0.3)) attrs.caveats = ['NOFORN', 'REL', 'EYES'].filter(() => R.chance(0.5));
  entities.push({ uid: E('Person', id), attrs, parents: dedup(cits.map((c) => E('Country', c))) });
}
function dedup(a) { const s = new Set(); return a.filter((e) => { const k = e.type + '\0' + e.id; if (s.has(k)) return false; s.add(k); return true; }); }
function dedupE(a) { return dedup(a); }

// ---- policies: release rules -------------------------------------------------------------------------
const pol = [];
const G = () => 'Rel::Grouping::"' + R.pick(groupings) + '"';
const K = () => 'Rel::Category::"' + R.pick(cats.slice(0, 100)) + '"';
const C = () => 'Rel::Country::"' + R.pick(countries) + '"';
const A = () => 'Rel::Action::"' + R.pick(['view', 'release', 'export']) + '"';
while (pol.length < nPol) {
  const k = R.int(0, 9);
  let p;
  switch (k) {
    case 0: case 1: case 2:
      p = `permit (principal in ${G()}, action == Rel::Action::"release", resource in ${K()})
when { principal.clearance >= resource.classification && context.destination in ${G()} };`;
      break;
    case 3:
      p = `permit (principal is Rel::Person, action == Rel::Action::"view", resource in ${K()})
when { principal.active && principal.clearance >= resource.classification };`;
      break;
    case 4:
      p = `forbid (principal, action in [Rel::Action::"release", Rel::Action::"export"], resource in ${K()})
when { resource.embargoedTo.contains(context.destination) };`;
      break;
    case 5:
      p = `forbid (principal, action, resource is Rel::Item in ${K()})
when { resource.controlled && context.destination in ${G()} }
unless { resource has licenses && resource.licenses.contains("L${R.int(0, 20)}") };`;
      break;
    case 6:
      p = `permit (principal in ${C()}, action == Rel::Action::"export", resource)
when { resource.origin == principal.nationality && context.amount < ${R.int(1000, 90000)} && !context.urgent };`;
      break;
    case 7:
      p = `forbid (principal, action == Rel::Action::"export", resource in ${K()})
when { context.destination.risk > ${R.int(2, 5)} || resource.value > ${R.int(50000, 99000)} };`;
      break;
    case 8:
      p = `forbid (principal in ${G()}, action, resource)
when { principal has caveats && principal.caveats.contains("NOFORN") && !(context.destination in principal.citizenships) };`;
      break;
    default:
      p = `permit (principal, action == ${A()}, resource in ${K()})
when { principal.org == "org${R.int(0, 50)}" && context.purpose like "*research*" };`;
  }
  pol.push(p);
}

// ---- requests -------------------------------------------------------------------------------------------
const lines = [];
const purposes = ['research collaboration', 'sale', 'maintenance', 'joint research', 'exercise'];
for (let i = 0; i < nReq; i++) {
  const r = {
    principal: E('Person', R.pick(persons)),
    action: E('Action', R.pick(['view', 'release', 'release', 'export'])),
    resource: E('Item', R.pick(items)),
    context: { destination: { __entity: E('Country', R.pick(countries)) }, purpose: R.pick(purposes), urgent: R.chance(0.2), amount: R.int(0, 100000) },
  };
  r.action.type = 'Rel::Action';
  lines.push(JSON.stringify(r));
}
fs.writeFileSync(path.join(out, 'schema.cedarschema'), schema);
fs.writeFileSync(path.join(out, 'policies.cedar'), pol.join('\n\n') + '\n');
fs.writeFileSync(path.join(out, 'entities.json'), JSON.stringify(entities) + '\n');
fs.writeFileSync(path.join(out, 'requests.jsonl'), lines.join('\n') + '\n');
console.error(`gen_release: ${pol.length} policies, ${entities.length} entities, ${lines.length} requests in ${out}`);
