import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, hasChromium, openAs, screenshot, seriousAxeViolations } from './support';

describe.skipIf(!hasChromium)('the proposal page', () => {
  const suite = browserSuite({ demo: true });

  const token = (entityId: string) => suite.people.get(entityId)?.token ?? '';

  /** A call to the API as a client would make it, through the same app the browser uses. */
  async function request(
    entityId: string,
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    payload?: object,
    headers: Record<string, string> = {},
  ) {
    const response = await suite.server.t.app.inject({
      method,
      url,
      payload,
      headers: { ...suite.server.t.auth(token(entityId)), ...headers },
    });
    return { status: response.statusCode, json: response.json<Record<string, unknown>>() };
  }

  async function submit(
    author: string,
    fields: { title: string; body: string; visibility?: 'members' },
  ): Promise<string> {
    const { status, json } = await request(author, 'POST', '/groups/strategic/proposals', {
      pillars: ['single-node'],
      ...fields,
    });
    expect(status).toBe(201);
    return String(json.id);
  }

  const open = (entityId: string, id: string) =>
    openAs(suite.browser, suite.server, token(entityId), `/app/proposals/${id}`);
  const heading = (page: Page, region: string) =>
    page.getByRole('region', { name: region }).getByRole('heading', { level: 2 });

  it('lets a member endorse, withdraw, object with a reason and withdraw, and another member sees the counts change live', async () => {
    const id = await submit('frontex', {
      title: 'Shared training calendar',
      body: 'Publish one training calendar for all members.',
    });
    const member = await open('ameripol', id);
    const other = await open('gccpol', id);
    const page = member.page;
    await page.getByRole('heading', { level: 1, name: 'Shared training calendar' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByLabel('Note').fill('We will contribute our courses.');
    await page.getByRole('button', { name: 'Endorse' }).click();
    await heading(other.page, 'Endorsements').filter({ hasText: '1 endorsement' }).waitFor();
    await other.page
      .getByRole('region', { name: 'Endorsements' })
      .getByText('We will contribute our courses.')
      .waitFor();
    await expect
      .poll(() =>
        other.page
          .getByRole('region', { name: 'Endorsements' })
          .getByText('AMERIPOL (Police Community of the Americas)')
          .count(),
      )
      .toBe(1);

    await page.getByRole('button', { name: 'Withdraw endorsement' }).click();
    await heading(other.page, 'Endorsements').filter({ hasText: '0 endorsements' }).waitFor();

    await page.getByLabel('Reason').fill('The calendar duplicates the existing regional ones.');
    await page.getByRole('button', { name: 'Object' }).click();
    await heading(other.page, 'Objections').filter({ hasText: '1 objection' }).waitFor();
    await other.page
      .getByRole('region', { name: 'Objections' })
      .getByText('The calendar duplicates the existing regional ones.')
      .waitFor();

    await page.getByRole('button', { name: 'Withdraw objection' }).click();
    await heading(other.page, 'Objections').filter({ hasText: '0 objections' }).waitFor();
    await page.getByRole('button', { name: 'Endorse' }).waitFor();
    await member.context.close();
    await other.context.close();
  });

  it('threads comments and replies, and another page sees both live', async () => {
    const id = await submit('frontex', {
      title: 'Liaison officers exchange',
      body: 'Exchange liaison officers between regional bodies.',
    });
    const first = await open('ameripol', id);
    const second = await open('gccpol', id);
    const comments = (page: Page) => page.getByRole('region', { name: 'Comments' });

    await comments(first.page).getByLabel('Comment').fill('Which bodies would take part first?');
    await comments(first.page).getByRole('button', { name: 'Comment', exact: true }).click();
    const thread = comments(second.page).locator('li', {
      has: second.page.locator('article', { hasText: 'Which bodies would take part first?' }),
    });
    await thread.waitFor();

    await thread.getByRole('button', { name: 'Reply' }).click();
    await comments(second.page).getByLabel('Your reply').fill('The four regional police organisations.');
    await comments(second.page).getByRole('button', { name: 'Post reply' }).click();

    // The reply stands in a list inside its parent's item, on both pages.
    for (const page of [first.page, second.page]) {
      const parent = comments(page).locator('li', {
        has: page.locator('article', { hasText: 'Which bodies would take part first?' }),
      });
      await parent.locator('ul li article', { hasText: 'The four regional police organisations.' }).waitFor();
      await heading(page, 'Comments').filter({ hasText: '2 comments' }).waitFor();
    }
    await expect.poll(() => comments(first.page).locator(':scope > ul > li').count()).toBe(1);
    await first.context.close();
    await second.context.close();
  });

  it('pages the comments and the history', async () => {
    const id = await submit('frontex', { title: 'Regional hubs', body: 'Open regional hubs for data exchange.' });
    for (let index = 1; index <= 55; index += 1) {
      expect((await request('ameripol', 'POST', `/proposals/${id}/comments`, { body: `Point ${index}` })).status).toBe(
        201,
      );
    }
    const { page, context } = await open('gccpol', id);
    const comments = page.getByRole('region', { name: 'Comments' });
    const history = page.getByRole('region', { name: 'History' });
    await comments.getByRole('button', { name: 'Show more comments' }).waitFor();
    await expect.poll(() => comments.locator('article').count()).toBe(50);
    await expect.poll(() => history.locator('ol > li').count()).toBe(50);
    await comments.getByRole('button', { name: 'Show more comments' }).click();
    await history.getByRole('button', { name: 'Show more history' }).click();
    await comments.locator('article', { hasText: 'Point 55' }).waitFor();
    await expect.poll(() => comments.locator('article').count()).toBe(55);
    await history.locator('ol > li').nth(55).waitFor();
    await expect.poll(() => comments.getByRole('button', { name: 'Show more comments' }).count()).toBe(0);
    await expect.poll(() => history.getByRole('button', { name: 'Show more history' }).count()).toBe(0);
    await context.close();
  });

  it('lets the author revise, grows the history live, and diffs any two revisions', async () => {
    const id = await submit('frontex', {
      title: 'Common alert format',
      body: 'Adopt a common alert format for urgent requests.',
    });
    const author = await open('frontex', id);
    const reader = await open('ameripol', id);
    const page = author.page;

    await page.getByRole('button', { name: 'Revise' }).click();
    await page.getByLabel('Title').fill('Common alert format, version two');
    await page.getByLabel('Body').fill('Adopt a common alert format for urgent and routine requests.');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Submit revision' }).click();
    await page.getByRole('heading', { level: 1, name: 'Common alert format, version two' }).waitFor();
    await page.getByRole('button', { name: 'Revise' }).click();
    await page.getByLabel('Body').fill('Adopt a shared alert format for routine requests.');
    await page.getByRole('button', { name: 'Submit revision' }).click();

    await reader.page.getByRole('heading', { level: 1, name: 'Common alert format, version two' }).waitFor();
    const history = reader.page.getByRole('region', { name: 'History' });
    await history.getByText('revised it (revision 3)').waitFor();

    const diff = reader.page.getByRole('region', { name: 'Compare revisions' });
    await diff.getByLabel('From revision').selectOption('1');
    await diff.getByLabel('To revision').selectOption('3');
    await expect
      .poll(() => diff.locator('ins').allTextContents())
      .toEqual(expect.arrayContaining([', version two', 'shared']));
    await expect.poll(() => diff.locator('del').allTextContents()).toEqual(expect.arrayContaining(['common']));
    await diff.getByLabel('From revision').selectOption('2');
    await expect.poll(() => diff.locator('del').allTextContents()).toEqual(expect.arrayContaining(['urgent and ']));
    expect(await seriousAxeViolations(reader.page)).toEqual([]);
    await author.context.close();
    await reader.context.close();
  });

  it('closes a stored revision even when reading the proposal back fails, and the live update brings it', async () => {
    const id = await submit('frontex', { title: 'Regional liaison desks', body: 'Open liaison desks in each region.' });
    const { page, context } = await open('frontex', id);
    await page.getByRole('heading', { level: 1, name: 'Regional liaison desks' }).waitFor();
    // The read-back after the write fails (the network drops it); the write itself goes through.
    await page.route(`**/proposals/${id}`, (route) =>
      route.request().method() === 'GET' ? route.abort() : route.continue(),
    );
    await page.getByRole('button', { name: 'Revise' }).click();
    await page.getByLabel('Title').fill('Regional liaison desks, staffed');
    await page.getByRole('button', { name: 'Submit revision' }).click();
    await page.getByRole('heading', { level: 1, name: 'Regional liaison desks, staffed' }).waitFor();
    await page.getByRole('button', { name: 'Revise' }).waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Submit revision' }).count()).toBe(0);
    await expect.poll(() => page.getByRole('alert').count()).toBe(0);
    await context.close();
  });

  it('on a stale revision says someone changed it, shows what changed, and submits the rebased text', async () => {
    const id = await submit('frontex', { title: 'Data retention rules', body: 'Keep shared records for five years.' });
    const { page, context } = await open('frontex', id);
    await page.getByRole('button', { name: 'Revise' }).click();
    await page.getByLabel('Body').fill('Keep shared records for five years, then review them.');

    // Meanwhile the same author entity revises through the API, with its own If-Match.
    const current = await request('frontex', 'GET', `/proposals/${id}`);
    const meanwhile = await request(
      'frontex',
      'POST',
      `/proposals/${id}/revisions`,
      { body: 'Keep shared records for three years.' },
      { 'if-match': `W/"${String(current.json.version)}"` },
    );
    expect(meanwhile.status).toBe(200);

    await page.getByRole('button', { name: 'Submit revision' }).click();
    const conflict = page.getByRole('group', { name: /^Someone changed this proposal meanwhile/ });
    await conflict.waitFor();
    await expect.poll(() => conflict.locator('ins').allTextContents()).toContain('three');
    await expect.poll(() => conflict.locator('del').allTextContents()).toContain('five');
    await expect
      .poll(() => page.getByLabel('Body').inputValue())
      .toBe('Keep shared records for five years, then review them.');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Rebase on the current version' }).click();
    await page.getByRole('button', { name: 'Submit revision' }).click();
    await page
      .locator('.proposal-body', { hasText: 'Keep shared records for five years, then review them.' })
      .waitFor();
    await page.getByRole('region', { name: 'History' }).getByText('revised it (revision 3)').waitFor();
    await context.close();
  });

  it('lets the author withdraw the proposal, and a reader sees it withdrawn live', async () => {
    const id = await submit('frontex', { title: 'Mobile forensic units', body: 'Fund mobile forensic units.' });
    const author = await open('frontex', id);
    const reader = await open('ameripol', id);
    await author.page.getByRole('button', { name: 'Withdraw proposal' }).click();
    await author.page.getByLabel('Reason').fill('Covered by the regional hubs proposal.');
    await author.page.getByRole('button', { name: 'Confirm withdrawal' }).click();
    for (const page of [author.page, reader.page]) {
      await page.locator('.facts').getByText('withdrawn', { exact: true }).waitFor();
      await page.getByRole('region', { name: 'History' }).getByText('withdrew the proposal').waitFor();
    }
    await expect.poll(() => author.page.getByRole('button', { name: 'Revise' }).count()).toBe(0);
    await expect.poll(() => reader.page.getByRole('button', { name: 'Endorse' }).count()).toBe(0);
    await author.context.close();
    await reader.context.close();
  });

  it('lets a chair adopt over an objection after confirming, listing the objecting entity, and others see the decision', async () => {
    const id = await submit('frontex', {
      title: 'Joint situation report',
      body: 'Publish a joint quarterly situation report.',
    });
    expect(
      (await request('gccpol', 'POST', `/proposals/${id}/objections`, { reason: 'Quarterly is too often.' })).status,
    ).toBe(201);
    const chair = await open('interpol', id);
    const member = await open('ameripol', id);
    const page = chair.page;

    // The chair's entity is a member too: the decision's Note is the one in the chair's region.
    const decide = page.getByRole('region', { name: 'Decision by the chair' });
    await decide.getByRole('button', { name: 'Decide' }).click();
    await decide.getByLabel('Outcome').selectOption('adopted');
    await decide.getByLabel('Note').fill('Adopted; the frequency is reviewed after a year.');
    await decide.getByRole('button', { name: 'Submit decision' }).click();
    const confirmation = decide.getByRole('group', { name: 'Adopt over open objections?' });
    await expect
      .poll(() => confirmation.getByRole('listitem').allTextContents())
      .toEqual(['Gulf Cooperation Council-POL']);
    expect(await seriousAxeViolations(page)).toEqual([]);

    // An objection raised after the confirmation is not overridden unseen: the decision is refused and kept.
    expect(
      (await request('eco', 'POST', `/proposals/${id}/objections`, { reason: 'The format is not agreed.' })).status,
    ).toBe(201);
    await confirmation.getByRole('button', { name: 'Adopt over objections' }).click();
    await decide.getByRole('alert').filter({ hasText: 'This changed meanwhile' }).waitFor();
    await expect
      .poll(() => decide.getByLabel('Note').inputValue())
      .toBe('Adopted; the frequency is reviewed after a year.');
    await decide.getByRole('button', { name: 'Submit decision' }).click();
    await expect
      .poll(() => confirmation.getByRole('listitem').allTextContents())
      .toEqual(['Gulf Cooperation Council-POL', 'Economic Cooperation Organization']);
    await confirmation.getByRole('button', { name: 'Adopt over objections' }).click();

    for (const seen of [page, member.page]) {
      const decision = seen.getByRole('region', { name: 'Decision' });
      await decision.getByRole('heading', { name: 'Adopted' }).waitFor();
      await decision
        .getByText('Adopted over the objections of: Economic Cooperation Organization and Gulf Cooperation Council-POL')
        .waitFor();
      await decision.getByText('Adopted; the frequency is reviewed after a year.').waitFor();
    }
    await expect.poll(() => page.getByRole('button', { name: 'Decide' }).count()).toBe(0);
    await expect.poll(() => member.page.getByRole('button', { name: 'Endorse' }).count()).toBe(0);
    await chair.context.close();
    await member.context.close();
  });

  it('shows an observer no action controls, and the not-found message for what it may not see or does not exist', async () => {
    const id = await submit('frontex', { title: 'Open data portal', body: 'Publish statistics on an open portal.' });
    const hidden = await submit('frontex', {
      title: 'Members-only budget',
      body: 'Share the budget among members.',
      visibility: 'members',
    });
    const { page, context } = await open('unodc', id);
    await page.getByRole('heading', { level: 1, name: 'Open data portal' }).waitFor();
    await page.getByRole('region', { name: 'Comments' }).waitFor();
    for (const name of [
      'Endorse',
      'Withdraw endorsement',
      'Object',
      'Withdraw objection',
      'Revise',
      'Withdraw proposal',
      'Decide',
    ]) {
      await expect.poll(() => page.getByRole('button', { name, exact: true }).count()).toBe(0);
    }
    expect(await seriousAxeViolations(page)).toEqual([]);

    for (const missing of [hidden, 'no-such-proposal']) {
      await page.goto(`${suite.server.url}/app/proposals/${missing}`);
      await page.getByRole('heading', { level: 1, name: 'There is nothing here' }).waitFor();
      await expect.poll(() => page.getByText('Members-only budget').count()).toBe(0);
    }
    await context.close();
  });

  it('shows a refused comment and a blank reason at their fields, keeping what was typed', async () => {
    const id = await submit('frontex', {
      title: 'Forensic laboratory network',
      body: 'Link the forensic laboratories of members.',
    });
    const { page, context } = await open('ameripol', id);
    const tooLong = 'a'.repeat(10_001);
    const comments = page.getByRole('region', { name: 'Comments' });
    await comments.getByLabel('Comment').fill(tooLong);
    await comments.getByRole('button', { name: 'Comment', exact: true }).click();
    await comments.getByRole('alert').filter({ hasText: 'Some input is not valid' }).waitFor();
    await expect.poll(() => comments.getByLabel('Comment').getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => comments.getByLabel('Comment').inputValue()).toBe(tooLong);

    await page.getByLabel('Reason').fill('   ');
    await page.getByRole('button', { name: 'Object' }).click();
    await page.getByText('must not be blank').waitFor();
    await expect.poll(() => page.getByLabel('Reason').getAttribute('aria-invalid')).toBe('true');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  });

  it("shows the service's refusal of a decision without a note at the Note field, not the browser's own check", async () => {
    const id = await submit('frontex', { title: 'Shared interpreter pool', body: 'Pool the interpreters of members.' });
    const { page, context } = await open('interpol', id);
    const decide = page.getByRole('region', { name: 'Decision by the chair' });
    await decide.getByRole('button', { name: 'Decide' }).click();
    await decide.getByLabel('Outcome').selectOption('rejected');
    await decide.getByRole('button', { name: 'Submit decision' }).click();
    await decide.getByRole('alert').filter({ hasText: 'Some input is not valid' }).waitFor();
    await expect.poll(() => decide.getByLabel('Note').getAttribute('aria-invalid')).toBe('true');
    await decide.getByText('must not be blank').waitFor();
    // Its pillar by the name the list uses, not the API's id.
    await expect.poll(() => page.locator('.facts dd').allTextContents()).toContain('Single node');
    await context.close();
  });

  it('says so when the groups cannot be read (a chair would otherwise lose Decide unseen)', async () => {
    const id = await submit('frontex', {
      title: 'Joint border patrol manual',
      body: 'Write one manual for joint patrols.',
    });
    const context = await suite.browser.newContext();
    const page = await context.newPage();
    await page.route(/\/groups$/, (route) => route.abort());
    await page.goto(`${suite.server.url}/app/proposals/${id}#token=${encodeURIComponent(token('interpol'))}`);
    await page.getByRole('heading', { level: 1, name: 'Joint border patrol manual' }).waitFor();
    await page.getByRole('alert').filter({ hasText: 'The service cannot be reached' }).waitFor();
    await context.close();
  });

  it('says so when the proposal stops being visible (its entity leaves the group)', async () => {
    const id = await submit('frontex', {
      title: 'Members-only threat list',
      body: 'Share a list of threats among members.',
      visibility: 'members',
    });
    const { page, context } = await open('aimc', id);
    await page.getByRole('heading', { level: 1, name: 'Members-only threat list' }).waitFor();
    expect((await request('secretariat', 'DELETE', '/groups/strategic/participants/aimc')).status).toBe(200);
    await page.getByRole('alert').filter({ hasText: 'This proposal is no longer visible to you' }).waitFor();
    await expect.poll(() => page.getByText('Share a list of threats among members.').count()).toBe(0);
    await context.close();
  });

  it('renders a decided demo proposal with its comments, stances and action items (screenshot)', async () => {
    const { json } = await request('ameripol', 'GET', '/groups/strategic/proposals?status=adopted&limit=100');
    const items = json.items as Array<{ id: string; counts: { comments: number } }>;
    const richest = [...items].sort((a, b) => b.counts.comments - a.counts.comments)[0];
    const { page, context } = await open('ameripol', richest?.id ?? '');
    await page.getByRole('region', { name: 'Decision' }).waitFor();
    await page.getByRole('region', { name: 'Comments' }).locator('article').first().waitFor();
    await page.getByRole('region', { name: 'History' }).locator('li').first().waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'proposal');
    await context.close();
  });
});
