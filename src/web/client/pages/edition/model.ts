import type { Schemas } from '../../api';
import type { Action } from '../../components/action';

export type EditionView = Schemas['EditionView'];
export type Declaration = Schemas['Declaration'];

/** Everything a paragraph write needs: where, against which version, and what to do after it. */
export interface Writer {
  action: Action;
  /**
   * Runs a write sent with If-Match of `version` (by default the version shown); a conflict reads the
   * declaration again.
   */
  write: (request: (ifMatch: { 'if-match': string }) => Promise<unknown>, version?: number) => Promise<boolean>;
  /** The version shown. */
  version: number;
  path: { id: string };
}
