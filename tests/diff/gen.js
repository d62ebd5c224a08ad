// gen.js — seeded generator of random Cedar cases for the differential test (run.js): a schema,
// entities conforming to it, a policy set using the whole language and a batch of requests.
// Expressions are built type-directed so most of them are meaningful; a tunable share of them
// is deliberately wrong (type errors, missing attributes, overflow, invalid extension literals)
// so that both decisions and erroring-policy sets get exercised.
'use strict';

// ---- PRNG (mulberry32): small, fast, reproducible from one 32-bit seed ------------------------
function rng(seed) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r = {
    f: next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)), // inclusive
    chance: (p) => next() < p,
    pick: (a) => a[Math.floor(next() * a.length)],
    subset: (a, p) => a.filter(() => next() < p),
  };
  return r;
}

// ---- literal pools (valid and invalid extension literals) ---------------------------------------
const DECIMALS = ['0.0', '1.5', '-2.25', '12.3456', '3.0', '0.0001', '-0.5', '100.0',
  '922337203685477.5807', '-922337203685477.5808'];
const BAD_DECIMALS = ['1.23456', 'abc', '1.', '.5', '1e3', '922337203685477.5808', '1', '--1.0'];
const IPS = ['192.168.0.1', '10.0.0.0/8', '127.0.0.1', '::1', 'ff02::1', '2001:db8::/32',
  '224.0.0.1', '0.0.0.0/0', '10.1.2.3', '192.168.0.0/16', '127.0.0.0/8', '::', 'fe80::1:2/64'];
const BAD_IPS = ['::ffff:10.0.0.1', '256.0.0.1', '1.2.3', '::g', '10.0.0.0/33', '01.2.3.4', '1.2.3.4/', '::1/129', ''];
const DATETIMES = ['2024-01-01', '2024-02-29T12:30:00Z', '2024-06-01T00:00:00.123Z',
  '2023-12-31T23:59:59+0100', '1970-01-01', '2000-01-01T00:00:00-0530', '2024-01-01T00:00:00Z',
  '1969-12-31T23:59:59.999Z'];
const BAD_DATETIMES = ['2024-13-01', '2023-02-29', '2024-01-01T25:00:00Z', '2024-1-1',
  '2024-01-01T00:00:00', '2024-01-01T00:00:00.1234Z', '2024-01-01 00:00:00Z', 'x'];
const DURATIONS = ['1h', '2d3h', '-1d', '90m', '1s500ms', '0ms', '1d2h3m4s5ms', '-30s', '36h',
  '1000ms', '106751991167d', '-106751991167d'];
const BAD_DURATIONS = ['1x', '', 'h1', '1h1d', '1.5h', '1d-2h', '--1h', '9223372036854775807d', '106751991168d'];
const STRINGS = ['', 'a', 'abc', 'alice', 'bob', 'a*c', 'x y', 'ABC', 'ab', 'zeta', 'é', 'line\nbreak',
  'nul\u0000byte', '\u{1f980}', 'q"uote'];
// entity ids that need escaping in policy text
const ODD_IDS = ['', 'with space', 'q"uote', 'back\\slash', 'ünï', 'tab\there', '\u{1f980}'];
// attribute names that are not identifiers: reachable only as e["..."] and `has "..."`
const RESERVED = new Set(['if', 'then', 'else', 'true', 'false', 'in', 'is', 'like', 'has', '__cedar']);
const isIdent = (n) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(n) && !RESERVED.has(n);
const PATTERNS = ['*', 'a*', '*c', 'a*c', 'ab', '', '\\*', 'a\\*c', '**', '*b*', 'al*e', 'é*'];
const TYPE_POOL = ['User', 'Group', 'Doc', 'Folder', 'Org', 'Device', 'Team', 'Case'];
const ATTR_POOL = ['name', 'age', 'level', 'owner', 'tags', 'addr', 'score', 'active', 'limit',
  'since', 'ttl', 'ip', 'nums', 'labels', 'info', 'rank', 'mgr', 'members', 'flag', 'code',
  'first name', 'then'];
const CTX_POOL = ['flag', 'n', 'when', 'window', 'src', 'amount', 'who', 'tagsWanted', 'meta', 'label'];
const ACTION_POOL = ['view', 'edit', 'delete', 'share', 'comment', 'approve'];
const EXT = ['decimal', 'ipaddr', 'datetime', 'duration'];
const I64MAX = '9223372036854775807';

// ---- Cedar text helpers ------------------------------------------------------------------------
function cedarStr(s) {
  let o = '"';
  for (const ch of s) {
    if (ch === '"') o += '\\"';
    else if (ch === '\\') o += '\\\\';
    else if (ch === '\n') o += '\\n';
    else if (ch === '\t') o += '\\t';
    else if (ch === '\0') o += '\\0';
    else if (ch.codePointAt(0) > 126) o += '\\u{' + ch.codePointAt(0).toString(16) + '}';
    else o += ch;
  }
  return o + '"';
}
// like patterns: `*` is the wildcard, `\*` a literal star (keep the given escapes)
function cedarPat(p) { return '"' + p.replace(/é/g, '\\u{e9}') + '"'; }

// attribute access and has-test, with the quoted forms where the name needs them (and sometimes
// where it does not, to exercise both syntaxes)
function acc(base, n, R) { return isIdent(n) && !(R && R.chance(0.1)) ? base + '.' + n : base + '[' + JSON.stringify(n) + ']'; }
function hasT(base, n, R) { return isIdent(n) && !(R && R.chance(0.1)) ? base + ' has ' + n : base + ' has ' + JSON.stringify(n); }

function tstr(t, ns) {
  switch (t.k) {
    case 'Bool': return 'Bool';
    case 'Long': return 'Long';
    case 'String': return 'String';
    case 'Set': return 'Set<' + tstr(t.el, ns) + '>';
    case 'Entity': return t.name;
    case 'Ext': return t.name;
    case 'Record': if (t.common) return t.common; return '{' + Object.entries(t.attrs).map(([n, a]) =>
      JSON.stringify(n) + (a.req ? '' : '?') + ': ' + tstr(a.t, ns)).join(', ') + '}';
  }
  throw new Error('bad type ' + t.k);
}

// ---- the generator --------------------------------------------------------------------------------
// opts.err: probability that an expression node is deliberately wrong (default 0.12)
function generate(seed, opts = {}) {
  const R = rng(seed);
  // share of deliberately wrong nodes; varies per case so some policy sets are fully well-typed
  const pErr = opts.err !== undefined ? opts.err : R.pick([0, 0.03, 0.08, 0.12, 0.2]);
  const ns = R.chance(0.25) ? 'App' : '';
  const q = (n) => (ns ? ns + '::' + n : n); // qualified name
  const actType = q('Action');

  // -- schema: entity types, attributes, hierarchy, tags, actions -----------------------------------
  const nTypes = R.int(3, 5);
  const typeNames = TYPE_POOL.slice().sort(() => R.f() - 0.5).slice(0, nTypes);
  const types = typeNames.map((n) => ({ name: n, q: q(n), attrs: {}, memberOf: [], tags: null }));
  for (let i = 0; i < types.length; i++) {
    // memberOf only "upward" (higher index), plus occasional self-membership: data stays acyclic
    for (let j = i + 1; j < types.length; j++) if (R.chance(0.45)) types[i].memberOf.push(types[j].name);
    if (R.chance(0.2)) types[i].memberOf.push(types[i].name);
    if (R.chance(0.35)) types[i].tags = R.pick([{ k: 'String' }, { k: 'Long' }, { k: 'Bool' }, { k: 'Set', el: { k: 'String' } }]);
  }
  const randType = (depth) => {
    const r = R.f();
    if (r < 0.16) return { k: 'Bool' };
    if (r < 0.34) return { k: 'Long' };
    if (r < 0.5) return { k: 'String' };
    if (r < 0.62) return { k: 'Ext', name: R.pick(EXT) };
    if (r < 0.72) return { k: 'Entity', name: R.pick(types).name };
    if (r < 0.86) return { k: 'Set', el: R.pick([{ k: 'Long' }, { k: 'String' }, { k: 'Entity', name: R.pick(types).name }, { k: 'Ext', name: 'decimal' }]) };
    if (depth < 2) {
      const attrs = {};
      const n = R.int(1, 3);
      for (let i = 0; i < n; i++) attrs[R.pick(['x', 'y', 'z', 'city', 'zip', 'v'])] = { t: randType(depth + 1), req: R.chance(0.7) };
      return { k: 'Record', attrs };
    }
    return { k: 'Long' };
  };
  for (const t of types) {
    const n = R.int(1, 5);
    for (let i = 0; i < n; i++) t.attrs[R.pick(ATTR_POOL)] = { t: randType(0), req: R.chance(0.75) };
  }
  // an enumerated entity type (no attributes, no entity data), used as an attribute type
  const enumT = R.chance(0.25) ? { name: 'Color', q: q('Color'), attrs: {}, memberOf: [], tags: null, enumIds: ['red', 'green', 'blue'] } : null;
  if (enumT) {
    const t = R.pick(types);
    t.attrs.color = { t: { k: 'Entity', name: 'Color' }, req: true };
  }
  const typeByName = Object.fromEntries(types.map((t) => [t.name, t]));
  if (enumT) typeByName.Color = enumT;
  // some record-typed attributes are declared as common types
  const commons = [];
  for (const t of types) {
    for (const a of Object.values(t.attrs)) {
      if (a.t.k === 'Record' && R.chance(0.35)) {
        const name = 'Ct' + commons.length;
        commons.push({ name, def: tstr(a.t, ns) });
        a.t = Object.assign({}, a.t, { common: name });
      }
    }
  }

  const nActs = R.int(2, 4);
  const actNames = ACTION_POOL.slice().sort(() => R.f() - 0.5).slice(0, nActs);
  const groupName = 'readOnly';
  const actions = actNames.map((n) => {
    const ctx = {};
    const nc = R.int(0, 4);
    for (let i = 0; i < nc; i++) ctx[R.pick(CTX_POOL)] = { t: randType(0), req: R.chance(0.8) };
    return {
      name: n,
      principals: R.subset(typeNames, 0.5).concat([R.pick(typeNames)]).filter((v, i, a) => a.indexOf(v) === i),
      resources: R.subset(typeNames, 0.5).concat([R.pick(typeNames)]).filter((v, i, a) => a.indexOf(v) === i),
      ctx: { k: 'Record', attrs: ctx },
      inGroup: R.chance(0.5),
    };
  });

  let schema = '';
  const ind = ns ? '  ' : '';
  for (const c of commons) schema += ind + 'type ' + c.name + ' = ' + c.def + ';\n';
  if (enumT) schema += ind + 'entity Color enum ["red", "green", "blue"];\n';
  for (const t of types) {
    schema += ind + 'entity ' + t.name;
    if (t.memberOf.length) schema += ' in [' + t.memberOf.join(', ') + ']';
    schema += ' = ' + tstr({ k: 'Record', attrs: t.attrs }, ns);
    if (t.tags) schema += ' tags ' + tstr(t.tags, ns);
    schema += ';\n';
  }
  schema += ind + 'action ' + JSON.stringify(groupName) + ';\n';
  for (const a of actions) {
    schema += ind + 'action ' + JSON.stringify(a.name) + (a.inGroup ? ' in [' + JSON.stringify(groupName) + ']' : '') +
      ' appliesTo {\n' + ind + '  principal: [' + a.principals.join(', ') + '],\n' + ind + '  resource: [' +
      a.resources.join(', ') + '],\n' + ind + '  context: ' + tstr(a.ctx, ns) + '\n' + ind + '};\n';
  }
  if (ns) schema = 'namespace ' + ns + ' {\n' + schema + '}\n';

  // -- entities -----------------------------------------------------------------------------------------
  const ents = {}; // type name -> [ids]
  for (const t of types) {
    const n = R.int(2, 4);
    ents[t.name] = [];
    for (let i = 0; i < n; i++) ents[t.name].push(t.name.toLowerCase() + i);
    if (R.chance(0.2)) ents[t.name].push(R.pick(ODD_IDS));
  }
  if (enumT) ents.Color = enumT.enumIds;
  const ghost = (tn) => tn.toLowerCase() + '_ghost'; // an id that is not in the store
  const entRef = (tn) => (R.chance(0.08) && tn !== 'Color' ? ghost(tn) : R.pick(ents[tn]));

  const extArg = (name) => {
    switch (name) {
      case 'decimal': return R.pick(DECIMALS);
      case 'ipaddr': return R.pick(IPS);
      case 'datetime': return R.pick(DATETIMES);
      case 'duration': return R.pick(DURATIONS);
    }
  };
  const extFn = (name) => (name === 'ipaddr' ? 'ip' : name);
  // JSON value of type t, as entities / contexts carry it
  const jval = (t) => {
    switch (t.k) {
      case 'Bool': return R.chance(0.5);
      case 'Long': return R.chance(0.1) ? R.pick([0, -1, 9007199254740991, -9007199254740991]) : R.int(-5, 20);
      case 'String': return R.pick(STRINGS);
      case 'Ext': return { __extn: { fn: extFn(t.name), arg: extArg(t.name) } };
      case 'Entity': return { __entity: { type: q(t.name), id: entRef(t.name) } };
      case 'Set': { const n = R.int(0, 3); const a = []; for (let i = 0; i < n; i++) a.push(jval(t.el)); return a; }
      case 'Record': {
        const o = {};
        for (const [n, a] of Object.entries(t.attrs)) if (a.req || R.chance(0.5)) o[n] = jval(a.t);
        return o;
      }
    }
  };
  const entities = [];
  for (const t of types) {
    ents[t.name].forEach((id, idx) => {
      const parents = [];
      for (const pn of t.memberOf) {
        // same-type parents only to lower indices (acyclic); shared ancestors arise naturally
        const cands = pn === t.name ? ents[pn].slice(0, idx) : ents[pn];
        for (const c of cands) if (R.chance(0.4)) parents.push({ type: q(pn), id: c });
      }
      const e = { uid: { type: q(t.name), id }, attrs: jval({ k: 'Record', attrs: t.attrs }), parents };
      if (t.tags) {
        const tags = {};
        for (const k of ['a', 'b', 'c']) if (R.chance(0.5)) tags[k] = jval(t.tags);
        e.tags = tags;
      }
      entities.push(e);
    });
  }

  // -- expressions ---------------------------------------------------------------------------------------
  // env: the principal/resource types and context type the policy is written for
  const attrPaths = (env) => {
    // [{e: expr text, t: type, guard: [has-conditions]}], up to two levels deep
    const out = [];
    const walkRec = (base, rec, guard, depth, segs) => {
      for (const [n, a] of Object.entries(rec.attrs)) {
        const e = acc(base, n, R);
        const g = a.req ? guard : guard.concat([hasT(base, n, R)]);
        out.push({ e, t: a.t, guard: g, root: segs[0], segs: segs.slice(1).concat([n]) });
        if (depth < 2) {
          if (a.t.k === 'Record') walkRec(e, a.t, g, depth + 1, segs.concat([n]));
          if (a.t.k === 'Entity') walkRec(e, { attrs: typeByName[a.t.name].attrs }, g, depth + 1, segs.concat([n]));
        }
      }
    };
    walkRec('principal', { attrs: typeByName[env.p].attrs }, [], 0, ['principal']);
    walkRec('resource', { attrs: typeByName[env.r].attrs }, [], 0, ['resource']);
    walkRec('context', env.ctx, [], 0, ['context']);
    return out;
  };
  const sameT = (a, b) => {
    if (a.k !== b.k) return false;
    if (a.k === 'Set') return sameT(a.el, b.el);
    if (a.k === 'Entity' || a.k === 'Ext') return a.name === b.name;
    if (a.k === 'Record') return true;
    return true;
  };
  const entLit = (tn) => q(tn) + '::' + cedarStr(entRef(tn));
  const anyType = () => R.pick([{ k: 'Bool' }, { k: 'Long' }, { k: 'String' }, { k: 'Ext', name: R.pick(EXT) },
    { k: 'Entity', name: R.pick(typeNames) }, { k: 'Set', el: { k: 'Long' } }, { k: 'Set', el: { k: 'String' } }]);

  const G = (env, t, d) => {
    const paths = env.paths.filter((p) => sameT(p.t, t));
    // a path of the wanted type, guarded by has-tests unless we want an error
    const fromPath = () => {
      const p = R.pick(paths);
      if (!p.guard.length || R.chance(pErr)) return p.e;
      const g = p.guard.join(' && ');
      if (t.k === 'Bool') return '(' + g + ' && ' + p.e + ')';
      return '(if ' + g + ' then ' + p.e + ' else ' + lit(env, t, d + 1) + ')';
    };
    if (d >= 4 || R.chance(0.25)) {
      if (paths.length && R.chance(0.6)) return fromPath();
      return lit(env, t, d);
    }
    if (R.chance(pErr)) return wrong(env, t, d);
    if (paths.length && R.chance(0.3)) return fromPath();
    switch (t.k) {
      case 'Bool': return genBool(env, d);
      case 'Long': return genLong(env, d);
      case 'String': return genString(env, d);
      case 'Ext': return genExt(env, t.name, d);
      case 'Entity': return genEntity(env, t.name, d);
      case 'Set': return genSet(env, t, d);
      case 'Record': return genRecord(env, t, d);
    }
  };
  const ite = (env, t, d) => '(if ' + G(env, { k: 'Bool' }, d + 1) + ' then ' + G(env, t, d + 1) + ' else ' + G(env, t, d + 1) + ')';
  const extLit = (name, bad) => {
    const fn = extFn(name);
    const pool = name === 'decimal' ? (bad ? BAD_DECIMALS : DECIMALS) : name === 'ipaddr' ? (bad ? BAD_IPS : IPS)
      : name === 'datetime' ? (bad ? BAD_DATETIMES : DATETIMES) : (bad ? BAD_DURATIONS : DURATIONS);
    return fn + '(' + cedarStr(R.pick(pool)) + ')';
  };
  const lit = (env, t, d) => {
    switch (t.k) {
      case 'Bool': return R.chance(0.5) ? 'true' : 'false';
      case 'Long': return R.chance(0.08) ? R.pick([I64MAX, '-9223372036854775808', '4611686018427387904']) : String(R.int(-3, 12));
      case 'String': return cedarStr(R.pick(STRINGS));
      case 'Ext': return extLit(t.name, R.chance(pErr / 2));
      case 'Entity': {
        if (t.name === env.p && R.chance(0.4)) return 'principal';
        if (t.name === env.r && R.chance(0.4)) return 'resource';
        return entLit(t.name);
      }
      case 'Set': { const n = R.int(0, 3); const a = []; for (let i = 0; i < n; i++) a.push(d < 5 ? lit(env, t.el, d + 1) : lit(env, { k: 'Long' }, 9)); return '[' + a.join(', ') + ']'; }
      case 'Record': {
        const parts = [];
        for (const [n, a] of Object.entries(t.attrs)) if (a.req || R.chance(0.5)) parts.push(JSON.stringify(n) + ': ' + lit(env, a.t, d + 1));
        return '{' + parts.join(', ') + '}';
      }
    }
  };
  // a deliberately problematic expression standing where a value of type t is expected
  const wrong = (env, t, d) => '(' + wrong1(env, t, d) + ')';
  const wrong1 = (env, t, d) => {
    const k = R.int(0, 9);
    switch (k) {
      case 0: return G(env, anyType(), d + 1); // plain type mismatch
      case 1: return '(' + I64MAX + ' + ' + G(env, { k: 'Long' }, d + 1) + ')' + (t.k === 'Bool' ? ' > 0' : ''); // overflow
      case 2: return 'principal.nosuch' + (t.k === 'Bool' ? ' == 1' : ''); // missing attribute
      case 3: return t.k === 'Bool' ? extLit(R.pick(EXT), true) + ' == ' + extLit(R.pick(EXT), false) : extLit(R.pick(EXT), true);
      case 4: { // getTag of a possibly missing tag, or on an entity type without tags
        const e = R.pick(['principal', 'resource']);
        return e + '.getTag(' + cedarStr(R.pick(['a', 'b', 'c', 'zz'])) + ')';
      }
      case 5: return '(' + G(env, { k: 'String' }, d + 1) + ' < ' + G(env, { k: 'Long' }, d + 1) + ')';
      case 6: { const tn = R.pick(typeNames); return '(' + acc(q(tn) + '::' + cedarStr(ghost(tn)), R.pick(ATTR_POOL), R) + ')' + (t.k === 'Bool' ? ' == 1' : ''); }
      case 7: return '(-' + '(' + lit(env, { k: 'Long' }, d) + ') * ' + I64MAX + ')';
      case 8: return '(' + G(env, { k: 'Long' }, d + 1) + ' in ' + G(env, { k: 'Entity', name: R.pick(typeNames) }, d + 1) + ')';
      default: return 'context.' + R.pick(CTX_POOL) + '.x';
    }
  };
  const genBool = (env, d) => {
    const k = R.int(0, 22);
    const B = () => G(env, { k: 'Bool' }, d + 1);
    const L = () => G(env, { k: 'Long' }, d + 1);
    switch (k) {
      case 0: return '!' + '(' + B() + ')';
      case 1: return '(' + B() + ' && ' + B() + ')';
      case 2: return '(' + B() + ' || ' + B() + ')';
      case 3: return '(' + L() + ' ' + R.pick(['<', '<=', '>', '>=']) + ' ' + L() + ')';
      case 4: { const t = anyType(); return '(' + G(env, t, d + 1) + ' ' + R.pick(['==', '!=']) + ' ' + G(env, R.chance(0.8) ? t : anyType(), d + 1) + ')'; }
      case 5: { // has, incl. nested has a.b
        const base = R.pick(['principal', 'resource', 'context']);
        const ps = env.paths.filter((p) => p.root === base);
        if (ps.length && R.chance(0.8)) {
          const p = R.pick(ps);
          // `e has a.b.c` (all identifiers) tests the whole path at once
          if (p.segs.every(isIdent)) return '(' + base + ' has ' + p.segs.join('.') + ')';
          return '(' + hasT(base, p.segs[0], R) + ')';
        }
        return '(' + hasT(base, R.pick(ATTR_POOL.concat(CTX_POOL)), R) + ')';
      }
      case 6: return '(' + G(env, { k: 'String' }, d + 1) + ' like ' + cedarPat(R.pick(PATTERNS)) + ')';
      case 7: { // is / is ... in
        const v = R.pick(['principal', 'resource', G(env, { k: 'Entity', name: R.pick(typeNames) }, d + 1)]);
        const tn = R.pick(typeNames);
        return '(' + v + ' is ' + q(tn) + (R.chance(0.3) ? ' in ' + G(env, { k: 'Entity', name: R.pick(typeNames) }, d + 1) : '') + ')';
      }
      case 8: { // in entity / in set of entities
        const lhs = R.pick(['principal', 'resource', G(env, { k: 'Entity', name: R.pick(typeNames) }, d + 1)]);
        if (R.chance(0.3)) return '(' + lhs + ' in ' + G(env, { k: 'Set', el: { k: 'Entity', name: R.pick(typeNames) } }, d + 1) + ')';
        return '(' + lhs + ' in ' + G(env, { k: 'Entity', name: R.pick(typeNames) }, d + 1) + ')';
      }
      case 9: { const el = R.pick([{ k: 'Long' }, { k: 'String' }, { k: 'Entity', name: R.pick(typeNames) }]); return G(env, { k: 'Set', el }, d + 1) + '.contains(' + G(env, el, d + 1) + ')'; }
      case 10: { const el = R.pick([{ k: 'Long' }, { k: 'String' }]); return G(env, { k: 'Set', el }, d + 1) + '.' + R.pick(['containsAll', 'containsAny']) + '(' + G(env, { k: 'Set', el }, d + 1) + ')'; }
      case 11: return G(env, { k: 'Set', el: R.pick([{ k: 'Long' }, { k: 'String' }]) }, d + 1) + '.isEmpty()';
      case 12: return '(' + R.pick(['principal', 'resource']) + '.hasTag(' + G(env, { k: 'String' }, d + 1) + '))';
      case 13: return ite(env, { k: 'Bool' }, d);
      case 14: return G(env, { k: 'Ext', name: 'decimal' }, d + 1) + '.' + R.pick(['lessThan', 'lessThanOrEqual', 'greaterThan', 'greaterThanOrEqual']) + '(' + G(env, { k: 'Ext', name: 'decimal' }, d + 1) + ')';
      case 15: return G(env, { k: 'Ext', name: 'ipaddr' }, d + 1) + '.' + R.pick(['isIpv4()', 'isIpv6()', 'isLoopback()', 'isMulticast()']);
      case 16: return G(env, { k: 'Ext', name: 'ipaddr' }, d + 1) + '.isInRange(' + G(env, { k: 'Ext', name: 'ipaddr' }, d + 1) + ')';
      case 17: { const n = R.pick(['datetime', 'duration', 'datetime', 'decimal']); return '(' + G(env, { k: 'Ext', name: n }, d + 1) + ' ' + R.pick(['<', '<=', '>', '>=']) + ' ' + G(env, { k: 'Ext', name: n }, d + 1) + ')'; }
      case 18: { // tag read with hasTag guard
        const e = R.pick(['principal', 'resource']);
        const tt = typeByName[e === 'principal' ? env.p : env.r].tags;
        const tag = cedarStr(R.pick(['a', 'b', 'c']));
        if (tt && tt.k === 'Bool') return '(' + e + '.hasTag(' + tag + ') && ' + e + '.getTag(' + tag + '))';
        if (tt && tt.k === 'Long') return '(' + e + '.hasTag(' + tag + ') && ' + e + '.getTag(' + tag + ') > ' + lit(env, { k: 'Long' }, d) + ')';
        if (tt && tt.k === 'String') return '(' + e + '.hasTag(' + tag + ') && ' + e + '.getTag(' + tag + ') like ' + cedarPat(R.pick(PATTERNS)) + ')';
        if (tt) return '(' + e + '.hasTag(' + tag + ') && ' + e + '.getTag(' + tag + ').contains(' + lit(env, { k: 'String' }, d) + '))';
        return '(' + e + '.hasTag(' + tag + '))';
      }
      case 19: { // record literal access / has
        const rec = '{' + 'a: ' + L() + ', "b c": ' + G(env, { k: 'String' }, d + 1) + '}';
        return R.chance(0.5) ? '(' + rec + ' has ' + R.pick(['a', 'b']) + ')' : '(' + rec + '.a ' + R.pick(['==', '<']) + ' ' + L() + ')';
      }
      case 20: return '(' + G(env, { k: 'Entity', name: env.p }, d + 1) + ' == principal)';
      case 21: return '(action ' + R.pick(['==', 'in']) + ' ' + actType + '::' + cedarStr(R.pick(actNames.concat([groupName]))) + ')';
      default: return 'context' + (Object.keys(env.ctx.attrs).length ? ' has ' + R.pick(Object.keys(env.ctx.attrs)) : ' == {}');
    }
  };
  const genLong = (env, d) => {
    const L = () => G(env, { k: 'Long' }, d + 1);
    switch (R.int(0, 8)) {
      case 0: return '(' + L() + ' + ' + L() + ')';
      case 1: return '(' + L() + ' - ' + L() + ')';
      case 2: return '(' + L() + ' * ' + (R.chance(0.5) ? lit(env, { k: 'Long' }, d) : L()) + ')';
      case 3: return '-(' + L() + ')';
      case 4: return ite(env, { k: 'Long' }, d);
      case 5: return G(env, { k: 'Ext', name: 'duration' }, d + 1) + '.' + R.pick(['toMilliseconds()', 'toSeconds()', 'toMinutes()', 'toHours()', 'toDays()']);
      case 6: {
        const e = R.pick(['principal', 'resource']);
        const tt = typeByName[e === 'principal' ? env.p : env.r].tags;
        if (tt && tt.k === 'Long') return '(if ' + e + '.hasTag("a") then ' + e + '.getTag("a") else 0)';
        return lit(env, { k: 'Long' }, d);
      }
      case 7: return '{v: ' + L() + '}.v';
      default: return lit(env, { k: 'Long' }, d);
    }
  };
  const genString = (env, d) => {
    switch (R.int(0, 3)) {
      case 0: return ite(env, { k: 'String' }, d);
      case 1: {
        const e = R.pick(['principal', 'resource']);
        const tt = typeByName[e === 'principal' ? env.p : env.r].tags;
        if (tt && tt.k === 'String') return '(if ' + e + '.hasTag("b") then ' + e + '.getTag("b") else "")';
        return lit(env, { k: 'String' }, d);
      }
      default: return lit(env, { k: 'String' }, d);
    }
  };
  const genExt = (env, name, d) => {
    if (name === 'datetime') {
      switch (R.int(0, 3)) {
        case 0: return G(env, { k: 'Ext', name: 'datetime' }, d + 1) + '.offset(' + G(env, { k: 'Ext', name: 'duration' }, d + 1) + ')';
        case 1: return G(env, { k: 'Ext', name: 'datetime' }, d + 1) + '.toDate()';
        case 2: return ite(env, { k: 'Ext', name }, d);
        default: return extLit(name, R.chance(pErr / 2));
      }
    }
    if (name === 'duration') {
      switch (R.int(0, 3)) {
        case 0: return G(env, { k: 'Ext', name: 'datetime' }, d + 1) + '.durationSince(' + G(env, { k: 'Ext', name: 'datetime' }, d + 1) + ')';
        case 1: return G(env, { k: 'Ext', name: 'datetime' }, d + 1) + '.toTime()';
        default: return extLit(name, R.chance(pErr / 2));
      }
    }
    return R.chance(0.2) ? ite(env, { k: 'Ext', name }, d) : extLit(name, R.chance(pErr / 2));
  };
  const genEntity = (env, tn, d) => {
    if (R.chance(0.2)) return ite(env, { k: 'Entity', name: tn }, d);
    return lit(env, { k: 'Entity', name: tn }, d);
  };
  const genSet = (env, t, d) => {
    if (R.chance(0.15)) return ite(env, t, d);
    const n = R.int(0, 3);
    const a = [];
    for (let i = 0; i < n; i++) a.push(G(env, R.chance(0.9) ? t.el : anyType(), d + 1));
    return '[' + a.join(', ') + ']';
  };
  const genRecord = (env, t, d) => {
    const parts = [];
    for (const [n, a] of Object.entries(t.attrs)) if (a.req || R.chance(0.5)) parts.push(JSON.stringify(n) + ': ' + G(env, a.t, d + 1));
    return '{' + parts.join(', ') + '}';
  };

  // -- policies ---------------------------------------------------------------------------------------------
  const ancestorTypes = (tn) => { // tn and every type it can be (transitively) a member of
    const seen = new Set([tn]);
    const st = [tn];
    while (st.length) for (const m of typeByName[st.pop()].memberOf) if (!seen.has(m)) { seen.add(m); st.push(m); }
    return [...seen];
  };
  const scopeFor = (v, tn) => {
    const r = R.f();
    if (r < 0.35) return v;
    if (r < 0.5) return v + ' == ' + entLit(tn);
    if (r < 0.7) return v + ' in ' + entLit(R.pick(ancestorTypes(tn)));
    if (r < 0.85) return v + ' is ' + q(tn);
    return v + ' is ' + q(tn) + ' in ' + entLit(R.pick(ancestorTypes(tn)));
  };
  const nPol = R.int(2, 7);
  const policies = [];
  for (let i = 0; i < nPol; i++) {
    const a = R.pick(actions);
    const env = { p: R.pick(a.principals), r: R.pick(a.resources), ctx: a.ctx };
    env.paths = attrPaths(env);
    const eff = R.chance(0.65) ? 'permit' : 'forbid';
    let act;
    const ar = R.f();
    if (ar < 0.25) act = 'action';
    else if (ar < 0.65) act = 'action == ' + actType + '::' + cedarStr(a.name);
    else if (ar < 0.8) act = 'action in ' + actType + '::' + cedarStr(a.inGroup ? groupName : a.name);
    else act = 'action in [' + [a.name].concat(R.subset(actNames, 0.4)).filter((v, j, s) => s.indexOf(v) === j).map((n) => actType + '::' + cedarStr(n)).join(', ') + ']';
    let text = '';
    if (R.chance(0.2)) text += '@id(' + cedarStr('p' + i) + ')\n';
    text += eff + ' (\n  ' + scopeFor('principal', env.p) + ',\n  ' + act + ',\n  ' + scopeFor('resource', env.r) + '\n)';
    const nc = R.chance(0.15) ? 0 : R.int(1, 2);
    for (let c = 0; c < nc; c++) text += '\n' + (R.chance(0.75) ? 'when' : 'unless') + ' { ' + G(env, { k: 'Bool' }, 0) + ' }';
    policies.push(text + ';');
  }
  // a catch-all permit makes forbids and errors decide more often
  if (R.chance(0.35)) policies.splice(R.int(0, policies.length), 0, 'permit (principal, action, resource);');

  // -- requests -----------------------------------------------------------------------------------------------
  const requests = [];
  const nReq = R.int(4, 8);
  for (let i = 0; i < nReq; i++) {
    const a = R.pick(actions);
    const pt = R.pick(a.principals);
    const rt = R.pick(a.resources);
    const req = {
      principal: { type: q(pt), id: entRef(pt) },
      action: { type: actType, id: a.name },
      resource: { type: q(rt), id: entRef(rt) },
      context: jval(a.ctx),
    };
    if (R.chance(0.04)) { // a request the schema rejects: both sides must refuse it
      const k = R.int(0, 3);
      if (k === 0) req.principal.type = q(R.pick(typeNames.filter((n) => !a.principals.includes(n)).concat(['Nope'])));
      else if (k === 1) req.action.id = 'nosuchaction';
      else if (k === 2) req.context = Object.assign({}, req.context, { extra: 1 });
      else req.context = { n: 'not a record of the right type' };
    }
    requests.push(req);
  }
  return { seed, schema, policies, entities, requests };
}

module.exports = { generate, rng, cedarStr };

if (require.main === module) {
  const seed = Number(process.argv[2] || 1);
  const c = generate(seed);
  console.log('// schema\n' + c.schema);
  console.log('// policies\n' + c.policies.join('\n\n'));
  console.log('// entities\n' + JSON.stringify(c.entities));
  console.log('// requests');
  for (const r of c.requests) console.log(JSON.stringify(r));
}
