import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, hasChromium, openAs, screenshot, seriousAxeViolations } from './support';

const OPERATIONAL = 'Working Group on Operational Aspects of Global Policing Architecture';
const AMERIPOL = 'AMERIPOL (Police Community of the Americas)';
const SCO = 'Shanghai Cooperation Organization';

describe.skipIf(!hasChromium)("the secretariat's page", () => {
  const suite = browserSuite({ demo: true });
  const token = (id: string) => suite.people.get(id)?.token ?? '';

  const group = (page: Page) => page.getByRole('region', { name: OPERATIONAL });
  /** The names in a group's list of chairs or participants, as the page shows them. */
  const names = (region: Locator, heading: 'Chairs' | 'Participants') =>
    region
      .locator('.entity-list', { has: region.page().getByRole('heading', { name: heading }) })
      .locator('li > span:first-child')
      .allTextContents();
  const waitFor = async (read: () => Promise<string[]>, holds: (list: string[]) => boolean) => {
    await expect.poll(read).toSatisfy(holds);
  };

  /** The secretariat's page, and a second clerk's that follows it live. */
  const twoClerks = async () => {
    const mine = await openAs(suite.browser, suite.server, token('secretariat'), '/app/admin');
    const other = await openAs(
      suite.browser,
      suite.server,
      await suite.server.t.token('secretariat', null, 'Second clerk'),
      '/app/admin',
    );
    return { ...mine, other };
  };

  it('appoints and removes a chair, with a confirmation, and a second page follows live', async () => {
    const { context, page, other } = await twoClerks();
    const mine = group(page);
    await waitFor(
      () => names(mine, 'Chairs'),
      (list) => list.length > 0 && !list.includes(AMERIPOL),
    );

    await mine.getByLabel('Member to appoint as chair').selectOption({ label: AMERIPOL });
    await mine.getByRole('button', { name: 'Appoint chair' }).click();
    await waitFor(
      () => names(mine, 'Chairs'),
      (list) => list.includes(AMERIPOL),
    );
    await waitFor(
      () => names(group(other.page), 'Chairs'),
      (list) => list.includes(AMERIPOL),
    );
    await screenshot(page, 'admin');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await mine.getByRole('button', { name: `Remove chair: ${AMERIPOL}` }).click();
    const confirm = mine.getByRole('button', { name: 'Confirm removal' });
    await confirm.waitFor();
    await expect.poll(() => page.evaluate('document.activeElement?.textContent')).toBe('Confirm removal');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await mine.getByRole('button', { name: 'Cancel' }).click();
    expect(await names(mine, 'Chairs')).toContain(AMERIPOL);
    await mine.getByRole('button', { name: `Remove chair: ${AMERIPOL}` }).click();
    await confirm.click();
    await waitFor(
      () => names(mine, 'Chairs'),
      (list) => !list.includes(AMERIPOL),
    );
    await waitFor(
      () => names(group(other.page), 'Chairs'),
      (list) => !list.includes(AMERIPOL),
    );
    await other.context.close();
    await context.close();
  });

  it('removes a participant and adds it again, and a second page follows live', async () => {
    const { context, page, other } = await twoClerks();
    const mine = group(page);
    await waitFor(
      () => names(mine, 'Participants'),
      (list) => list.includes(SCO),
    );

    await mine.getByRole('button', { name: `Remove participant: ${SCO}` }).click();
    await mine.getByRole('button', { name: 'Confirm removal' }).click();
    await waitFor(
      () => names(mine, 'Participants'),
      (list) => !list.includes(SCO),
    );
    await waitFor(
      () => names(group(other.page), 'Participants'),
      (list) => !list.includes(SCO),
    );

    await mine.getByLabel('Entity to add').selectOption({ label: SCO });
    await mine.getByRole('button', { name: 'Add participant' }).click();
    await waitFor(
      () => names(mine, 'Participants'),
      (list) => list.includes(SCO),
    );
    await waitFor(
      () => names(group(other.page), 'Participants'),
      (list) => list.includes(SCO),
    );
    await other.context.close();
    await context.close();
  });

  it('says in plain words why the API refused a change made stale meanwhile (a 409)', async () => {
    const { context, page } = await openAs(suite.browser, suite.server, token('secretariat'), '/app/admin');
    const mine = group(page);
    await mine.getByLabel('Member to appoint as chair').selectOption({ label: AMERIPOL });
    // The request reaches the real server only after another clerk has appointed the same entity.
    await page.route('**/groups/operational/chairs', async (route) => {
      const response = await suite.server.t.app.inject({
        method: 'POST',
        url: '/groups/operational/chairs',
        headers: suite.server.t.auth(token('secretariat')),
        payload: { entityId: 'ameripol' },
      });
      expect(response.statusCode).toBe(201);
      await route.continue();
    });
    await mine.getByRole('button', { name: 'Appoint chair' }).click();
    await mine
      .getByRole('alert')
      .filter({ hasText: 'This changed meanwhile: ameripol already chairs operational' })
      .waitFor();
    await waitFor(
      () => names(mine, 'Chairs'),
      (list) => list.includes(AMERIPOL),
    );
    await context.close();
  });

  it('tells a token of another role that the page is for the secretariat', async () => {
    const { context, page } = await openAs(suite.browser, suite.server, token('auditor'), '/app/admin');
    await page.getByText('This page is only for the secretariat').waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Appoint chair' }).count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  });
});
