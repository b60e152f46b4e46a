import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, hasChromium, openAs, screenshot, seriousAxeViolations } from './support';

describe.skipIf(!hasChromium)("the auditor's page", () => {
  const suite = browserSuite({ demo: true });
  const person = (id: string) => {
    const found = suite.people.get(id);
    if (!found) throw new Error(`no demo person ${id}`);
    return found;
  };
  const write = async (who: string, method: 'POST' | 'DELETE', url: string, payload?: object) => {
    const response = await suite.server.t.app.inject({
      method,
      url,
      headers: suite.server.t.auth(person(who).token),
      ...(payload ? { payload } : {}),
    });
    expect(response.statusCode, response.body).toBeLessThan(300);
    return response.json<{ id?: string; position: number }>();
  };
  const read = async (url: string) => {
    const response = await suite.server.t.app.inject({
      method: 'GET',
      url,
      headers: suite.server.t.auth(person('auditor').token),
    });
    expect(response.statusCode, response.body).toBe(200);
    return response;
  };
  const submit = (title: string) =>
    write('ameripol', 'POST', '/groups/strategic/proposals', { title, body: `The text of ${title}.` });
  const head = () => suite.server.t.runtime.store.reader.head().position;
  const openAudit = async () => openAs(suite.browser, suite.server, person('auditor').token, '/app/audit');
  const logRows = (page: Page) => page.getByRole('region', { name: 'Event log' }).getByRole('row');
  const firstCells = async (page: Page) =>
    (await logRows(page).nth(1).getByRole('cell').allTextContents()).map((text) => text.trim());

  it('shows the log newest first, and an event recorded meanwhile appears at the top without a reload', async () => {
    const { context, page } = await openAudit();
    const before = head();
    await logRows(page)
      .nth(1)
      .getByRole('cell')
      .first()
      .filter({ hasText: String(before) })
      .waitFor();
    const header = (await logRows(page).first().getByRole('columnheader').allTextContents()).map((text) => text.trim());
    expect(header).toEqual(['Position', 'Time', 'Stream', 'Type', 'Entity', 'Person', 'Role', 'Hash']);
    const [last] = (await read(`/events?after=${before - 1}`)).json<{ events: Array<{ hash: string }> }>().events;
    expect((await firstCells(page))[7]).toBe(last?.hash.slice(0, 12));
    await expect.poll(() => logRows(page).count()).toBe(101);

    const { id } = await submit('A proposal the auditor sees arrive');
    await logRows(page)
      .nth(1)
      .getByRole('cell')
      .first()
      .filter({ hasText: String(head()) })
      .waitFor();
    const cells = await firstCells(page);
    expect(cells.slice(2, 7)).toEqual([
      `proposal-${id}`,
      'ProposalSubmitted',
      'AMERIPOL (Police Community of the Americas)',
      person('ameripol').person,
      'delegate',
    ]);
    // The older page follows on request, and no position shows twice.
    await page.getByRole('button', { name: 'Show more' }).click();
    await logRows(page).nth(201).waitFor();
    const positions = (await logRows(page).locator('td:first-child').allTextContents()).map(Number);
    expect(new Set(positions).size).toBe(positions.length);
    expect(positions).toEqual([...positions].sort((a, b) => b - a));
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  });

  it('filters by stream on the server and by type, and keeps the stream live', async () => {
    const { id } = await submit('A proposal whose stream is filtered');
    await write('europol', 'POST', `/proposals/${id}/comments`, { body: 'A comment in the stream.' });
    const { context, page } = await openAudit();
    await page.getByLabel('Stream', { exact: true }).fill(`proposal-${id}`);
    await page.getByRole('button', { name: 'Show stream' }).click();
    await page.getByText(`2 events of stream proposal-${id} shown.`).waitFor();
    const streams = await logRows(page).locator('td:nth-child(3)').allTextContents();
    expect(streams).toEqual([`proposal-${id}`, `proposal-${id}`]);

    await write('europol', 'POST', `/proposals/${id}/endorsements`);
    await page.getByText(`3 events of stream proposal-${id} shown.`).waitFor();
    await page.getByLabel('Type').selectOption('ProposalSubmitted');
    await page.getByText(`1 event of stream proposal-${id} shown.`).waitFor();
    expect(await logRows(page).locator('td:nth-child(4)').allTextContents()).toEqual(['ProposalSubmitted']);

    await page.getByLabel('Stream', { exact: true }).fill('proposal-none-such');
    await page.getByRole('button', { name: 'Show stream' }).click();
    await page.getByRole('alert').filter({ hasText: 'Not found' }).waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByText(/^100 events shown/).waitFor();
    await context.close();
  });

  it('verifies the chain and says so in plain words', async () => {
    const { context, page } = await openAudit();
    await page.getByRole('button', { name: 'Verify chain' }).click();
    const result = page.getByRole('status', { name: 'Verification' });
    await result.filter({ hasText: 'The chain is intact' }).waitFor();
    const verified = (await read('/audit/verify')).json<{ checked: number; head: { position: number } }>();
    expect(await result.textContent()).toContain(
      `${verified.checked.toLocaleString('en')} events checked, head at position ${verified.head.position}`,
    );
    await context.close();
  });

  it('downloads the export and the signed checkpoint with its public key, as the API serves them', async () => {
    const { context, page } = await openAudit();
    const saved = async (link: string) => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: link }).click(),
      ]);
      return { name: download.suggestedFilename(), text: readFileSync(await download.path(), 'utf8') };
    };
    await page.getByRole('button', { name: 'Prepare the export' }).click();
    const exported = await saved('Save the export (NDJSON)');
    expect(exported.name).toBe('dialogue-log.ndjson');
    expect(exported.text).toBe((await read('/audit/export')).body);
    expect(exported.text.trim().split('\n')).toHaveLength(head());

    await page.getByRole('button', { name: 'Prepare the checkpoint' }).click();
    const checkpoint = await saved('Save the signed checkpoint (JSON)');
    expect(checkpoint.name).toBe('dialogue-checkpoint.json');
    expect(checkpoint.text).toBe((await read('/audit/checkpoint')).body);
    const key = await saved('Save the public key (PEM)');
    expect(key.text).toBe((await read('/audit/public-key')).body);
    expect(key.text).toContain('BEGIN PUBLIC KEY');
    await context.close();
  });

  it('shows a proposal open before its adoption, by slider and by date, and lists the adoption between two positions', async () => {
    suite.server.t.time.set('2026-03-05T10:00:00.000Z');
    const title = 'A proposal the chair adopts later';
    const { id } = await submit(title);
    const submitted = head();
    suite.server.t.time.set('2026-03-06T10:00:00.000Z');
    const { position: adopted } = await write('interpol', 'POST', `/proposals/${id}/decision`, {
      outcome: 'adopted',
      note: 'Agreed by consensus.',
    });
    const { context, page } = await openAudit();
    const travel = page.getByRole('region', { name: 'Time travel' });
    await travel.getByLabel('Group').selectOption('strategic');
    const slider = travel.getByRole('slider', { name: 'Position' });
    await expect.poll(() => slider.getAttribute('max')).toBe(String(adopted));
    const statusOf = () =>
      travel
        .getByRole('region', { name: 'Proposals as they were' })
        .getByRole('row', { name: title })
        .getByRole('cell')
        .first();

    await slider.fill(String(adopted));
    await travel.getByText(`As it was at position ${adopted},`).waitFor();
    await expect.poll(() => statusOf().textContent()).toBe('adopted');
    await slider.fill(String(adopted - 1));
    await travel.getByText(`As it was at position ${adopted - 1},`).waitFor();
    await expect.poll(() => statusOf().textContent()).toBe('open');

    // A moment between the two: the slider goes to the last event recorded at or before it.
    await slider.fill(String(adopted));
    await travel.getByText(`As it was at position ${adopted},`).waitFor();
    const local = await page.evaluate(`(() => {
      const d = new Date('2026-03-05T12:00:00.000Z'); const p = (n) => String(n).padStart(2, '0');
      return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + 'T' + p(d.getHours()) + ':' + p(d.getMinutes()) + ':00';
    })()`);
    await travel.getByLabel('Date and time').fill(String(local));
    await travel.getByText(`As it was at position ${submitted},`).waitFor();
    await expect.poll(() => slider.inputValue()).toBe(String(submitted));
    await expect.poll(() => statusOf().textContent()).toBe('open');

    const changes = travel.getByRole('region', { name: 'Changes' });
    await changes.getByLabel('From position').fill(String(submitted - 1));
    await changes.getByLabel('To position').fill(String(adopted));
    await changes.getByRole('button', { name: 'Show changes' }).click();
    const found = changes.getByRole('status', { name: 'Changes found' });
    await found.getByText(`from position ${submitted - 1} to position ${adopted}`).waitFor();
    expect(await found.getByRole('listitem').allTextContents()).toEqual([`Proposal “${title}” added.`]);
    await changes.getByLabel('From position').fill(String(submitted));
    await changes.getByRole('button', { name: 'Show changes' }).click();
    await found.getByText(`from position ${submitted} to position ${adopted}`).waitFor();
    expect(await found.getByRole('listitem').allTextContents()).toEqual([
      `Proposal “${title}”: Status open → adopted.`,
    ]);
    // The title, written by a delegate, is isolated from the sentence around it.
    expect(await found.getByRole('listitem').locator('bdi').allTextContents()).toEqual([title]);
    // Without a position the service refuses the query, and says why at the field (no browser check in between).
    await changes.getByLabel('From position').fill('');
    await changes.getByRole('button', { name: 'Show changes' }).click();
    await expect.poll(() => changes.getByLabel('From position').getAttribute('aria-invalid')).toBe('true');
    await changes.getByRole('alert').waitFor();
    await changes.getByLabel('From position').fill(String(submitted));
    await screenshot(page, 'audit');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  });

  it('tells a token of another role that the page is for auditors', async () => {
    const { context, page } = await openAs(suite.browser, suite.server, person('ameripol').token, '/app/audit');
    await page.getByText('This page is only for auditors').waitFor();
    await expect.poll(() => page.getByRole('region', { name: 'Event log' }).count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  });
});
