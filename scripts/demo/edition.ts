type Json = Record<string, unknown>;
type Call = (who: string, method: 'POST' | 'DELETE', url: string, payload?: Json) => Promise<Json>;

const HOUR = 3600_000;

/** Who came to the demo edition, with their delegates: members and an observer (observers never count). */
const ATTENDANCE: Array<[string, string[]]> = [
  ['ameripol', ['Ana Lima', 'Jorge Paz']],
  ['europol', ['Marta Novak']],
  ['interpol', ['Luc Martin', 'Sofia Rossi']],
  ['afripol', ['Amina Diallo']],
  ['frontex', ['Piotr Nowak']],
  ['unodc', ['Elena Garcia']],
];

const CLOSING = 'The member entities will meet again next year; the secretariat will circulate the dates.';

/**
 * The demo's edition: it ended yesterday, three adopted proposals were on its agenda, and its outcome
 * declaration (drafted from them, with a closing paragraph) is under a silence procedure that ends in
 * three days, so the page shows the countdown and attending members can break silence.
 */
export async function fillEdition(call: Call, adopted: readonly string[], now: Date): Promise<void> {
  const day = (offset: number) => new Date(now.getTime() + offset * 24 * HOUR).toISOString().slice(0, 10);
  const edition = await call('secretariat', 'POST', '/editions', {
    number: 6,
    title: 'Sixth Dialogue of regional police organisations',
    startsOn: day(-3),
    endsOn: day(-1),
    venue: 'Lyon',
    hostEntityId: 'interpol',
  });
  const url = `/editions/${String(edition.id)}`;
  for (const proposalId of adopted.slice(0, 3)) await call('secretariat', 'POST', `${url}/agenda`, { proposalId });
  for (const [entityId, delegates] of ATTENDANCE)
    await call('secretariat', 'POST', `${url}/attendance`, { entityId, delegates });
  const drafted = await call('secretariat', 'POST', `${url}/declaration`, {});
  const added = await call('secretariat', 'POST', `${url}/declaration/paragraphs`, {
    text: CLOSING,
    expectedVersion: Number(drafted.version),
  });
  await call('secretariat', 'POST', `${url}/declaration/silence`, {
    until: new Date(now.getTime() + 72 * HOUR).toISOString(),
    expectedVersion: Number(added.version),
  });
}
