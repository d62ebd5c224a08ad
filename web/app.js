// app.js — entry point of the aib web interface: sign-in state, the hash router, the navigation
// (only pages whose API this server offers) and the header showing who is signed in. Pages live
// in pages/*.js and talk to the API through lib/api.js; what a page shows is what the API
// returns for the token, which the server filters by the token's nation and role.

import { api, token, setToken, setUnauthorizedHandler } from './lib/api.js';
import { h, mount } from './lib/dom.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const whoEl = document.getElementById('who');

const ctx = { who: null, caps: null, caseTypes: null };

// Pages: path pattern, module, nav label, capability needed (null: always).
const PAGES = [
  { id: 'overview', re: /^\/(overview)?$/, mod: './pages/overview.js', nav: 'Operating picture', cap: null },
  { id: 'case-new', re: /^\/cases\/new$/, mod: './pages/case_new.js', nav: 'File a case', cap: null },
  { id: 'case', re: /^\/cases\/([A-Za-z0-9_.-]{1,64})$/, mod: './pages/case.js', cap: null },
  { id: 'cases', re: /^\/cases$/, mod: './pages/cases.js', nav: 'Cases', cap: null },
  { id: 'determine', re: /^\/determine$/, mod: './pages/determine.js', nav: 'Determination', cap: 'determine' },
  { id: 'screen', re: /^\/screen$/, mod: './pages/screen.js', nav: 'Screening', cap: 'screen' },
  { id: 'eligibility', re: /^\/eligibility$/, mod: './pages/eligibility.js', nav: 'Eligibility', cap: 'eligibility' },
  { id: 'record', re: /^\/registry\/([A-Za-z0-9_.-]{1,64})$/, mod: './pages/record.js', cap: 'registry' },
  { id: 'registry', re: /^\/registry$/, mod: './pages/registry.js', nav: 'Registry', cap: 'registry' },
];
const NAV_ORDER = ['overview', 'cases', 'case-new', 'determine', 'eligibility', 'screen', 'registry'];

/** Case types (/v1/case-types), fetched once per sign-in. */
ctx.getCaseTypes = async () => {
  if (!ctx.caseTypes) ctx.caseTypes = (await api('GET', '/v1/case-types')).items;
  return ctx.caseTypes;
};

// Which optional APIs this server offers. The OpenAPI document lists the routes; routes that
// depend on loaded data (screening lists, determination packs) answer 404 to a probe when absent
// and 400 (bad input) when present, so an empty body tells them apart without side effects.
async function probe(path) {
  try {
    await api('POST', path, {});
    return true;
  } catch (e) {
    return e.status !== 404 && e.status !== 405 && e.status !== 401 && e.status !== 403;
  }
}

async function capabilities() {
  let paths = {};
  try { paths = (await api('GET', '/v1/openapi.json')).paths || {}; } catch { paths = {}; }
  const has = (p) => Object.keys(paths).some((k) => k === p || k.startsWith(`${p}/`) || k.startsWith(`${p}?`));
  // GET routes that need data (registry tables, reference data) answer 503 when it is absent.
  const get = async (p) => { try { await api('GET', p); return true; } catch { return false; } };
  const [screen, determine, registry, eligibility] = await Promise.all([
    has('/v1/screen') ? probe('/v1/screen') : false,
    has('/v1/determine') ? probe('/v1/determine') : false,
    has('/v1/registry') ? get('/v1/registry/taxonomy') : false,
    has('/v1/eligibility') ? get('/v1/lookup/countries') : false,
  ]);
  return { screen, determine, registry, eligibility, paths };
}

function renderNav(current) {
  mount(nav, h('ul', {}, NAV_ORDER.map((id) => PAGES.find((p) => p.id === id))
    .filter((p) => !p.cap || (ctx.caps && ctx.caps[p.cap]))
    .map((p) => {
      const href = p.id === 'overview' ? '#/' : p.id === 'case-new' ? '#/cases/new' : `#/${p.id}`;
      const active = current === p.id || (current === 'case' && p.id === 'cases') || (current === 'record' && p.id === 'registry');
      return h('li', {}, h('a', { href, 'aria-current': active ? 'page' : null }, p.nav));
    })));
  nav.hidden = false;
}

function renderWho() {
  if (!ctx.who) { mount(whoEl); return; }
  mount(whoEl,
    h('span', { class: 'badge', title: 'Nation of this token' }, ctx.who.nation),
    h('span', { class: 'person' }, `${ctx.who.person} · ${ctx.who.role}`),
    h('button', { type: 'button', class: 'link', id: 'signout', onclick: signOut }, 'Sign out'));
}

function signOut() {
  setToken('');
  ctx.who = null; ctx.caps = null; ctx.caseTypes = null;
  nav.hidden = true;
  renderWho();
  location.hash = '#/signin';
  route();
}

async function signIn(tok) {
  const who = await api('GET', '/v1/whoami', undefined, { token: tok, quiet401: true });
  setToken(tok);
  ctx.who = who;
  ctx.caseTypes = null;
  ctx.caps = await capabilities();
  renderWho();
}

function signInPage(message) {
  document.title = 'Sign in — aib';
  const input = h('input', { type: 'password', id: 'token', name: 'token', autocomplete: 'off', required: true,
    spellcheck: 'false', 'aria-describedby': 'token-hint', placeholder: 'aib_…' });
  const err = h('p', { class: 'error', id: 'signin-error', role: 'alert' }, message || '');
  const form = h('form', { class: 'card narrow', 'aria-labelledby': 'signin-h' },
    h('h1', { id: 'signin-h' }, 'Sign in'),
    h('p', {}, 'Paste the API token you were given (it begins with ', h('code', {}, 'aib_'),
      '). It is kept in this browser tab only and sent with each request to this server.'),
    h('div', { class: 'field' }, h('label', { for: 'token' }, 'API token'), input,
      h('small', { class: 'hint', id: 'token-hint' }, 'Tokens are issued with `aib token create` for one nation and role.')),
    err,
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.textContent = '';
    const t = input.value.trim();
    try {
      await signIn(t);
      location.hash = '#/';
      route();
    } catch (e) {
      err.textContent = e.status === 401 ? 'This token was not accepted (unknown, revoked or mistyped).' : `Sign-in failed: ${e.message}`;
      input.focus();
    }
  });
  nav.hidden = true;
  mount(main, form);
  input.focus();
}

let seq = 0;
async function route() {
  const my = ++seq;
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, query] = raw.split('?');
  const params = new URLSearchParams(query || '');
  if (!token() || path === '/signin') {
    if (token() && path === '/signin') { location.hash = '#/'; return; }
    signInPage();
    return;
  }
  if (!ctx.who) {
    try {
      await signIn(token());
    } catch (e) {
      setToken('');
      signInPage(e.status === 401 ? 'Your session ended; sign in again.' : `Cannot reach the server: ${e.message}`);
      return;
    }
  }
  const page = PAGES.find((p) => p.re.test(path));
  renderNav(page ? page.id : '');
  if (!page || (page.cap && !ctx.caps[page.cap])) {
    document.title = 'Not found — aib';
    mount(main, h('h1', {}, 'Page not found'),
      h('p', {}, page ? 'This server does not offer this function.' : 'There is no such page.'), h('a', { href: '#/' }, 'Back to the operating picture'));
    return;
  }
  const m = path.match(page.re);
  mount(main, h('p', { class: 'loading', role: 'status' }, 'Loading…'));
  try {
    const mod = await import(page.mod);
    if (my !== seq) return;
    await mod.render(main, ctx, { match: m, params, path, isCurrent: () => my === seq });
  } catch (e) {
    if (my !== seq) return;
    mount(main, h('h1', {}, 'Something went wrong'), h('p', { class: 'error', role: 'alert' }, e.describe ? e.describe() : String(e.message || e)));
  }
  if (my === seq && document.activeElement === document.body) main.focus({ preventScroll: true });
}

setUnauthorizedHandler(() => {
  setToken('');
  ctx.who = null;
  renderWho();
  signInPage('Your session ended or the token was revoked; sign in again.');
});

// The skip link must not change the hash (the router owns it): it only moves focus.
document.querySelector('.skip').addEventListener('click', (ev) => {
  ev.preventDefault();
  main.focus();
});

window.addEventListener('hashchange', () => { route(); });
route();
