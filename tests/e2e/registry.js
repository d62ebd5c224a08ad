// registry.js — E2E steps of the eligibility and registry pages (run by run.js when the server
// offers /v1/eligibility and /v1/registry): an ally's tiers, a registry search with facets, a
// record page with its label banner, near-duplicates and challenge matches; and isolation: a
// record releasable only to nation B (published by B, CUI//NOFORN) never appears for nation A on
// any registry page, nor through the API the pages use, and B never sees A's NOFORN record.
'use strict';

exports.run = async (page, { BASE, TOKEN_A, TOKEN_B, check, shot, signIn, signOut, api, unlabelled }) => {
  const bOnly = { id: 'GBR-P-0900', type: 'project', nation: 'GBR', label: 'CUI//NOFORN', title: 'UK-only quantum radar trials',
    summary: 'Quantum illumination radar trials held by the UK alone; not releasable to other nations.', areas: ['quantum'] };
  const made = await api('POST', '/v1/registry/records', TOKEN_B, bOnly);
  check('B publishes a GBR-only record', made.status === 201 || made.status === 409, JSON.stringify(made));

  // ---- eligibility (A)
  await page.goto(`${BASE}/#/eligibility`);
  await page.waitForSelector('#el-form');
  check('eligibility controls are labelled', (await unlabelled(page)).length === 0, await unlabelled(page));
  await page.fill('#el-country', 'POL');
  await page.click('#el-form button[type=submit]');
  await page.waitForSelector('#el-tiers');
  const el = await page.textContent('#el-out');
  check('eligibility shows tiers met and not met', /tiers met/.test(el) && el.includes('not met'), el.slice(0, 300));
  check('eligibility says what is missing', el.includes('missing:'), el.slice(0, 300));
  await shot(page, 'a-eligibility');

  // ---- registry search with facets (A = USA)
  await page.goto(`${BASE}/#/registry?q=quantum`);
  await page.waitForSelector('#reg-hits, #reg-none');
  check('registry search controls are labelled', (await unlabelled(page)).length === 0, await unlabelled(page));
  let text = await page.textContent('main');
  check('A finds the US quantum navigation project', text.includes('Quantum inertial navigation'), text.slice(0, 300));
  check('search shows facets by type and nation', text.includes('By type') && text.includes('By nation'), text.slice(0, 300));
  check('A never sees B\'s GBR-only record in search', !text.includes('UK-only quantum radar') && !text.includes(bOnly.id), text.slice(0, 300));
  await shot(page, 'a-registry-search');
  await page.goto(`${BASE}/#/registry?type=challenge`);
  await page.waitForSelector('#reg-hits');
  const n = await page.$$eval('#reg-hits > li', (els) => els.length);
  check(`type facet lists only challenges (${n})`, n >= 1 && (await page.$$eval('#reg-hits .tag', (els) => els.every((e) => e.textContent === 'challenge'))));
  // ---- record page: banner, duplicates, matches
  await page.goto(`${BASE}/#/registry/USA-P-0001`);
  await page.waitForSelector('#record-title');
  text = await page.textContent('main');
  check('record page shows its label banner', (await page.textContent('.label-banner')) === 'CUI//REL TO USA, FVEY');
  check('record page lists the UK near-duplicate', (await page.textContent('#record-dupes')).includes('Cold-atom quantum navigation'), await page.textContent('#record-dupes'));
  await shot(page, 'a-registry-record');
  await page.goto(`${BASE}/#/registry/USA-X-0001`);
  await page.waitForSelector('#record-matches');
  const m = await page.textContent('#record-matches');
  check('challenge page lists who could answer it', m.includes('navigation') || m.includes('Navigation'), m.slice(0, 300));
  check('challenge matches never include B\'s GBR-only record', !m.includes('UK-only'), m.slice(0, 300));
  await shot(page, 'a-registry-challenge');
  await page.goto(`${BASE}/#/registry/${bOnly.id}`);
  await page.waitForSelector('#record-missing');
  text = await page.textContent('main');
  check('A opening B\'s GBR-only record gets "not found" and nothing else', text.includes('Record not found') && !text.includes('UK-only') && !text.includes('NOFORN'), text);
  await shot(page, 'a-registry-denied');
  const apiA = await api('GET', '/v1/registry/records?q=quantum&limit=1000', TOKEN_A);
  check('registry API for A never returns B\'s record', !JSON.stringify(apiA.json).includes(bOnly.id));
  const dA = await api('GET', '/v1/registry/dupes?threshold=0.1&limit=1000', TOKEN_A);
  check('dupes API for A never returns B\'s record', dA.status === 200 && !JSON.stringify(dA.json).includes(bOnly.id));
  const gA = await api('GET', `/v1/registry/records/${bOnly.id}`, TOKEN_A);
  check('get API for A answers 404', gA.status === 404);

  // ---- B sees its own record and never A's NOFORN one
  await signOut(page);
  await signIn(page, TOKEN_B);
  await page.goto(`${BASE}/#/registry?q=quantum`);
  await page.waitForSelector('#reg-hits, #reg-none');
  text = await page.textContent('main');
  check('B sees its own GBR-only record', text.includes('UK-only quantum radar'), text.slice(0, 300));
  await page.goto(`${BASE}/#/registry?q=radar`);
  await page.waitForSelector('#reg-hits, #reg-none');
  text = await page.textContent('main');
  check('B never sees A\'s NOFORN radar coatings record', !text.includes('radar absorbing') && !text.includes('USA-P-0004'), text.slice(0, 300));
  await page.goto(`${BASE}/#/registry/USA-P-0004`);
  await page.waitForSelector('#record-missing');
  check('B opening A\'s NOFORN record gets "not found"', !(await page.textContent('main')).includes('radar absorbing'));
  await shot(page, 'b-registry-denied');
  await signOut(page);
  await signIn(page, TOKEN_A);
};
