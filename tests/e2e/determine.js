// determine.js — E2E steps of the determination wizard (run by run.js when the server offers
// POST /v1/determine): a USML export to Australia under both regimes, shown side by side.
'use strict';

exports.run = async (page, { BASE, check, shot }) => {
  await page.goto(`${BASE}/#/determine`);
  await page.waitForSelector('#det-form');
  await page.selectOption('#det-item-kind', 'usml');
  await page.fill('#det-code', 'XII(c)');
  await page.click('#det-next');
  await page.fill('#det-to', 'AUS');
  await page.fill('#det-date', '2025-06-01');
  await page.click('#det-next');
  await page.selectOption('#det-regime', 'both');
  await page.click('#det-next');
  await page.waitForSelector('#det-result, #det-error:not(:empty)');
  const text = await page.textContent('main');
  check('determination shows current law and proposed reforms', text.includes('Current law') && text.includes('Proposed reforms'), text.slice(0, 500));
  check('determination shows authorities and a trace', text.includes('Authorities') && /Trace: \d+ rules/.test(text), text.slice(0, 500));
  await shot(page, 'a-determination');
};
