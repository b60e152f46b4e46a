import { describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../../src/dialogue/reference';
import { revokeToken } from '../../../src/tokens/tokens';
import { browserSuite, hasChromium, openAs, screenshot, seriousAxeViolations } from './support';

describe.skipIf(!hasChromium)('signing in and out of the page', () => {
  const suite = browserSuite();

  it('takes the token from the link, removes it from the address, and shows the groups', async () => {
    const token = await suite.server.t.token('delegate', 'europol', 'Delegate of Europol');
    const { context, page } = await openAs(suite.browser, suite.server, token);
    expect(page.url()).toBe(`${suite.server.url}/app/`);
    await expect
      .poll(() => page.getByRole('region', { name: 'Groups' }).getByRole('heading', { level: 2 }).allTextContents())
      .toEqual([
        'Working Group on Operational Aspects of Global Policing Architecture',
        'Working Group on Strategic Aspects of Global Policing Architecture',
      ]);
    expect(await page.evaluate("sessionStorage.getItem('dialogue.token')")).toBe(token);
    await screenshot(page, 'groups');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  });

  it('signs in with a pasted token and out again', async () => {
    const token = await suite.server.t.token('auditor', null, 'Auditor');
    const context = await suite.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${suite.server.url}/app/`);
    await page.getByLabel('Token').fill('dlg_not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('This token was not accepted').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'sign-in');
    await page.getByLabel('Token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('status', { name: 'Connection' }).filter({ hasText: 'connected' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You signed out.').waitFor();
    expect(await page.evaluate("sessionStorage.getItem('dialogue.token')")).toBeNull();
    await context.close();
  });

  it('sends a user whose token is revoked to the sign-in form, saying so', async () => {
    const token = await suite.server.t.token('delegate', 'afripol', 'Delegate of Afripol');
    const { context, page } = await openAs(suite.browser, suite.server, token);
    const tokenId = suite.server.t.runtime.tokens.authenticate(token)?.tokenId ?? '';
    await revokeToken(suite.server.t.runtime.store, tokenId, { ...SYSTEM_ACTOR }, 'test-revoke');
    await page.getByText('Your token was revoked').waitFor();
    await expect.poll(() => page.getByLabel('Token').isVisible()).toBe(true);
    await context.close();
  });
});
