import { describe, expect, it } from 'vitest';
import { browserSuite, hasChromium, screenshot } from './support';

describe.skipIf(!hasChromium)('the API documentation in a browser', () => {
  const suite = browserSuite();

  it('opens /docs without a token, and its Authorize button makes "Try it out" calls with the token', async () => {
    const token = await suite.server.t.token('delegate', 'europol', 'Delegate of Europol');
    const context = await suite.browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(8000);
    const response = await page.goto(`${suite.server.url}/docs`);
    expect(response?.status()).toBe(200);
    await page.getByRole('button', { name: 'Authorize' }).first().click();
    const dialog = page.locator('.modal-ux');
    await dialog.locator('.auth-container input').first().fill(token);
    await dialog.locator('button', { hasText: /^Authorize$/ }).click();
    await dialog.locator('button', { hasText: /^Close$/ }).click();
    const operation = page.locator('#operations-dialogue-getMe');
    await operation.locator('.opblock-summary').click();
    await operation.getByRole('button', { name: 'Try it out' }).click();
    const answered = page.waitForResponse((reply) => reply.url().endsWith('/me'));
    await operation.getByRole('button', { name: 'Execute' }).click();
    const reply = await answered;
    expect(reply.status()).toBe(200);
    expect(await reply.json()).toMatchObject({ entityId: 'europol', role: 'delegate' });
    await screenshot(page, 'docs');
    await context.close();
  });
});
