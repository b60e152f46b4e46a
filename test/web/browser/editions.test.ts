import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserSuite, hasChromium, openAs, screenshot, seriousAxeViolations } from './support';

const HOUR = 3600_000;

/** An instant as a `datetime-local` value in this machine's time zone (the browser's, as Playwright runs it). */
function local(ms: number): string {
  const time = new Date(ms);
  return new Date(time.getTime() - time.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

describe.skipIf(!hasChromium)('the edition pages', () => {
  const suite = browserSuite({ demo: true });
  const token = (who: string) => suite.people.get(who)?.token ?? '';
  const serverNow = () => suite.server.t.time.clock().getTime();
  let editionId = '';
  let adoptedProposal = { id: '', title: '' };

  async function request(who: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) {
    const response = await suite.server.t.app.inject({
      method,
      url,
      payload,
      headers: suite.server.t.auth(token(who)),
    });
    return { status: response.statusCode, json: response.json<Record<string, unknown>>() };
  }

  /** Moves the server's clock past `until` and lets its scheduler fire what is due. */
  async function passTime(ms: number) {
    suite.server.t.time.advance(ms);
    await suite.server.t.app.scheduler.runDue();
  }

  async function open(who: string, path: string) {
    const opened = await openAs(suite.browser, suite.server, token(who), path);
    // A state that does not come fails its step within the test's time, naming the locator it waited for.
    opened.page.setDefaultTimeout(10_000);
    return opened;
  }
  const region = (page: Page, name: string) => page.getByRole('region', { name, exact: true });

  beforeAll(async () => {
    // The demo is filled at the test clock's start; from here the server's clock starts at the browser's
    // time, so that the page's countdowns (read from the browser's clock) agree with the server's deadlines.
    suite.server.t.time.set(new Date().toISOString());
    const { json } = await request('secretariat', 'GET', '/groups/strategic/proposals?status=adopted');
    const items = json.items as Array<{ id: string; title: string }>;
    adoptedProposal = items[0] ?? adoptedProposal;
  });

  it('lists editions for everyone, and the secretariat schedules one', async () => {
    const { context, page } = await open('secretariat', '/app/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Editions' }).click();
    await page.getByRole('heading', { level: 1, name: 'Editions of the Dialogue' }).waitFor();
    // The demo's edition, whose declaration is under silence.
    await page.getByRole('link', { name: 'Edition 6: Sixth Dialogue of regional police organisations' }).waitFor();
    await page.getByText('Under silence procedure').waitFor();
    const form = region(page, 'Schedule an edition');
    await form.getByLabel('Number').fill('7');
    await form.getByLabel('Title').fill('Seventh Dialogue');
    await form.getByLabel('Starts on').fill('2027-05-12');
    await form.getByLabel('Ends on').fill('2027-05-10');
    await form.getByLabel('Venue').fill('Lyon');
    await form.getByLabel('Host').selectOption('interpol');
    await form.getByRole('button', { name: 'Schedule edition' }).click();
    // The refusal stands next to its field, and the form keeps what was typed.
    await form.locator('[data-field-path="body.endsOn"] .field-error').waitFor();
    expect(await form.getByLabel('Title').inputValue()).toBe('Seventh Dialogue');
    await form.getByLabel('Ends on').fill('2027-05-14');
    await form.getByRole('button', { name: 'Schedule edition' }).click();
    await page.getByRole('heading', { level: 1, name: 'Edition 7: Seventh Dialogue' }).waitFor();
    editionId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    await page.getByRole('link', { name: 'All editions' }).click();
    await page.getByRole('link', { name: 'Edition 7: Seventh Dialogue' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'editions-list');
    await context.close();

    // An observer sees the list, without the form.
    const observer = await open('unodc', '/app/editions');
    await observer.page.getByRole('link', { name: 'Edition 7: Seventh Dialogue' }).waitFor();
    expect(await region(observer.page, 'Schedule an edition').count()).toBe(0);
    await observer.context.close();
  });

  it('keeps the agenda and the attendance with its quorum, live for others', async () => {
    expect(adoptedProposal.id).not.toBe('');
    const { context, page } = await open('secretariat', `/app/editions/${editionId}`);
    const watcher = await open('ameripol', `/app/editions/${editionId}`);
    await page.getByRole('heading', { level: 1, name: 'Edition 7: Seventh Dialogue' }).waitFor();
    const agenda = region(page, 'Agenda');
    await agenda.getByLabel('Proposal id').fill('no-such-proposal');
    await agenda.getByRole('button', { name: 'Add to agenda' }).click();
    await agenda.getByRole('alert').waitFor();
    await agenda.getByLabel('Proposal id').fill(adoptedProposal.id);
    await agenda.getByRole('button', { name: 'Add to agenda' }).click();
    await agenda.getByRole('link', { name: adoptedProposal.title }).waitFor();
    await region(watcher.page, 'Agenda').getByRole('link', { name: adoptedProposal.title }).waitFor();
    expect(await region(watcher.page, 'Agenda').getByRole('button').count()).toBe(0);

    const attendance = region(page, 'Attendance');
    const quorum = await attendance.locator('.quorum').textContent();
    const total = /of (\d+) member entities present/.exec(quorum ?? '')?.[1];
    expect(quorum).toBe(`0 of ${total} member entities present`);
    for (const [entity, names] of [
      ['ameripol', 'Ana Lima\nJorge Paz'],
      ['unodc', 'Observer One'],
      ['gccpol', 'Khalid Omar'],
    ] as const) {
      await attendance.getByLabel('Entity').selectOption(entity);
      await attendance.getByLabel('Delegates').fill(names);
      await attendance.getByRole('button', { name: 'Record attendance' }).click();
      await expect.poll(() => attendance.getByText(names.split('\n')[0] ?? '').count()).toBe(1);
    }
    // Observers attend but never count.
    await attendance.getByText(`2 of ${total} member entities present`).waitFor();
    await attendance.getByRole('button', { name: 'Withdraw attendance: Gulf Cooperation Council-POL' }).click();
    await attendance.getByText(`1 of ${total} member entities present`).waitFor();
    await region(watcher.page, 'Attendance').getByText(`1 of ${total} member entities present`).waitFor();
    await region(page, 'Report').getByRole('button', { name: 'Download report.md' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'edition-page');
    await watcher.context.close();
    await context.close();
  });

  it('drafts the declaration and edits it, saying so plainly when someone else changed it meanwhile', async () => {
    const { context, page } = await open('secretariat', `/app/editions/${editionId}`);
    await page.getByRole('link', { name: 'Open the outcome declaration' }).click();
    await page.getByRole('heading', { level: 1, name: 'Outcome declaration of edition 7' }).waitFor();
    await page.getByRole('button', { name: 'Draft declaration' }).click();
    const text = region(page, 'Paragraphs');
    await text.getByRole('heading', { name: 'Paragraph 1' }).waitFor();
    await text.getByText(adoptedProposal.title).first().waitFor();

    await text.getByLabel('New paragraph').fill('The member entities meet again next year.');
    await text.getByRole('button', { name: 'Add paragraph' }).click();
    await text.getByRole('heading', { name: 'Paragraph 2' }).waitFor();
    await text.getByRole('button', { name: 'Move paragraph 2 up' }).click();
    await text.locator('.paragraph').first().getByText('The member entities meet again next year.').waitFor();

    // Someone else edits paragraph 2 while this page edits it: the save is refused (412) and said in plain words.
    await text.getByRole('button', { name: 'Edit paragraph 2' }).click();
    await text.getByLabel('Text of paragraph 2').fill('Our wording of the adopted proposal.');
    const current = await request('secretariat', 'GET', `/editions/${editionId}/declaration`);
    const other = await suite.server.t.app.inject({
      method: 'PUT',
      url: `/editions/${editionId}/declaration/paragraphs/1`,
      payload: { text: 'The member entities will meet again next year.' },
      headers: { ...suite.server.t.auth(token('secretariat')), 'if-match': `W/"${current.json.version}"` },
    });
    expect(other.statusCode).toBe(200);
    await text.getByRole('button', { name: 'Save paragraph' }).click();
    await text.getByText(/The declaration changed while you were working on it/).waitFor();
    expect(await text.getByLabel('Text of paragraph 2').inputValue()).toBe('Our wording of the adopted proposal.');
    await text.getByText('The member entities will meet again next year.').waitFor();
    await text.getByRole('button', { name: 'Save paragraph' }).click();
    await text.getByText('Our wording of the adopted proposal.').waitFor();
    await expect.poll(() => text.getByLabel('Text of paragraph 2').count()).toBe(0);

    const history = region(page, 'Declaration history');
    await history.getByText('Paragraph edited').first().waitFor();
    await history.getByLabel('From revision').selectOption('1');
    await history.getByRole('button', { name: 'Compare' }).click();
    await history.getByRole('region', { name: 'Differences' }).locator('ins').first().waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'declaration-draft');
    await context.close();
  });

  it('opens silence with a countdown; only a member delegate present may break it, and the break shows live', async () => {
    const { context, page } = await open('secretariat', `/app/editions/${editionId}/declaration`);
    const opening = region(page, 'Open the silence procedure');
    await opening.getByLabel('Silence until').fill(local(serverNow() + 10 * 60_000));
    await opening.getByRole('button', { name: 'Open silence procedure' }).click();
    await opening.locator('[data-field-path="body.until"] .field-error').waitFor();
    await opening.getByLabel('Silence until').fill(local(serverNow() + 2 * HOUR));
    await opening.getByRole('button', { name: 'Open silence procedure' }).click();
    const silence = region(page, 'Silence procedure');
    await silence
      .getByRole('timer', { name: 'Time left until the end of silence' })
      .filter({ hasText: /h \d\d min/ })
      .waitFor();
    expect(
      await region(page, 'Paragraphs')
        .getByRole('button', { name: /Edit paragraph/ })
        .count(),
    ).toBe(0);
    expect(await silence.getByRole('button', { name: 'Break silence' }).count()).toBe(0);

    const observer = await open('unodc', `/app/editions/${editionId}/declaration`);
    await region(observer.page, 'Silence procedure').getByRole('timer').waitFor();
    expect(await observer.page.getByRole('button', { name: 'Break silence' }).count()).toBe(0);
    expect(await seriousAxeViolations(observer.page)).toEqual([]);
    await observer.context.close();

    // A member entity that did not attend (its attendance was withdrawn) may not break silence either.
    const absent = await open('gccpol', `/app/editions/${editionId}/declaration`);
    await region(absent.page, 'Silence procedure').getByRole('timer').waitFor();
    expect(await absent.page.getByRole('button', { name: 'Break silence' }).count()).toBe(0);
    await absent.context.close();

    const delegate = await open('ameripol', `/app/editions/${editionId}/declaration`);
    const delegateSilence = region(delegate.page, 'Silence procedure');
    await delegateSilence.getByLabel('Reason').fill('Paragraph 1 needs our capital’s review.');
    expect(await seriousAxeViolations(delegate.page)).toEqual([]);
    await screenshot(delegate.page, 'declaration-silence-delegate');
    await delegateSilence.getByRole('button', { name: 'Break silence' }).click();
    await silence.getByText('1 break of silence').waitFor();
    await silence.getByText('Paragraph 1 needs our capital’s review.').waitFor();
    await expect.poll(() => delegateSilence.getByRole('button', { name: 'Break silence' }).count()).toBe(0);
    await screenshot(page, 'declaration-silence');

    // At its end the broken procedure gives the text back to the secretariat, live.
    await passTime(2 * HOUR + 1000);
    await region(page, 'Declaration history').getByText('Silence procedure ended: broken').waitFor();
    await region(page, 'Paragraphs').getByRole('button', { name: 'Edit paragraph 1' }).waitFor();
    await delegate.context.close();
    await context.close();
  });

  it('shows the adopted text with its hash and signature once a procedure ends unbroken', async () => {
    const { context, page } = await open('secretariat', `/app/editions/${editionId}/declaration`);
    const watcher = await open('ameripol', `/app/editions/${editionId}/declaration`);
    const opening = region(page, 'Open the silence procedure');
    await opening.getByLabel('Silence until').fill(local(serverNow() + 2 * HOUR));
    await opening.getByRole('button', { name: 'Open silence procedure' }).click();
    await region(watcher.page, 'Silence procedure').getByRole('button', { name: 'Break silence' }).waitFor();
    await passTime(2 * HOUR + 1000);
    for (const each of [page, watcher.page]) {
      const adopted = region(each, 'Adopted declaration');
      await adopted
        .getByText(/^[0-9a-f]{64}$/)
        .first()
        .waitFor();
      await adopted.getByRole('button', { name: 'Download declaration.md' }).waitFor();
      await adopted.getByRole('button', { name: 'Download declaration.html' }).waitFor();
    }
    const { json } = await request('secretariat', 'GET', `/editions/${editionId}/declaration`);
    const adopted = region(page, 'Adopted declaration');
    await adopted.getByText(String(json.signature)).waitFor();
    await adopted.getByText('AMERIPOL (Police Community of the Americas)').waitFor();
    const download = page.waitForEvent('download');
    await adopted.getByRole('button', { name: 'Download declaration.md' }).click();
    expect((await download).suggestedFilename()).toBe('declaration-7.md');
    expect(await page.getByRole('button', { name: 'Open silence procedure' }).count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'declaration-adopted');

    // The record is closed: the edition page offers no more agenda or attendance changes.
    await page.getByRole('link', { name: 'Edition 7' }).click();
    await region(page, 'Agenda').getByRole('link', { name: adoptedProposal.title }).waitFor();
    expect(await page.getByRole('button', { name: 'Record attendance' }).count()).toBe(0);
    await watcher.context.close();
    await context.close();
  });

  it('shows a proposal’s deadline with a countdown, lets its chair move it, and closes the consultation live', async () => {
    const closesAt = new Date(serverNow() + 3 * HOUR).toISOString();
    const submitted = await request('frontex', 'POST', '/groups/strategic/proposals', {
      title: 'Shared liaison roster',
      body: 'Keep one roster of liaison officers.',
      closesAt,
    });
    expect(submitted.status).toBe(201);
    const id = String(submitted.json.id);
    const chair = await open('interpol', `/app/proposals/${id}`);
    const member = await open('ameripol', `/app/proposals/${id}`);
    await member.page.getByRole('timer', { name: 'Time left in the consultation' }).waitFor();
    await member.page.getByRole('button', { name: 'Endorse' }).waitFor();

    const deadline = region(chair.page, 'Consultation deadline');
    await deadline.getByRole('button', { name: 'Change deadline' }).click();
    await deadline.getByLabel('Closes at').fill(local(serverNow() + HOUR));
    await deadline.getByLabel('Reason for the change').fill('The plenary meets earlier.');
    expect(await seriousAxeViolations(chair.page)).toEqual([]);
    await deadline.getByRole('button', { name: 'Save deadline' }).click();
    await expect.poll(() => deadline.getByLabel('Closes at').count()).toBe(0);
    await screenshot(chair.page, 'proposal-deadline');

    await passTime(HOUR + 1000);
    await member.page.getByText('Consultation closed', { exact: true }).waitFor();
    await member.page.getByText(/endorsements and objections are no longer accepted/).waitFor();
    expect(await member.page.getByRole('button', { name: 'Endorse' }).count()).toBe(0);
    expect(await member.page.getByRole('button', { name: 'Object' }).count()).toBe(0);
    await member.context.close();
    await chair.context.close();
  });
});
