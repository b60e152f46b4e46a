import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, hasChromium, openAs, screenshot, seriousAxeViolations, type WebServer } from './support';

const PAGE = '/app/groups/strategic/action-items';

/** A day `days` from the server's today (its test clock), as the API writes due dates. */
function day(server: WebServer, days: number): string {
  const date = server.t.runtime.clock();
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

const board = (page: Page) => page.getByRole('region', { name: 'Action items' });
const dashboard = (page: Page) => page.getByRole('region', { name: 'Dashboard' });
const item = (page: Page, title: string) =>
  board(page)
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { name: title, exact: true }) });
const button = (scope: Locator | Page, name: string) => scope.getByRole('button', { name, exact: true });
/** The dashboard's count of a status, as its description list shows it. */
const count = (page: Page, status: string) =>
  dashboard(page)
    .locator('.count')
    .filter({ has: page.getByRole('term').filter({ hasText: new RegExp(`^${status}$`) }) })
    .getByRole('definition');

describe.skipIf(!hasChromium)('the action items page', () => {
  const suite = browserSuite({ demo: true });
  const token = (entityId: string) => suite.people.get(entityId)?.token ?? '';

  it("lets a chair open, progress, complete, reopen, reschedule and cancel an item, and another delegate's page follows live", async () => {
    const chair = await openAs(suite.browser, suite.server, token('interpol'), PAGE);
    const delegate = await openAs(suite.browser, suite.server, token('ameripol'), PAGE);
    const page = chair.page;
    await board(page).getByRole('listitem').first().waitFor();
    await board(delegate.page).getByRole('listitem').first().waitFor();
    const openBefore = Number(await count(delegate.page, 'Open').textContent());
    const ownerBar = dashboard(delegate.page).getByRole('img', { name: /^AMERIPOL/ });
    const ownerOpen = Number(/: (\d+) open/.exec((await ownerBar.getAttribute('aria-label')) ?? '')?.[1]);
    const title = 'Draft the terms of reference of the liaison network';

    await button(board(page), 'Open action item').click();
    await expect.poll(() => page.evaluate("document.activeElement?.getAttribute('name')")).toBe('title');
    await page.getByLabel('Title').fill(title);
    await page
      .getByLabel('Owner', { exact: true })
      .selectOption({ label: 'AMERIPOL (Police Community of the Americas)' });
    await page.getByLabel('Due date').fill(day(suite.server, 30));
    await button(board(page), 'Open action item').click();
    const mine = item(page, title);
    await mine.getByText('Owner: AMERIPOL (Police Community of the Americas)').waitFor();
    const theirs = item(delegate.page, title);
    await theirs.getByText('open', { exact: true }).waitFor();
    await count(delegate.page, 'Open')
      .filter({ hasText: String(openBefore + 1) })
      .waitFor();
    await dashboard(delegate.page)
      .getByRole('img', { name: new RegExp(`^AMERIPOL.*: ${ownerOpen + 1} open`) })
      .waitFor();

    await button(mine, 'Report progress').click();
    await mine.getByLabel('Percent').fill('40');
    await mine.getByLabel('Note').fill('Two of five sections drafted.');
    await button(mine, 'Report progress').click();
    await mine.getByText('40% done').waitFor();
    await theirs.getByText('40% done').waitFor();
    await theirs.getByText(/progress 40%: Two of five sections drafted\./).waitFor();
    // The note and the person's name, written by suite.people, are isolated from the sentence around them.
    await expect.poll(() => theirs.locator('.latest bdi').allTextContents()).toContain('Two of five sections drafted.');

    await button(mine, 'Change due date').click();
    await mine.getByLabel('Due date').fill(day(suite.server, 3));
    await mine.getByLabel('Reason').fill('The plenary meets earlier.');
    await button(mine, 'Change due date').click();
    await theirs.getByText(/\(due soon\)/).waitFor();
    await theirs.getByText(/The plenary meets earlier\./).waitFor();

    await button(mine, 'Complete').click();
    await button(mine, 'Complete').click();
    await theirs.getByText('done', { exact: true }).waitFor();
    await button(mine, 'Reopen').click();
    await mine.getByLabel('Reason').fill('The annex is missing.');
    await button(mine, 'Reopen').click();
    await theirs.getByText(/reopened: The annex is missing\./).waitFor();
    await theirs.getByText('open', { exact: true }).waitFor();

    await button(mine, 'Cancel item').click();
    await mine.getByLabel('Reason').fill('Merged into the liaison handbook.');
    await button(mine, 'Cancel item').click();
    await mine.getByText('cancelled', { exact: true }).waitFor();
    await theirs.getByText(/cancelled: Merged into the liaison handbook\./).waitFor();
    await count(delegate.page, 'Open')
      .filter({ hasText: String(openBefore) })
      .waitFor();
    expect(delegate.page.url()).toBe(`${suite.server.url}${PAGE}`);
    await chair.context.close();
    await delegate.context.close();
  });

  it('shows validation errors at their fields and keeps what was typed', async () => {
    const { context, page } = await openAs(suite.browser, suite.server, token('europol'), PAGE);
    await button(board(page), 'Open action item').click();
    await page.getByLabel('Owner', { exact: true }).selectOption({ label: 'INTERPOL' });
    await page.getByLabel('Due date').fill(day(suite.server, 10));
    await button(board(page), 'Open action item').click();
    await page.getByRole('alert').filter({ hasText: 'Some input is not valid' }).waitFor();
    const title = page.getByLabel('Title');
    await expect.poll(() => title.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await title.getAttribute('aria-describedby')) ?? '';
    await expect.poll(() => page.locator(`[id="${describedBy.split(' ').at(-1) ?? ''}"]`).textContent()).toMatch(/.+/);
    await expect.poll(() => page.getByLabel('Due date').inputValue()).toBe(day(suite.server, 10));
    await expect.poll(() => page.getByLabel('Owner', { exact: true }).inputValue()).toBe('interpol');
    expect(await seriousAxeViolations(page)).toEqual([]);

    const target = item(page, 'Propose dates for the next plenary meeting');
    await button(target, 'Change due date').click();
    const due = await target.getByLabel('Due date').inputValue();
    await target.getByLabel('Reason').fill('Keep the reason I typed.');
    await button(target, 'Change due date').click();
    await target.getByText('is the current due date').waitFor();
    await expect.poll(() => target.getByLabel('Reason').inputValue()).toBe('Keep the reason I typed.');
    await expect.poll(() => target.getByLabel('Due date').inputValue()).toBe(due);
    await target.getByLabel('Reason').press('Escape');
    await expect.poll(() => page.evaluate('document.activeElement?.textContent')).toBe('Change due date');
    await context.close();
  });

  it('pages the board with the API cursor', async () => {
    const chair = token('afripol');
    for (let index = 0; index < 55; index += 1) {
      const body = {
        title: `Follow-up ${index + 1} of the contact points survey`,
        ownerEntityId: 'afripol',
        dueDate: day(suite.server, 20 + (index % 9)),
      };
      const opened = await suite.server.t.app.inject({
        method: 'POST',
        url: '/groups/operational/action-items',
        headers: suite.server.t.auth(chair),
        payload: body,
      });
      expect(opened.statusCode).toBe(201);
    }
    const dashboardRead = await suite.server.t.app.inject({
      method: 'GET',
      url: '/groups/operational/dashboard',
      headers: suite.server.t.auth(chair),
    });
    const { counts } = dashboardRead.json<{ counts: Record<string, number> }>();
    const total = Object.values(counts).reduce((sum, value) => sum + value, 0);
    const { context, page } = await openAs(suite.browser, suite.server, chair, '/app/groups/operational/action-items');
    const more = button(board(page), 'Show more');
    await more.waitFor();
    await expect.poll(() => board(page).locator('ul.items > li').count()).toBe(50);
    await more.click();
    await more.waitFor({ state: 'detached' });
    await expect.poll(() => board(page).locator('ul.items > li').count()).toBe(total);
    const titles = await board(page).locator('ul.items > li h3').allTextContents();
    expect(new Set(titles).size).toBe(titles.length);
    await context.close();
  });

  it('drops a next page that arrives after the filter changed', async () => {
    const chair = token('afripol');
    const { context, page } = await openAs(suite.browser, suite.server, chair, '/app/groups/operational/action-items');
    const more = button(board(page), 'Show more');
    await more.waitFor();
    // The unfiltered list's next page is held until the list has been filtered.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/groups\/operational\/action-items\?.*cursor=/, async (route) => {
      await held;
      await route.continue();
    });
    await more.click();
    await board(page).getByLabel('Status').selectOption('open');
    await item(page, 'Update the list of 24/7 contact points').waitFor({ state: 'detached' });
    await expect.poll(() => board(page).locator('ul.items > li').count()).toBe(50);
    const answered = page.waitForResponse(/cursor=/);
    release();
    await answered;
    await expect.poll(() => more.isEnabled()).toBe(true);
    expect(await board(page).locator('ul.items > li').count()).toBe(50);
    for (const status of await board(page).locator('ul.items .status').allTextContents()) expect(status).toBe('open');
    await context.close();
  });

  it('filters the board, and downloads the CSV the API serves for the same filters', async () => {
    const { context, page } = await openAs(suite.browser, suite.server, token('interpol'), PAGE);
    const [download] = await Promise.all([page.waitForEvent('download'), button(board(page), 'Download CSV').click()]);
    const file = await download.path();
    const served = await suite.server.t.app.inject({
      method: 'GET',
      url: '/groups/strategic/action-items.csv',
      headers: { authorization: `Bearer ${token('interpol')}` },
    });
    expect(served.statusCode).toBe(200);
    expect(download.suggestedFilename()).toBe('strategic-action-items.csv');
    expect(readFileSync(file, 'utf8')).toBe(served.body);

    await board(page).getByLabel('Status').selectOption('overdue');
    await board(page).getByText('Draft the methodology annex').waitFor();
    await board(page).getByText('Propose dates for the next plenary meeting').waitFor({ state: 'detached' });
    const dueTexts = await board(page).locator('ul.items .due').allTextContents();
    const listed = await suite.server.t.app.inject({
      method: 'GET',
      url: '/groups/strategic/action-items?status=overdue',
      headers: suite.server.t.auth(token('interpol')),
    });
    expect(dueTexts).toHaveLength(listed.json<{ items: unknown[] }>().items.length);
    for (const text of dueTexts) expect(text).toMatch(/\(overdue\)$/);
    const [filtered] = await Promise.all([page.waitForEvent('download'), button(board(page), 'Download CSV').click()]);
    const overdue = await suite.server.t.app.inject({
      method: 'GET',
      url: '/groups/strategic/action-items.csv?status=overdue',
      headers: suite.server.t.auth(token('interpol')),
    });
    expect(readFileSync(await filtered.path(), 'utf8')).toBe(overdue.body);
    expect(overdue.body).not.toBe(served.body);
    await context.close();
  });

  it('shows a delegate who is not chair no chair controls: only progress and completion of its own items', async () => {
    const { context, page } = await openAs(suite.browser, suite.server, token('ameripol'), PAGE);
    await board(page).getByRole('listitem').first().waitFor();
    await dashboard(page).getByRole('img').first().waitFor();
    for (const name of ['Open action item', 'Cancel item', 'Reopen', 'Change due date'])
      await expect.poll(() => button(page, name).count()).toBe(0);
    const others = item(page, 'Propose dates for the next plenary meeting');
    await expect.poll(() => button(others, 'Report progress').count()).toBe(0);
    await expect.poll(() => button(others, 'Complete').count()).toBe(0);
    const own = item(page, 'Publish the field-by-field mapping for AMERIPOL alerts');
    await expect.poll(() => button(own, 'Report progress').count()).toBe(1);
    await expect.poll(() => button(own, 'Complete').count()).toBe(1);
    await context.close();
  });

  it('shows an observer the dashboard and the board without any control', async () => {
    const { context, page } = await openAs(suite.browser, suite.server, token('unodc'), PAGE);
    await board(page).getByRole('listitem').first().waitFor();
    await dashboard(page).getByRole('img').first().waitFor();
    const names = ['Open action item', 'Report progress', 'Complete', 'Cancel item', 'Reopen', 'Change due date'];
    for (const name of names) await expect.poll(() => button(page, name).count()).toBe(0);
    await expect.poll(() => button(page, 'Download CSV').count()).toBe(1);
    await context.close();
  });

  it('passes axe with the dashboard and the board, and with a form open', async () => {
    const { context, page } = await openAs(suite.browser, suite.server, token('interpol'), PAGE);
    await board(page).getByRole('listitem').first().waitFor();
    await dashboard(page).getByRole('img').first().waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'action-items');
    await button(item(page, 'Propose dates for the next plenary meeting'), 'Report progress').click();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  });

  it('sends the version the form was opened at: a change made meanwhile is refused and shown, the text kept', async () => {
    const title = 'Propose dates for the next plenary meeting';
    const listed = await suite.server.t.app.inject({
      method: 'GET',
      url: '/groups/strategic/action-items',
      headers: suite.server.t.auth(token('interpol')),
    });
    const id =
      listed
        .json<{ items: Array<{ id: string; title: string }> }>()
        .items.find((candidate) => candidate.title === title)?.id ?? '';
    const { context, page } = await openAs(suite.browser, suite.server, token('interpol'), PAGE);
    const target = item(page, title);
    await button(target, 'Report progress').click();
    await target.getByLabel('Percent').fill('50');
    await target.getByLabel('Note').fill('Half of the dates proposed.');

    const meanwhile = await suite.server.t.app.inject({
      method: 'POST',
      url: `/action-items/${id}/progress`,
      headers: suite.server.t.auth(token('europol')),
      payload: { percent: 30, note: 'Three dates proposed.' },
    });
    expect(meanwhile.statusCode, meanwhile.body).toBeLessThan(300);
    await target.getByText('30% done').waitFor();

    await button(target, 'Report progress').click();
    await target.getByRole('alert').filter({ hasText: 'This changed meanwhile' }).waitFor();
    await expect.poll(() => target.getByLabel('Note').inputValue()).toBe('Half of the dates proposed.');
    await target.getByText('30% done').waitFor();
    await context.close();
  });

  // Last: it takes an entity out of the group for the rest of the file.
  it('clears the dashboard and the board when the entity leaves the group, and says why', async () => {
    const { context, page } = await openAs(suite.browser, suite.server, token('aimc'), PAGE);
    await item(page, 'Propose dates for the next plenary meeting').waitFor();
    const removed = await suite.server.t.app.inject({
      method: 'DELETE',
      url: '/groups/strategic/participants/aimc',
      headers: suite.server.t.auth(token('secretariat')),
    });
    expect(removed.statusCode, removed.body).toBe(200);
    await page.getByRole('alert').filter({ hasText: 'This group is no longer visible to you' }).waitFor();
    await expect.poll(() => board(page).count()).toBe(0);
    await expect.poll(() => dashboard(page).count()).toBe(0);
    await context.close();
  });
});
