import { computed, signal } from '@preact/signals';
import type { components } from '../api/schema';
import type { MessageKey } from './i18n';

type Me = components['schemas']['Me'];

const STORAGE_KEY = 'dialogue.token';

/** Why the sign-in form is shown, when it is not the first visit. */
export type SignInReason = 'signedOut' | 'refused' | 'revoked';
const REASONS: Record<SignInReason, MessageKey> = {
  signedOut: 'signIn.signedOut',
  refused: 'signIn.refused',
  revoked: 'signIn.revoked',
};

function stored(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/**
 * The signed-in token, kept in sessionStorage (one tab's session, gone with the tab), and who it speaks for.
 * A sign-in link carries the token in the address's fragment, which browsers never send to a server: it is
 * taken from there once and removed from the address bar and the history entry.
 */
export const session = {
  token: signal<string | null>(stored()),
  me: signal<Me | null>(null),
  reason: signal<MessageKey | null>(null),

  takeTokenFromAddress(): void {
    const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
    if (!match?.[1]) return;
    let token: string;
    try {
      token = decodeURIComponent(match[1]);
    } catch {
      token = match[1];
    }
    this.start(token);
    history.replaceState(history.state, '', location.pathname + location.search);
  },

  start(token: string): void {
    try {
      sessionStorage.setItem(STORAGE_KEY, token);
    } catch {
      // Storage refused (a private mode): the session lasts as long as the page.
    }
    this.reason.value = null;
    this.me.value = null;
    this.token.value = token;
  },

  end(reason: SignInReason): void {
    this.reason.value = REASONS[reason];
    if (this.token.value === null) return;
    try {
      sessionStorage.removeItem(STORAGE_KEY);
    } catch {
      // nothing stored
    }
    this.token.value = null;
    this.me.value = null;
  },
};

export const isMember = computed(
  () => session.me.value?.role === 'delegate' && session.me.value.entityKind === 'member',
);
