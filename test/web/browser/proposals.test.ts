import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ENTITIES } from '../../../src/dialogue/reference';
import { browserSuite, hasChromium, openAs, screenshot, seriousAxeViolations } from './support';

const GROUP = 'strategic';
const PAGE = `/app/groups/${GROUP}`;

describe.skipIf(!hasChromium)('the proposals page of a group', () => {
  const suite = browserSuite({ demo: true });
  const tokenOf = (who: string) => suite.people.get(who)?.token ?? '';
  const entityName = (id: string) => ENTITIES.find((entity) => entity.id === id)?.name ?? id;

  /** Writes through the API as a person of the demo, as another client would. */
  async function post(who: string, url: string, payload?: object) {
    const response = await suite.server.t.app.inject({
      method: 'POST',
      url,
      headers: suite.server.t.auth(tokenOf(who)),
      ...(payload ? { payload } : {}),
    });
    expect(response.statusCode, response.body).toBeLessThan(300);
    return response.json<{ id: string }>();
  }

  const region = (page: Page) => page.getByRole('region', { name: 'Proposals' });
  const row = (page: Page, title: string) =>
    region(page)
      .getByRole('row')
      .filter({ has: page.getByRole('link', { name: title, exact: true }) });

  /** Opens the page and waits until its group's topic answers (presence lists the page's own entity). */
  async function openPage(who: string, path = PAGE) {
    const opened = await openAs(suite.browser, suite.server, tokenOf(who), path);
    const self = suite.people.get(who)?.entityId;
    const presence = opened.page.getByRole('region', { name: 'Presence' });
    if (self) await presence.getByText(entityName(self), { exact: true }).waitFor();
    else await presence.getByRole('list').or(presence.getByText('No delegate has this group open.')).waitFor();
    return opened;
  }

  it("shows a submission by one member delegate on another's page without a reload, and an endorsement's count", async () => {
    const one = await openPage('ameripol');
    const two = await openPage('aimc');
    await one.page.getByRole('region', { name: 'Presence' }).getByText(entityName('aimc'), { exact: true }).waitFor();
    await two.page
      .getByRole('region', { name: 'Presence' })
      .getByText(entityName('ameripol'), { exact: true })
      .waitFor();
    const before = await two.page
      .getByRole('list', { name: 'Proposals by status' })
      .getByText(/^open: \d+$/)
      .textContent();

    await one.page.getByRole('button', { name: 'Submit proposal' }).click();
    await one.page.getByLabel('Title').fill('A shared calendar of regional training courses');
    await one.page
      .getByLabel('Body')
      .fill('We propose one calendar of the training courses every regional body offers.');
    await one.page.getByRole('group', { name: 'Pillars' }).getByLabel('Platform for plans').check();
    await one.page.getByRole('button', { name: 'Submit proposal' }).click();
    await one.page
      .getByRole('status')
      .getByRole('link', { name: 'A shared calendar of regional training courses' })
      .waitFor();

    const seen = row(two.page, 'A shared calendar of regional training courses');
    await seen.waitFor();
    await expect.poll(() => seen.textContent()).toContain(entityName('ameripol'));
    await expect.poll(() => seen.textContent()).toContain('0 endorsements');
    const opened = Number(/\d+$/.exec(before ?? '')?.[0]);
    await two.page
      .getByRole('list', { name: 'Proposals by status' })
      .getByText(`open: ${opened + 1}`, { exact: true })
      .waitFor();

    const id = (await seen.getByRole('link').getAttribute('href'))?.split('/').pop() ?? '';
    await post('aimc', `/proposals/${id}/endorsements`);
    await row(one.page, 'A shared calendar of regional training courses')
      .getByText('1 endorsement', { exact: true })
      .waitFor();
    await row(two.page, 'A shared calendar of regional training courses')
      .getByText('1 endorsement', { exact: true })
      .waitFor();
    expect(await two.page.evaluate('location.pathname')).toBe(PAGE);
    await one.context.close();
    await two.context.close();
  });

  it('never shows a members-only proposal to an observer, not even during live updates', async () => {
    const observer = await openPage('unodc');
    // Every text the observer's page ever shows: added nodes are kept even when removed within the same
    // task, and a text node's earlier value comes with its change, so nothing shown for an instant escapes.
    await observer.page.evaluate(`(() => {
      window.seenTexts = [document.body.textContent];
      new MutationObserver((records) => {
        for (const record of records) {
          if (record.type === 'characterData') window.seenTexts.push(record.oldValue ?? '', record.target.textContent ?? '');
          for (const node of record.addedNodes) window.seenTexts.push(node.textContent ?? '');
        }
      }).observe(document.body, { subtree: true, childList: true, characterData: true, characterDataOldValue: true });
    })()`);
    await expect.poll(() => observer.page.getByRole('button', { name: 'Submit proposal' }).count()).toBe(0);

    await post('ameripol', `/groups/${GROUP}/proposals`, {
      title: 'Members-only: a confidential annex of indicators',
      body: 'Operational indicators for members alone.',
      visibility: 'members',
    });
    const dialogue = await post('ameripol', `/groups/${GROUP}/proposals`, {
      title: 'An open register of liaison officers',
      body: 'A register every participant may read.',
    });
    await post('aimc', `/proposals/${dialogue.id}/endorsements`);
    await row(observer.page, 'An open register of liaison officers')
      .getByText('1 endorsement', { exact: true })
      .waitFor();

    const seen = ((await observer.page.evaluate('window.seenTexts')) as string[]).join('\n');
    expect(seen).toContain('An open register of liaison officers');
    const all = await suite.server.t.app.inject({
      url: `/groups/${GROUP}/proposals?limit=200`,
      headers: suite.server.t.auth(tokenOf('ameripol')),
    });
    const membersOnly = all
      .json<{ items: Array<{ title: string; visibility: string }> }>()
      .items.filter((item) => item.visibility === 'members')
      .map((item) => item.title);
    expect(membersOnly).toContain('Members-only: a confidential annex of indicators');
    expect(membersOnly.filter((title) => seen.includes(title))).toEqual([]);
    await expect.poll(() => region(observer.page).getByText('members only').count()).toBe(0);
    await observer.context.close();
  });

  it('shows overseers every proposal but no submission form', async () => {
    for (const who of ['secretariat', 'auditor']) {
      const { page, context } = await openPage(who);
      await row(page, 'Members-only: a confidential annex of indicators').waitFor();
      await expect.poll(() => page.getByRole('button', { name: 'Submit proposal' }).count()).toBe(0);
      await context.close();
    }
  });

  it('lists the similar proposals while the title and body are typed, as the API answers them', async () => {
    const { page, context } = await openPage('ameripol');
    await page.getByRole('button', { name: 'Submit proposal' }).click();
    const title = 'Annual cybercrime threat assessment';
    const body = 'A joint annual assessment of cybercrime threats across the regions.';
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Body').pressSequentially(body.slice(0, 12));
    await page.getByLabel('Body').fill(body);
    const answer = await suite.server.t.app.inject({
      url: `/groups/${GROUP}/proposals/similar?${new URLSearchParams({ title, body })}`,
      headers: suite.server.t.auth(tokenOf('ameripol')),
    });
    const expected = answer.json<{ similar: Array<{ id: string; title: string }> }>().similar;
    expect(expected.map((item) => item.title)).toContain('Annual joint cybercrime threat assessment');
    const shown = page.getByRole('region', { name: 'Similar proposals to what you are writing' }).getByRole('link');
    await expect.poll(() => shown.allTextContents()).toEqual(expected.map((item) => item.title));
    expect(await shown.first().getAttribute('href')).toBe(`/app/proposals/${expected[0]?.id ?? ''}`);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  });

  it('filters by status and pillar and searches, keeping the filters in the address across a reload', async () => {
    const { page, context } = await openPage('ameripol');
    await region(page).getByLabel('Status', { exact: true }).selectOption('adopted');
    await page.waitForURL(/status=adopted/);
    await expect
      .poll(
        async () =>
          await region(page)
            .getByRole('cell')
            .filter({ hasText: /^(open|rejected|withdrawn)$/ })
            .count(),
      )
      .toBe(0);
    const statuses = await region(page).locator('tbody .status').allTextContents();
    const adopted = await suite.server.t.app.inject({
      method: 'GET',
      url: `/groups/${GROUP}/proposals?status=adopted`,
      headers: suite.server.t.auth(tokenOf('ameripol')),
    });
    expect(statuses).toEqual(adopted.json<{ items: unknown[] }>().items.map(() => 'adopted'));

    await region(page).getByLabel('Pillar').selectOption('single-node');
    await page.waitForURL(/pillar=single-node/);
    await page.reload();
    await expect.poll(() => region(page).getByLabel('Status', { exact: true }).inputValue()).toBe('adopted');
    await expect.poll(() => region(page).getByLabel('Pillar').inputValue()).toBe('single-node');
    for (const pillars of await region(page).locator('tbody tr td:nth-child(3)').allTextContents())
      expect(pillars).toContain('Single node');

    await region(page).getByLabel('Status', { exact: true }).selectOption('');
    await region(page).getByLabel('Pillar').selectOption('');
    await region(page).getByLabel('Search').fill('liaison officers');
    await page.waitForURL(/q=liaison/);
    await row(page, 'An open register of liaison officers').waitFor();
    await region(page).getByRole('columnheader', { name: 'Relevance' }).waitFor();
    await context.close();
  });

  it('lets a proposal leave a filtered list when it stops matching, and moves it between the counts', async () => {
    const created = await post('ameripol', `/groups/${GROUP}/proposals`, {
      title: 'A directory of cybercrime focal points',
      body: 'One directory.',
      pillars: ['single-node'],
    });
    const { page, context } = await openPage('aimc', `${PAGE}?status=open&pillar=single-node`);
    const counts = page.getByRole('list', { name: 'Proposals by status' });
    const adopted = Number(/\d+$/.exec((await counts.getByText(/^adopted: \d+$/).textContent()) ?? '')?.[0]);
    await row(page, 'A directory of cybercrime focal points').waitFor();
    await post('interpol', `/proposals/${created.id}/decision`, { outcome: 'adopted', note: 'Agreed at the plenary.' });
    await row(page, 'A directory of cybercrime focal points').waitFor({ state: 'detached' });
    await counts.getByText(`adopted: ${adopted + 1}`, { exact: true }).waitFor();
    await context.close();
  });

  it('keeps the text of a refused submission and shows the error next to its field', async () => {
    const { page, context } = await openPage('ameripol');
    await page.getByRole('button', { name: 'Submit proposal' }).click();
    await page.getByLabel('Body').fill('A body without a title.');
    await page.getByRole('button', { name: 'Submit proposal' }).click();
    const title = page.getByLabel('Title');
    await expect.poll(() => title.getAttribute('aria-invalid')).toBe('true');
    const described = (await title.getAttribute('aria-describedby')) ?? '';
    await expect
      .poll(() => page.locator(`[id="${described.split(' ').pop() ?? ''}"]`).textContent())
      .toContain('must not be blank');
    await expect.poll(() => page.getByLabel('Body').inputValue()).toBe('A body without a title.');
    await page.getByRole('alert').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'proposals-form');
    await context.close();
  });

  it('passes axe on the list and shows the other delegates present', async () => {
    const one = await openPage('ameripol');
    const two = await openPage('unodc');
    await one.page.getByRole('region', { name: 'Presence' }).getByText(entityName('unodc'), { exact: true }).waitFor();
    await two.context.close();
    await one.page
      .getByRole('region', { name: 'Presence' })
      .getByText(entityName('unodc'), { exact: true })
      .waitFor({ state: 'detached' });
    await region(one.page).getByRole('row').nth(5).waitFor();
    expect(await seriousAxeViolations(one.page)).toEqual([]);
    await screenshot(one.page, 'proposals');
    await one.context.close();
  });

  it("pages with the API's cursor", async () => {
    for (let index = 0; index < 60; index += 1) {
      await post('interpol', `/groups/${GROUP}/proposals`, {
        title: `Paging proposal ${index}`,
        body: `Text ${index}.`,
      });
    }
    const { page, context } = await openPage('ameripol');
    const rows = region(page).locator('tbody tr');
    await rows.first().waitFor();
    const first = await rows.count();
    expect(first).toBe(50);
    await region(page).getByRole('button', { name: 'Show more' }).click();
    await expect.poll(() => rows.count()).toBeGreaterThan(50);
    await context.close();
  });

  // Last: it takes an entity out of the group for the rest of the file.
  it('clears the rows when the entity leaves the group, members-only ones included, and says why', async () => {
    await post('ameripol', `/groups/${GROUP}/proposals`, {
      title: 'A members-only roster of liaison officers',
      body: 'Keep one roster among members.',
      visibility: 'members',
    });
    const { page, context } = await openPage('aimc');
    await row(page, 'A members-only roster of liaison officers').waitFor();
    const removed = await suite.server.t.app.inject({
      method: 'DELETE',
      url: `/groups/${GROUP}/participants/aimc`,
      headers: suite.server.t.auth(tokenOf('secretariat')),
    });
    expect(removed.statusCode, removed.body).toBe(200);
    await page.getByRole('alert').filter({ hasText: 'Live updates of this group stopped' }).waitFor();
    await expect.poll(() => page.getByRole('row').count()).toBe(0);
    await expect.poll(() => page.getByText('A members-only roster of liaison officers').count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  });
});
