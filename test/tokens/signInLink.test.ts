import { describe, expect, it } from 'vitest';
import { serviceUrl, signInLink } from '../../src/tokens/signInLink';

const TOKEN = 'dlg_Ab-c_D';

describe('sign-in links', () => {
  it('puts the token in the fragment of /app/ under PUBLIC_URL, keeping its path', () => {
    expect(signInLink({ PUBLIC_URL: 'https://dialogue.example/', HOST: '10.0.0.5', PORT: 8080 }, TOKEN)).toBe(
      'https://dialogue.example/app/#token=dlg_Ab-c_D',
    );
    expect(signInLink({ PUBLIC_URL: 'https://dialogue.example/pilot', HOST: '10.0.0.5', PORT: 8080 }, TOKEN)).toBe(
      'https://dialogue.example/pilot/app/#token=dlg_Ab-c_D',
    );
    expect(serviceUrl({ PUBLIC_URL: 'https://dialogue.example/pilot/', HOST: '', PORT: 0 }, 'groups')).toBe(
      'https://dialogue.example/pilot/groups',
    );
  });

  it('uses HOST and PORT without PUBLIC_URL, loopback for a wildcard address, brackets for IPv6', () => {
    expect(signInLink({ PUBLIC_URL: undefined, HOST: '127.0.0.1', PORT: 3000 }, TOKEN)).toBe(
      'http://127.0.0.1:3000/app/#token=dlg_Ab-c_D',
    );
    expect(signInLink({ PUBLIC_URL: undefined, HOST: '0.0.0.0', PORT: 3000 }, TOKEN)).toBe(
      'http://127.0.0.1:3000/app/#token=dlg_Ab-c_D',
    );
    expect(signInLink({ PUBLIC_URL: undefined, HOST: '::', PORT: 3000 }, TOKEN)).toBe(
      'http://127.0.0.1:3000/app/#token=dlg_Ab-c_D',
    );
    expect(signInLink({ PUBLIC_URL: undefined, HOST: '::1', PORT: 4000 }, TOKEN)).toBe(
      'http://[::1]:4000/app/#token=dlg_Ab-c_D',
    );
    expect(signInLink({ PUBLIC_URL: undefined, HOST: 'dialogue.internal', PORT: 80 }, TOKEN)).toBe(
      'http://dialogue.internal/app/#token=dlg_Ab-c_D',
    );
  });
});
