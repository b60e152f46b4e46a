import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, hasChromium } from './support';

/** Presses Tab until the focused element has `name` as its accessible text (a bounded walk, never a click). */
async function tabTo(page: Page, name: string, limit = 80): Promise<void> {
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press('Tab');
    const focused = (await page.evaluate(
      `(() => { const e = document.activeElement; if (!e) return ''; const id = e.id && document.querySelector('label[for="' + e.id + '"]'); return (e.getAttribute('aria-label') || (id && id.textContent) || e.textContent || '').trim(); })()`,
    )) as string;
    if (focused === name) return;
  }
  throw new Error(`"${name}" was not reached by the keyboard`);
}

describe.skipIf(!hasChromium)('the page by keyboard alone', () => {
  const suite = browserSuite({ demo: true });

  it('signs in, opens a group, submits a proposal and comments on another, with Tab, typing and Enter only', async () => {
    const member = suite.people.get('ameripol');
    if (!member) throw new Error('no member in the demo');
    const context = await suite.browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${suite.server.url}/app/groups/strategic`);
    await tabTo(page, 'Token');
    await page.keyboard.type(member.token);
    await page.keyboard.press('Enter');
    await page.getByRole('status', { name: 'Connection' }).filter({ hasText: 'connected' }).waitFor();

    // The page names itself after its heading, and the skip link moves the focus to the content.
    await expect
      .poll(() => page.title())
      .toBe('Proposals: Working Group on Strategic Aspects of Global Policing Architecture – Dialogue');
    await page.keyboard.press('Shift+Tab');
    for (
      let i = 0;
      i < 40 && (await page.evaluate('document.activeElement?.textContent')) !== 'Skip to content';
      i += 1
    )
      await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement?.id')).toBe('content');
    expect(new URL(page.url()).pathname).toBe('/app/groups/strategic');

    await tabTo(page, 'Submit proposal');
    await page.keyboard.press('Enter');
    await tabTo(page, 'Title');
    await page.keyboard.type('Typed without a mouse');
    await tabTo(page, 'Body');
    await page.keyboard.type('Every control of the page answers the keyboard.');
    await tabTo(page, 'Submit proposal');
    await page.keyboard.press('Enter');
    await page
      .getByRole('region', { name: 'Proposals' })
      .getByRole('link', { name: 'Typed without a mouse' })
      .waitFor();

    await tabTo(page, 'Annual joint cybercrime threat assessment', 200);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Annual joint cybercrime threat assessment' }).waitFor();
    await tabTo(page, 'Comment');
    await page.keyboard.type('Commented from the keyboard.');
    await tabTo(page, 'Comment');
    expect(await page.evaluate('document.activeElement.tagName')).toBe('BUTTON');
    await page.keyboard.press('Enter');
    await page.getByRole('region', { name: 'Comments' }).getByText('Commented from the keyboard.').waitFor();
    await context.close();
  });
});
