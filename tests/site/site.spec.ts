import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

/** axe over the page. `exclude` leaves out selectors (only used for the 2,400 identical-template rows of the home table). */
async function axe(page: Page, exclude: string[] = []) {
  let builder = new AxeBuilder({ page });
  for (const e of exclude) builder = builder.exclude(e);
  const results = await builder.analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test('searching PyList_GetItem reaches its page, which says borrowed', async ({ page }) => {
  await page.goto('/');
  await page.keyboard.press('/');
  await expect(page.locator('#site-search')).toBeFocused();
  await page.keyboard.type('PyList_GetItem');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/search\/\?q=PyList_GetItem/);
  const hit = page.locator('#search-results a', { hasText: /^PyList_GetItem$/ });
  await expect(hit).toBeVisible();
  const item = page.locator('#search-results li').filter({ has: page.locator('a', { hasText: /^PyList_GetItem$/ }) });
  await expect(item.locator('.b').first()).toHaveText(/borrowed/);
  await hit.click();
  await expect(page).toHaveURL(/\/api\/PyList_GetItem\/$/);
  await expect(page.locator('h1')).toHaveText('PyList_GetItem');
  await expect(page.locator('.variant:visible h2').first()).toContainText('borrowed');
  await expect(page.locator('.variant:visible').first()).toContainText('do not Py_DECREF');
});

test('filtering the table for steals lists PyList_SetItem and PyTuple_SetItem, not PyList_Append', async ({ page }) => {
  await page.goto('/versions/3.15/');
  await page.selectOption('#table-filters select[name=steals]', 'yes');
  const visible = page.locator('#api-table tbody tr td:first-child');
  await expect(visible.filter({ hasText: /^PyList_SetItem$/ })).toHaveCount(1);
  await expect(visible.filter({ hasText: /^PyTuple_SetItem$/ })).toHaveCount(1);
  await expect(visible.filter({ hasText: /^PyList_Append$/ })).toHaveCount(0);
  await expect(page.locator('#table-count')).toContainText(/^\d+ of \d+ APIs$/);
  await page.getByRole('button', { name: 'Name' }).click();
  await page.getByRole('button', { name: 'Name' }).click();
  await expect(page.locator('#api-table th[aria-sort=descending]')).toHaveText('Name');
  const names = await visible.allTextContents();
  expect(names).toEqual([...names].sort().reverse());
});

test('the table sorts by a column', async ({ page }) => {
  await page.goto('/versions/3.15/');
  await page.getByRole('button', { name: 'Returns' }).click();
  await expect(page.locator('#api-table th[aria-sort=ascending]')).toHaveText('Returns');
});

test('the table is complete without JavaScript', async ({ browser }) => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto('/versions/3.15/');
  expect(await page.locator('#api-table-full tbody tr').count()).toBeGreaterThan(2000);
  await expect(page.locator('#api-table-full a', { hasText: /^PyList_GetItem$/ })).toBeVisible();
  await expect(page.locator('#table-filters')).toBeHidden();
  await expect(page.locator('#api-table')).toBeHidden();
  await ctx.close();
});

test('the version switch changes what an API page shows where versions differ', async ({ page }) => {
  // PyModule_AddObjectRef appeared in 3.10; PyList_GetItemRef in 3.13, so PyList_GetItem's safer alternative differs.
  await page.goto('/api/PyList_GetItem/');
  const alt = page.locator('.variant:visible .note', { hasText: 'Safer alternative' });
  await expect(alt).toContainText('PyList_GetItemRef');
  await page.getByLabel('3.11', { exact: true }).check();
  await expect(page.locator('.variant:visible')).toHaveCount(1);
  await expect(page.locator('.variant:visible')).toContainText('Python 3.11');
  await expect(alt).toHaveCount(0);
  await page.getByLabel('3.9', { exact: true }).check();
  await expect(page.locator('.variant:visible')).toContainText('Not recorded');
});

test('the version switch works with the keyboard and without JavaScript', async ({ browser }) => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto('/api/PyList_GetItem/');
  await page.getByLabel('3.15', { exact: true }).focus();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByLabel('3.14', { exact: true })).toBeChecked();
  await expect(page.locator('.variant:visible')).toHaveCount(1);
  await ctx.close();
});

/** Tabs through the page until focus leaves it; returns how many distinct elements were focused. */
async function tabThrough(page: Page, max: number): Promise<{ focused: Set<string>; expected: Set<string> }> {
  await page.evaluate(() => {
    let i = 0;
    for (const e of Array.from(document.querySelectorAll<HTMLElement>('a[href], button, input, select, summary, [tabindex]:not([tabindex="-1"])'))) e.dataset.kid = String(i++);
  });
  const expected = new Set(
    await page.locator('[data-kid]').evaluateAll((els) =>
      els.filter((e) => (e as HTMLElement).checkVisibility() && (e as HTMLElement).tabIndex >= 0 && !(e as HTMLInputElement).disabled && !((e as HTMLInputElement).type === 'radio' && !(e as HTMLInputElement).checked)).map((e) => (e as HTMLElement).dataset.kid!),
    ),
  );
  const focused = new Set<string>();
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const id = await page.evaluate(() => {
      const e = document.activeElement as HTMLElement | null;
      return !e || e === document.body ? null : (e.dataset.kid ?? 'other');
    });
    if (id === null) break;
    if (focused.has(id)) break;
    focused.add(id);
  }
  return { focused, expected };
}

for (const url of ['/api/PyList_GetItem/', '/api/PyModule_AddObject/', '/versions/', '/data/', '/search/?q=PyList_GetItem', '/examples/list-setitem-error-path/']) {
  test(`the keyboard reaches every control and link of ${url}`, async ({ page }) => {
    await page.goto(url);
    // Names are drawn first, Pagefind's results after: the list is busy until the whole first page is there.
    if (url.startsWith('/search/')) {
      await expect(page.locator('#search-results li').first()).toBeVisible();
      await expect(page.locator('#search-results')).not.toHaveAttribute('aria-busy', 'true');
    }
    const { focused, expected } = await tabThrough(page, 600);
    expect([...expected].filter((k) => !focused.has(k))).toEqual([]);
  });
}

test('the keyboard reaches the table filters and headers of a version page', async ({ page }) => {
  await page.goto('/versions/3.15/');
  const seen = new Set<string>();
  for (let i = 0; i < 800 && !seen.has('BUTTON:Docs page'); i++) {
    await page.keyboard.press('Tab');
    seen.add(await page.evaluate(() => {
      const e = document.activeElement as HTMLElement | null;
      return e ? `${e.tagName}:${e.getAttribute('name') ?? e.textContent?.trim() ?? ''}` : '';
    }));
  }
  for (const want of ['A:Skip to content', 'INPUT:q', 'SELECT:kind', 'SELECT:returns', 'SELECT:steals', 'SELECT:stable', 'SELECT:thread', 'SELECT:deprecated', 'SELECT:page', 'BUTTON:Clear', 'BUTTON:Name', 'BUTTON:Docs page']) {
    expect(seen).toContain(want);
  }
  await page.keyboard.press('Enter');
  await expect(page.locator('#api-table th[aria-sort=ascending]')).toHaveText('Docs page');
});

test('axe: home', async ({ page }) => {
  await page.goto('/');
  await axe(page);
});

test('axe: a version page, its whole table shown', async ({ page }) => {
  await page.goto('/versions/3.15/');
  await axe(page);
  await page.getByRole('button', { name: /^Show all/ }).click();
  expect(await page.locator('#api-table tbody tr').count()).toBeGreaterThan(2000);
});

test('axe: an API page, light and dark', async ({ page }) => {
  await page.goto('/api/PyList_SetItem/');
  await axe(page);
  await page.emulateMedia({ colorScheme: 'dark' });
  await axe(page);
});

test('axe: search with results', async ({ page }) => {
  await page.goto('/search/?q=PyDict_GetItem');
  await expect(page.locator('#search-results li').first()).toBeVisible();
  await expect(page.locator('#search-results')).not.toHaveAttribute('aria-busy', 'true');
  await axe(page);
});

test('search filters narrow the results', async ({ page }) => {
  await page.goto('/search/?q=list');
  await expect(page.locator('#search-results li').first()).toBeVisible();
  await page.selectOption('select[name="f-steals"]', 'yes');
  await expect(page.locator('#search-results a', { hasText: /^PyList_SetItem$/ })).toBeVisible();
  await expect(page.locator('#search-results a', { hasText: /^PyList_GetItem$/ })).toHaveCount(0);
});

test('an unknown address shows the 404 page', async ({ page }) => {
  const res = await page.goto('/api/NoSuchThing/');
  expect(res?.status()).toBe(404);
  await expect(page.locator('h1')).toHaveText('Page not found');
});

test('no request leaves 127.0.0.1, and no CSP violation', async ({ page }) => {
  const hosts = new Set<string>();
  const errors: string[] = [];
  page.on('request', (r) => hosts.add(new URL(r.url()).host));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  for (const url of ['/', '/api/PyList_GetItem/', '/versions/', '/search/?q=PyTuple_SetItem']) {
    await page.goto(url);
  }
  await expect(page.locator('#search-results li').first()).toBeVisible();
  expect([...hosts].filter((h) => !h.startsWith('127.0.0.1'))).toEqual([]);
  expect(errors).toEqual([]);
});

test('axe on a phone (360 px, touch): an API page in full, target sizes on a version page', async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const page = await ctx.newPage();
  await page.goto('/api/PyList_GetItem/');
  await axe(page);
  await page.goto('/versions/3.15/');
  await expect(page.locator('#api-table tbody tr').first()).toBeVisible();
  const r = await new AxeBuilder({ page }).withRules(['target-size']).analyze();
  expect(r.violations.flatMap((v) => v.nodes.map((n) => n.target.join(' ')))).toEqual([]);
  await ctx.close();
});

test('responsive at 360 px: no horizontal scroll on an API page', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto('/api/PyModule_AddObject/');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test('search puts an exact name first in any case, lists a prefix, suggests a near miss, and shows more than 30', async ({ page }) => {
  await page.goto('/search/?q=pydict_getitem');
  const first = page.locator('#search-results li').first();
  await expect(first.locator('a')).toHaveText('PyDict_GetItem');
  await expect(first.locator('.b').first()).toHaveText(/borrowed/);
  await expect(page.locator('#search-status')).toContainText('the exact name first');

  await page.goto('/search/?q=PyList_SetIt');
  await expect(page.locator('#search-results li a').first()).toHaveText('PyList_SetItem');
  await expect(page.locator('#search-results li').first().locator('.b-stolen')).toHaveText('steals');

  await page.goto('/search/?q=PyDict_GetItm');
  await expect(page.locator('#search-status')).toContainText('Did you mean');
  await expect(page.locator('#search-results a', { hasText: /^PyDict_GetItem$/ })).toBeVisible();

  await page.goto('/search/?q=borrowed%20reference');
  await expect(page.locator('#search-results li')).toHaveCount(30);
  await page.locator('#search-more').click();
  await expect(page.locator('#search-results li')).toHaveCount(60);
});

/** 50 names spread over the 3.15 dataset: every n-th, by name, so that every prefix family is met. */
function sampledNames(count: number): string[] {
  const dataset = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../data/versions/3.15.json'), 'utf8')) as { apis: { name: string }[] };
  const names = dataset.apis.map((a) => a.name).sort();
  const step = Math.floor(names.length / count);
  return Array.from({ length: count }, (_, i) => names[i * step]!);
}

test('for 50 names sampled from the 3.15 dataset, searching the exact name lists its page first, and a typo suggests it', async ({ page }) => {
  test.setTimeout(180_000);
  const names = sampledNames(50);
  for (const name of names) {
    await page.goto(`/search/?q=${encodeURIComponent(name)}`);
    const first = page.locator('#search-results li a').first();
    await expect(first, name).toHaveText(name);
    await expect(first, name).toHaveAttribute('href', `/api/${name}/`);
  }
  // One letter dropped from the middle of every fifth name: "did you mean" offers the name itself.
  for (const name of names.filter((_, i) => i % 5 === 0)) {
    const typo = name.slice(0, name.length >> 1) + name.slice((name.length >> 1) + 1);
    await page.goto(`/search/?q=${encodeURIComponent(typo)}`);
    await expect(page.locator('#search-results a', { hasText: new RegExp(`^${name}$`) }), `${typo} → ${name}`).toBeVisible();
  }
});

test('Enter on an exact name in the search page opens its page', async ({ page }) => {
  await page.goto('/search/');
  await page.locator('#q').fill('pylist_getitem');
  await page.locator('#q').press('Enter');
  await expect(page).toHaveURL(/\/api\/PyList_GetItem\/$/);
});

test('an error convention no source states reads as a guess, with the rule in words', async ({ page }) => {
  await page.goto('/api/Py_NewRef/');
  const errors = page.locator('p', { hasText: /^Errors:/ }).first();
  await expect(errors).toContainText('not stated');
  await expect(errors).toContainText('a reference-count helper');
  await expect(errors).not.toContainText('reference-helper');
  await page.goto('/api/PyErr_Occurred/');
  await expect(page.locator('p', { hasText: /^Errors:/ }).first()).toHaveText(/^Errors: It cannot fail\.?$/);
});

test('a version page tells names new to CPython from names only newly documented', async ({ page }) => {
  await page.goto('/versions/3.14/');
  const group = (title: RegExp) => page.locator('details', { has: page.locator('summary', { hasText: title }) });
  await expect(group(/^Added to CPython/).locator('summary')).toContainText('(137)');
  await expect(group(/^First documented/).locator('summary')).toContainText('(57)');
  await expect(group(/^First documented/).locator('a', { hasText: /^PY_SSIZE_T_MAX$/ })).toHaveCount(1);
  await expect(group(/^Added to CPython/).locator('a', { hasText: /^PY_SSIZE_T_MAX$/ })).toHaveCount(0);
});

test("an API page says what each docs' change note is about, and since when the name exists", async ({ page }) => {
  await page.goto('/api/PyDict_GetItem/');
  await expect(page.locator('dd', { hasText: /^in 3\.10:/ }).first()).toContainText('in 3.15: the signature or form');
  await page.goto('/api/PY_SSIZE_T_MAX/');
  await expect(page.locator('.timeline')).toContainText('3.14: first documented (in the headers since 3.9)');
});

test('the audit says which sources each version has, and lists every weak value of a version', async ({ page }) => {
  await page.goto('/audit/');
  const row315 = page.locator('tr', { has: page.locator('td', { hasText: /^3\.15$/ }) }).first();
  await expect(row315).toContainText('no refcounts.dat to disagree with');
  await page.locator('#weak ~ div a', { hasText: /^3\.15$/ }).click();
  await expect(page).toHaveURL(/\/audit\/weak\/3\.15\/$/);
  const carried = page.locator('section', { has: page.locator('h2#carried') });
  await expect(carried.locator('tr', { hasText: 'PyBuffer_FillInfo' }).first()).toContainText('carried-from-3.14');
});

/**
 * Elements wider than the page at this width that are not inside a scroll container (an element with
 * overflow-x auto or scroll that is itself within the page): what a phone user cannot reach.
 */
async function overflowingElements(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const scrolls = (el: Element): boolean => {
      for (let p: Element | null = el.parentElement; p; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if ((o === 'auto' || o === 'scroll') && p.getBoundingClientRect().right <= width + 1) return true;
      }
      return false;
    };
    const out: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll("*"))) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.right <= width + 1 || scrolls(el)) continue;
      out.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(/\s+/).join('.')}` : ''} (right edge ${Math.round(r.right)} px)`);
    }
    return out.slice(0, 10);
  });
}

for (const url of ['/', '/api/PyList_SetItem/', '/versions/3.15/', '/versions/', '/audit/', '/pitfalls/']) {
  test(`at 390 px nothing on ${url} overflows the page outside a scroll container`, async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(url);
    expect(await overflowingElements(page)).toEqual([]);
  });
}

test('at 390 px the API table is cards, and chart legends are text in the text colour (contrast at least 4.5:1)', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/versions/3.15/');
  const table = page.locator('#api-table');
  await expect(table.locator('tbody tr').first().locator('td[data-label="Kind"]')).toBeVisible();
  expect(await table.evaluate((t) => t.scrollWidth <= (t.parentElement as HTMLElement).clientWidth)).toBe(true);
  await page.goto('/versions/');
  const r = await new AxeBuilder({ page }).include('.legend').withRules(['color-contrast']).analyze();
  expect(r.violations.flatMap((v) => v.nodes.map((n) => n.target.join(' ')))).toEqual([]);
  expect(r.passes.length).toBeGreaterThan(0);
});

test('the support form is laid out from the first paint: nothing moves when its script runs; without scripts it is not shown', async ({ page, browser }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  // Layout shifts while the page loads, as Lighthouse counts them (none caused by input). Before the form was in
  // the first layout, showing it pushed the rest of the page down: 0.038 on this page.
  await page.addInitScript(() => {
    (window as unknown as { shifts: number }).shifts = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
        if (!e.hadRecentInput) (window as unknown as { shifts: number }).shifts += e.value;
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await page.goto('/api/PyDict_GetItem/');
  await expect(page.locator('#support-form')).toBeVisible();
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  expect(await page.evaluate(() => (window as unknown as { shifts: number }).shifts)).toBe(0);
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const noScript = await ctx.newPage();
  await noScript.goto('/api/PyDict_GetItem/');
  await expect(noScript.locator('#support-answer')).toBeVisible();
  await expect(noScript.locator('#support-form')).toBeHidden();
  await ctx.close();
});

/**
 * Whether the footer was there when the browser first rendered `file` of dist/, served as a slow network would
 * send it: up to <main> at once, the rest half a second later. Rendering runs animation frames, so the first frame
 * sees what the first paint could show.
 */
async function footerAtFirstFrame(page: Page, file: string): Promise<boolean> {
  const html = readFileSync(path.resolve(import.meta.dirname, '../../dist', file));
  const split = html.indexOf('<main');
  expect(split).toBeGreaterThan(0);
  const server = createServer((req, res) => {
    if (req.url !== '/') return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.write(html.subarray(0, split));
    setTimeout(() => res.end(html.subarray(split)), 500);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await page.addInitScript(() => {
      requestAnimationFrame(() => {
        (window as unknown as { footerAtFirstFrame: boolean }).footerAtFirstFrame = document.getElementById('site-footer') !== null;
      });
    });
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    return await page.evaluate(() => (window as unknown as { footerAtFirstFrame: boolean }).footerAtFirstFrame);
  } finally {
    server.close();
  }
}

test('a page paints once its body is parsed (one layout before the first paint); a page of long tables paints as it arrives', async ({ page }) => {
  expect(await footerAtFirstFrame(page, 'api/PyDict_GetItem/index.html')).toBe(true);
  expect(await footerAtFirstFrame(page, 'index.html')).toBe(true);
  expect(await footerAtFirstFrame(page, 'versions/3.15/index.html')).toBe(false);
});

/**
 * The distinct fonts (family, size, weight, style) the rendered text of the page uses. Each is a font lookup and a
 * strike the browser sets up on the main thread at the first layout (see the type scale in site.css).
 */
async function fontsInUse(page: Page): Promise<string[]> {
  return await page.evaluate(() => {
    const fonts = new Set<string>();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || !node.textContent?.trim() || el.getClientRects().length === 0) continue;
      const s = getComputedStyle(el);
      fonts.add(`${s.fontFamily.split(',')[0]} ${s.fontSize} ${s.fontWeight} ${s.fontStyle}`);
    }
    return [...fonts].sort();
  });
}

test('pages keep to the type scale: at most 8 fonts each, none a size derived from its parent', async ({ page }) => {
  await page.setViewportSize({ width: 412, height: 823 });
  const scale = new Set(['14px', '16px', '18px', '20px', '22.4px', '27.2px']);
  for (const url of ['/', '/api/PyDict_GetItem/', '/api/PyList_SetItem/', '/versions/3.15/', '/audit/', '/pitfalls/']) {
    await page.goto(url);
    const fonts = await fontsInUse(page);
    expect(fonts.length, `${url}: ${fonts.join('; ')}`).toBeLessThanOrEqual(8);
    expect(fonts.filter((f) => !scale.has(f.split(' ').at(-3)!)), url).toEqual([]);
  }
});

test('a support range chosen once answers on every API page, and survives a page change and a link', async ({ page }) => {
  await page.goto('/api/PyDict_GetItemRef/');
  const answer = page.locator('#support-answer');
  await expect(answer).toContainText('Added to CPython in 3.13');
  await page.selectOption('#support-form select[name="min"]', '3.11');
  await page.check('#support-form input[name="limited"]');
  // CPython added it in 3.13; pythoncapi_compat.h provides it to older Pythons.
  await expect(answer).toHaveText(/Usable from 3\.11: yes with pythoncapi_compat\.h, which provides it before 3\.13 \(CPython added it in 3\.13\)\. In the Limited API: only from 3\.13\./);
  await expect(page.locator('#support')).toContainText('include pythoncapi_compat.h to use it on Python 3.6 to 3.12');
  await expect(page).toHaveURL(/\?min=3\.11&limited=1$/);
  // Near miss: added in 3.13 and not in pythoncapi_compat.h.
  await page.goto('/api/PyCriticalSection_Begin/');
  await expect(page.locator('#support-answer')).toContainText('Usable from 3.11: no, added in 3.13.');
  // Another page reads the stored range.
  await page.goto('/api/PyList_SetItem/');
  await expect(page.locator('#support-answer')).toHaveText(/Usable from 3\.11: yes \(in CPython since 3\.9 or earlier\)\. In the Limited API: yes, since 3\.2\./);
  // A link carries its own range, which wins over the stored one.
  await page.goto('/api/PyList_SetItem/?min=3.9');
  await expect(page.locator('#support-answer')).toContainText('Usable from 3.9: yes');
  // The version switch remembers its choice too.
  await page.goto('/api/PyModule_AddObject/');
  await page.locator('label', { hasText: '3.11' }).locator('input[name="version"]').check();
  await expect(page).toHaveURL(/[?&]v=3\.11/);
  await page.goto('/api/PyModule_AddObject/');
  await expect(page.locator('#sel-v3-11')).toBeChecked();
});

/**
 * From now on in `page`, holds support.js back half a second and records, at each load's first animation frame, the
 * version checked and the variant blocks shown: what the first paint shows before any deferred script has run.
 */
async function recordVersionAtFirstFrame(page: Page): Promise<void> {
  await page.route('**/js/support.js', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    await route.continue();
  });
  await page.addInitScript(() => {
    requestAnimationFrame(() => {
      (window as unknown as { firstFrame: unknown }).firstFrame = {
        checked: document.querySelector<HTMLInputElement>('input[name="version"]:checked')?.value,
        shown: Array.from(document.querySelectorAll<HTMLElement>('.variant')).filter((v) => v.getClientRects().length > 0).map((v) => v.getAttribute('aria-label')!),
      };
    });
  });
}

async function versionAtFirstFrame(page: Page, url: string): Promise<{ checked: string | undefined; shown: string[] }> {
  await page.goto(url);
  return await page.evaluate(() => (window as unknown as { firstFrame: { checked: string | undefined; shown: string[] } }).firstFrame);
}

test('the chosen Python version shows from the first paint, not the newest one first', async ({ page }) => {
  await page.goto('/api/PyModule_AddObject/');
  await page.evaluate(() => localStorage.setItem('capi-refs-version', JSON.stringify('3.9')));
  await recordVersionAtFirstFrame(page);
  // PyModule_AddObject's 3.9 block differs from its 3.15 one: the stored choice is what the first frame shows.
  expect(await versionAtFirstFrame(page, '/api/PyModule_AddObject/')).toEqual({ checked: '3.9', shown: [expect.stringContaining('3.9')] });
  // A link's ?v= wins over the stored choice.
  expect((await versionAtFirstFrame(page, '/api/PyModule_AddObject/?v=3.13')).checked).toBe('3.13');
  // Near miss: a page without the stored version keeps its newest checked.
  const newest = await versionAtFirstFrame(page, '/api/PyDict_GetItemRef/');
  expect(newest.checked).toBe('3.15');
  expect(newest.shown).toEqual([expect.stringContaining('3.15')]);
});

test('the charts keep their labels at the text size and inside the figure, at 390 px as at 1280 px', async ({ page }) => {
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto('/versions/');
    const labels = await page.locator('figure.chart').first().evaluate((figure) => {
      const box = figure.getBoundingClientRect();
      return Array.from(figure.querySelectorAll('.tick, .version, text')).map((label) => {
        const r = label.getBoundingClientRect();
        return { text: label.textContent, height: Math.round(r.height), inside: r.left >= box.left && r.right <= box.right && r.top >= box.top && r.bottom <= box.bottom };
      });
    });
    expect(labels.map((l) => l.text)).toEqual(expect.arrayContaining(['0', '3.9', '3.15']));
    // .875rem with a line height of 1: the type scale's small text, neither shrunk nor blown up with the plot.
    for (const label of labels) expect(label, `${label.text} at ${width} px`).toEqual({ text: label.text, height: 14, inside: true });
  }
});

test('an API page sets its variants side by side', async ({ page }) => {
  await page.goto('/api/PyDict_GetItem/');
  const table = page.locator('#variants + .wide table');
  await expect(table.locator('tbody tr')).toHaveCount(5);
  const ref = table.locator('tr', { has: page.locator('a', { hasText: /^PyDict_GetItemRef$/ }) });
  await expect(ref).toContainText('since 3.13');
  await expect(table.locator('tr', { has: page.locator('strong', { hasText: /^PyDict_GetItem$/ }) })).toContainText('borrowed reference');
});

test('search results carry badges for steals, out-parameters, deprecation and the Limited API', async ({ page }) => {
  await page.goto('/search/?q=PyDict_GetItemRef');
  const first = page.locator('#search-results li').first();
  await expect(first.locator('a')).toHaveText('PyDict_GetItemRef');
  await expect(first).toContainText('out-parameter');
  await expect(first).toContainText('Limited API 3.13');
  await expect(first).not.toContainText('deprecated');
  await page.goto('/search/?q=PyErr_Fetch');
  await expect(page.locator('#search-results li').first()).toContainText('deprecated 3.12');
  // Pagefind's results (a word query, no name matches) carry the same badges.
  await page.goto('/search/?q=refcount%20steals');
  await expect(page.locator('#search-results')).not.toHaveAttribute('aria-busy', 'true');
  await expect(page.locator('#search-results li .b', { hasText: /^Limited API / }).first()).toBeVisible();
});

test('an API page says what the call requires and what else it does, for the chosen version, with the docs link', async ({ page }) => {
  await page.goto('/api/PyList_SetItem/');
  const effects = page.locator('.variant:visible .semantics');
  await expect(effects).toContainText('What else it does:');
  await expect(effects).toContainText(/releases the reference to the item it overwrites/i);
  await expect(effects.locator('a', { hasText: 'the docs' })).toHaveAttribute('href', /^https:\/\/docs\.python\.org\/3\.15\/c-api\/list\.html#c\.PyList_SetItem$/);
  // The macro form leaks the old item and is for new lists only.
  await page.goto('/api/PyList_SET_ITEM/');
  const macro = page.locator('.variant:visible .semantics');
  await expect(macro).toContainText('Before you call it:');
  await expect(macro).toContainText('Only for filling in a new object that no other code holds yet.');
  await expect(macro).toContainText(/a reference already stored there leaks/);
  // PyTuple_SetItem: the 3.15 docs restrict it to brand new tuples; 3.9's do not.
  await page.goto('/api/PyTuple_SetItem/');
  await expect(page.locator('.variant:visible .semantics')).toContainText('Only for filling in a new object that no other code holds yet.');
  await page.getByLabel('3.9', { exact: true }).check();
  await expect(page.locator('.variant:visible .semantics')).not.toContainText('Only for filling in');
  await expect(page.locator('.variant:visible .semantics')).toContainText(/releases the reference to the item it overwrites/i);
  await expect(page.locator('.variant:visible .semantics a', { hasText: 'the docs' })).toHaveAttribute('href', /docs\.python\.org\/3\.9\//);
});

test('an API page whose result is memory says what frees it, and its snippet frees it', async ({ page }) => {
  await page.goto('/api/PyUnicode_AsWideCharString/');
  const variant = page.locator('.variant:visible');
  await expect(variant).toContainText(/Who frees it: memory, not an object: yours to free with PyMem_Free\(\) when done/i);
  await expect(variant.locator('pre code').filter({ hasText: 'call_PyUnicode_AsWideCharString' })).toContainText('PyMem_Free(r);');
  // A result the call only lends is not freed (near miss).
  await page.goto('/api/PyUnicode_AsUTF8/');
  await expect(page.locator('.variant:visible')).not.toContainText('Who frees it');
});

test("a variadic call's page shows a sample call, said to be one of many (a type too); a call without a snippet says why", async ({ page }) => {
  await page.goto('/api/Py_BuildValue/');
  const variant = page.locator('.variant:visible');
  await expect(variant).toContainText('Its variable arguments are one example of many.');
  await expect(variant.locator('pre code').filter({ hasText: 'call_Py_BuildValue' })).toContainText('Py_BuildValue("(Oi)", obj, n);');
  await page.goto('/api/PyObject_New/');
  await expect(page.locator('.variant:visible')).toContainText('The type it is given is an example.');
  await page.goto('/api/Py_DECREF/');
  await expect(page.locator('.variant:visible')).toContainText('No snippet: a reference-count primitive');
  // A call with a snippet does not call its arguments an example (near miss), and a type has no "How to call it".
  await page.goto('/api/PyList_SetItem/');
  await expect(page.locator('.variant:visible')).not.toContainText('one example of many');
  await page.goto('/api/PyTypeObject/');
  await expect(page.locator('.variant:visible h2', { hasText: 'How to call it' })).toHaveCount(0);
});
