// journey.js - a real browser (Debian's chromium, driven by puppeteer-core; no browser is
// downloaded) through the first pages of the officers' web application: a refused sign-in
// (the error summary), sign-in with a password and a TOTP code from oathtool, home, a find,
// sign-out, and a page after sign-out.  On every page visited: axe-core (WCAG 2.2 A and AA
// rules, no violation allowed), no request blocked by the Content-Security-Policy and no
// failed load, and screenshots at 1280 and 375 px wide under WEB_SHOTS.
//
// Environment: WEB_URL (https://localhost:PORT), WEB_SPKI (base64 SHA-256 of the server
// key, the one certificate the browser is told to accept), WEB_USER, WEB_PASSWORD,
// WEB_SECRET (base32 TOTP secret), WEB_FIND (text to search for), WEB_SHOTS (directory),
// CHROMIUM (default /usr/bin/chromium).  Prints "ok ..." / "not ok ..." lines and exits 1 on
// any failure.
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const puppeteer = require('puppeteer-core');

const env = (k, d) => process.env[k] || d;
const URL0 = env('WEB_URL');
const SHOTS = env('WEB_SHOTS', 'build/browser');
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
let passed = 0, failed = 0;

function check(ok, what, detail) {
	if (ok) { passed++; console.log('ok ' + what); }
	else { failed++; console.log('not ok ' + what + (detail ? ': ' + detail : '')); }
}

async function visit(page, name, problems) {
	// axe runs through the DevTools protocol, which the page's CSP does not govern: the
	// page keeps its real policy, and any violation of it is caught below
	await page.evaluate(axeSource);
	const r = await page.evaluate(() => axe.run(document, {
		runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
		    'wcag22aa', 'best-practice'] } }));
	check(r.violations.length === 0, name + ': axe-core finds no violation',
	    r.violations.map(v => v.id + ' (' + v.nodes.length + '): ' + v.help + ' at ' +
	    v.nodes.map(n => n.target.join(' ') + ' ' + (n.failureSummary || '').replace(/\s+/g, ' ')).join(', ')).join('; '));
	check(problems.length === 0, name + ': nothing blocked or failed to load',
	    problems.join('; '));
	problems.length = 0;
	for (const w of [1280, 375, 320]) {
		await page.setViewport({ width: w, height: 900 });
		if (w !== 320)
			await page.screenshot({ path: path.join(SHOTS, name + '-' + w + '.png'),
			    fullPage: true });
		const over = await page.evaluate(() =>
		    document.documentElement.scrollWidth > window.innerWidth + 1);
		check(!over, name + ' at ' + w + ' px: no sideways scrolling');
	}
	await page.setViewport({ width: 1280, height: 900 });
}

// Type a time into a GOV.UK date input's parts (the server's civil time is the machine's)
async function typeDate(page, name, t) {
	await page.type('#' + name + '-day', String(t.getDate()));
	await page.type('#' + name + '-month', String(t.getMonth() + 1));
	await page.type('#' + name + '-year', String(t.getFullYear()));
	await page.type('#' + name + '-time', String(t.getHours()).padStart(2, '0') + ':' +
	    String(t.getMinutes()).padStart(2, '0'));
}

async function signIn(page, password) {
	await page.goto(URL0 + '/login', { waitUntil: 'load' });
	await page.type('#username', env('WEB_USER'));
	await page.type('#password', password);
	const code = execFileSync('oathtool', ['--totp', '-b', env('WEB_SECRET')]).toString().trim();
	await page.type('#code', code);
	// the keyboard alone: Enter in the last field sends the form
	await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
}

(async () => {
	fs.mkdirSync(SHOTS, { recursive: true });
	const args = ['--headless=new', '--disable-gpu', '--no-first-run',
	    '--ignore-certificate-errors-spki-list=' + env('WEB_SPKI')];
	if (process.getuid && process.getuid() === 0)
		args.push('--no-sandbox');	// root: chromium's sandbox refuses to start
	const browser = await puppeteer.launch({ executablePath: env('CHROMIUM', '/usr/bin/chromium'),
	    args, headless: true });
	try {
		const page = await browser.newPage();
		const problems = [];
		// the one answer expected to fail is the not-found page's own
		// and a form refused by the rules (400), when the journey means it to be
		let refusalExpected = false;
		page.on('console', m => { if (m.type() === 'error' && !/\/nosuch$/.test(m.location().url || '') &&
		    !(refusalExpected && /status of 40[03]/.test(m.text())))
			problems.push('console: ' + m.text()); });
		page.on('requestfailed', r => problems.push('failed: ' + r.url()));
		// the GDS Transport font is GOV.UK's own: never asked for
		page.on('request', r => { if (/\/assets\/fonts\//.test(r.url())) problems.push('font: ' + r.url()); });
		page.on('response', r => { if (r.status() >= 400 && !r.url().endsWith('/nosuch') &&
		    !(refusalExpected && ((r.status() === 400 && r.url().endsWith('/records')) ||
		    (r.status() === 403 && r.url().endsWith('/audit')))))
			problems.push(r.status() + ' ' + r.url()); });

		await page.goto(URL0 + '/login', { waitUntil: 'load' });
		check((await page.title()).startsWith('Sign in'), 'the sign-in page');
		await visit(page, 'login', problems);

		await signIn(page, 'not the password');
		const summary = await page.$eval('.govuk-error-summary', e => e.textContent).catch(() => '');
		check(/There is a problem/.test(summary) && /R-LOGIN-001/.test(summary),
		    'a wrong password: the error summary', summary);
		check((await page.title()).startsWith('Error:'), 'a wrong password: the title says Error');
		await visit(page, 'login-error', problems);

		await signIn(page, env('WEB_PASSWORD'));
		check(new URL(page.url()).pathname === '/', 'signed in: home', page.url());
		const home = await page.content();
		check(/Due this week/.test(home) && /Recent records/.test(home), 'home: due and recent');
		await visit(page, 'home', problems);

		await page.type('#q', env('WEB_FIND'));
		await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
		const rows = await page.$$eval('tbody tr', t => t.map(r => r.textContent));
		check(rows.length > 0, 'find: results', rows.join(' | '));
		check(rows.some(r => /Restricted/.test(r)), 'find: a restricted subject is marked');
		check(rows.some(r => /Zoë/.test(r)), 'find: Zoë found by a spelling without the accent',
		    rows.join(' | '));
		await visit(page, 'find', problems);

		// the "before you visit" summary of the first match, through its link
		await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
		    page.click('tbody a[href^="/subjects/"]')]);
		const subj = await page.$$eval('h2, caption', h => h.map(e => e.id || e.textContent));
		check(/^\/subjects\/S[0-9]+$/.test(new URL(page.url()).pathname), 'subject: its page', page.url());
		check(subj.join('|') === 'active|warnings|History|Linked records|record',
		    'subject: orders in force, warnings, history, linked records in that order', subj.join(' '));
		await visit(page, 'subject', problems);
		await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
		    page.click('tbody a[href^="/records/"]')]);
		const caps = await page.$$eval('caption', c => c.map(e => e.textContent));
		check(/^\/records\/R[0-9]+$/.test(new URL(page.url()).pathname) &&
		    caps.includes('Events'), 'record: its page with the event timeline', caps.join('|'));
		await visit(page, 'record', problems);
		await page.goBack({ waitUntil: 'load' });
		await page.goBack({ waitUntil: 'load' });
		await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
		    page.click('tbody tr:has(.govuk-tag--red) a[href^="/subjects/"]')]);
		check(/Restricted/.test(await page.$eval('h1', e => e.textContent)),
		    'a restricted subject: marked in the heading');
		await visit(page, 'subject-restricted', problems);
		check(await page.$('a[href^="/records/new"]') === null,
		    'a restricted subject: no form to record anything new');
		await page.goBack({ waitUntil: 'load' });

		// record a CPW and then a CPN for the person found without the accent
		await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
		    page.click('tbody tr:not(:has(.govuk-tag--red)) a[href^="/subjects/"]')]);
		const subjUrl = page.url();
		await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
		    page.click('a[href^="/records/new?power=cpw&"]')]);
		check(await page.$('#rank') === null && await page.$('#by') !== null,
		    'the CPW form: only its statutory fields');
		await visit(page, 'new-cpw', problems);
		await page.type('#by', 'PC 1234');
		await typeDate(page, 'issued', new Date(Date.now() - 20 * 60 * 1000));
		await page.type('#conditions', 'Keep the music down after 23:00');
		await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
		    page.click('form[action="/records"] button')]);
		check(/^\/records\/R[0-9]+$/.test(new URL(page.url()).pathname), 'a CPW recorded', page.url());
		await page.goto(subjUrl, { waitUntil: 'load' });
		await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
		    page.click('a[href^="/records/new?power=cpn&"]')]);
		await page.type('#by', 'PC 1234');
		// issued ten minutes ago, so the breach below falls within its life
		await typeDate(page, 'issued', new Date(Date.now() - 10 * 60 * 1000));
		await page.type('#expires-day', '1');
		await page.type('#expires-month', '1');
		await page.type('#expires-year', '2020');
		refusalExpected = true;
		await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
		    page.click('form[action="/records"] button')]);
		refusalExpected = false;
		const refusal = await page.$eval('.govuk-error-summary', e => e.textContent).catch(() => '');
		check(/There is a problem/.test(refusal) && /R-GEN-00[48]/.test(refusal),
		    'a rule refusal in the error summary', refusal);
		check(await page.$eval('#by', e => e.value) === 'PC 1234' &&
		    await page.$eval('#expires-year', e => e.value) === '2020', 'the typed values kept');
		check(await page.$('#expires-error') !== null, 'the message beside the field');
		await visit(page, 'new-cpn-error', problems);
		for (const id of ['#expires-day', '#expires-month', '#expires-year'])
			await page.$eval(id, e => { e.value = ''; });
		await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
		    page.click('form[action="/records"] button')]);
		check(/^\/records\/R[0-9]+$/.test(new URL(page.url()).pathname), 'a CPN recorded', page.url());
		check(/Community protection notice/.test(await page.$eval('h1', e => e.textContent)),
		    'the CPN\'s page');
		await visit(page, 'record-cpn', problems);

		// record a breach of the CPN with the event form on its page
		await page.select('#kind', 'breached');
		await typeDate(page, 'date', new Date(Date.now() - 5 * 60 * 1000));
		await page.type('#note', 'Music again at 23:40');
		await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
		    page.click('form[action$="/events"] button')]);
		const events = await page.$$eval('table', t => t.filter(x =>
		    /Events/.test(x.querySelector('caption')?.textContent || '')).map(x => x.textContent).join(''));
		check(/breached/.test(events), 'a breach recorded on the timeline', events.slice(0, 300));
		await visit(page, 'record-breach', problems);

		// what is due, and the repeats
		await page.goto(URL0 + '/due', { waitUntil: 'load' });
		check(/^Due in the next 28 days/.test(await page.$eval('h1', e => e.textContent)), 'due: the page');
		await visit(page, 'due', problems);
		await page.goto(URL0 + '/repeat', { waitUntil: 'load' });
		check(/Repeat/.test(await page.$eval('h1', e => e.textContent)), 'repeat: the page');
		await visit(page, 'repeat', problems);

		// an officer is refused the audit page
		refusalExpected = true;
		const resp = await page.goto(URL0 + '/audit', { waitUntil: 'load' });
		refusalExpected = false;
		check(resp.status() === 403 && /You cannot see this page/.test(await page.$eval('h1',
		    e => e.textContent)) && /R-ROLE-001/.test(await page.content()),
		    'an officer refused the audit page (403)', String(resp.status()));
		await visit(page, 'audit-refused', problems);

		await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
		    page.click('form[action="/logout"] button')]);
		check(new URL(page.url()).pathname === '/login', 'signed out: the sign-in page');
		await page.goto(URL0 + '/find?q=' + encodeURIComponent(env('WEB_FIND')), { waitUntil: 'load' });
		check(new URL(page.url()).pathname === '/login', 'after sign-out a page is refused');

		await page.goto(URL0 + '/nosuch', { waitUntil: 'load' });
		await visit(page, 'not-found', problems);
	} finally {
		await browser.close();
	}
	console.log('browser journeys: ' + passed + ' passed, ' + failed + ' failed');
	process.exit(failed === 0 && passed > 0 ? 0 : 1);
})().catch(e => { console.log('not ok the journey stopped: ' + (e && e.stack || e)); process.exit(1); });
