/**
 * Every string the page shows, in English. A translation is a file of the same keys (the type checks that
 * none is missing) with its own `lang` and `dir`; components never hold words of their own.
 * `{name}` marks a value filled in by `t`; keys ending in `.one`/`.other` are plural forms (see `tn`).
 */
export const en = {
  'meta.lang': 'en',
  'meta.dir': 'ltr',
  'app.title': 'Dialogue',
  'app.skip': 'Skip to content',
  'nav.main': 'Main',
  'nav.groups': 'Groups',
  'nav.audit': 'Audit',
  'nav.admin': 'Administration',
  'nav.api': 'API',
  'connection.label': 'Connection',
  'connection.connected': 'connected',
  'connection.reconnecting': 'reconnecting',
  'connection.offline': 'offline',
  'session.signedInAs': '{person} ({role}{entity})',
  'role.delegate': 'delegate',
  'role.secretariat': 'secretariat',
  'role.auditor': 'auditor',
  'signIn.heading': 'Sign in',
  'signIn.intro': 'Paste the token you were given, or open the sign-in link you received.',
  'signIn.token': 'Token',
  'signIn.submit': 'Sign in',
  'signIn.signOut': 'Sign out',
  'signIn.signedOut': 'You signed out.',
  'signIn.refused': 'This token was not accepted: it is unknown or was revoked. Ask the secretariat for a new one.',
  'signIn.revoked': 'Your token was revoked, so you were signed out. Ask the secretariat for a new one.',
  'signIn.empty': 'Enter a token.',
  'common.loading': 'Loading…',
  'common.retry': 'Try again',
  'common.cancel': 'Cancel',
  'common.close': 'Close',
  'common.save': 'Save',
  'common.none': 'None',
  'common.more': 'Show more',
  'common.notFound': 'There is nothing here: the address is wrong, or it is not visible to you.',
  'common.back': 'Back',
  'problem.network': 'The service cannot be reached. Check your connection; nothing was sent.',
  'problem.retryAfter': 'Too many requests. Try again in {seconds} s.',
  'problem.fieldHeading': 'Please correct the fields marked below.',
  'problem.generic': '{title}: {detail}',
  'problem.status.400': 'Some input is not valid',
  'problem.status.401': 'You are not signed in',
  'problem.status.403': 'You may not do this',
  'problem.status.404': 'Not found',
  'problem.status.409': 'This changed meanwhile',
  'problem.status.412': 'Someone changed this meanwhile',
  'problem.status.413': 'The text is too long',
  'problem.status.422': 'The request cannot be repeated with other content',
  'problem.status.428': 'The version you worked on is needed',
  'problem.status.429': 'Too many requests',
  'problem.status.503': 'The service is busy',
  'groups.heading': 'Working groups',
  'groups.region': 'Groups',
  'groups.chairs': 'Chairs: {names}',
  'groups.participants.one': '{count} participant',
  'groups.participants.other': '{count} participants',
  'groups.member': 'You take part',
  'groups.proposals': 'Proposals',
  'groups.actionItems': 'Action items',
  'groups.empty': 'There are no working groups yet.',

  // Proposals: list, page, submission (delegates and observers).

  // Action items and the dashboard (chairs).

  // The auditor's page.

  // The secretariat's page.
} as const;

export type MessageKey = keyof typeof en;
export type Catalogue = { readonly [key in MessageKey]: string };
