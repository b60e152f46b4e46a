import { ApiError, describeError } from '../../api';
import { ProblemNotice } from '../../components/problem';
import { t } from '../../i18n';

/** A refusal because the declaration changed meanwhile (stale version, or no longer in draft). */
export function isConflict(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 409 || error.status === 412);
}

/**
 * A refused write of the declaration. A conflict is said in plain words (the page has already read the
 * declaration again, and the form kept its text); any other refusal as the service gave it.
 */
export function WriteProblem({ error }: { error: unknown }) {
  if (!isConflict(error)) return <ProblemNotice error={error} />;
  return (
    <div class="problem" role="alert">
      <p>{t('declaration.conflict')}</p>
      <p class="muted">{describeError(error)}</p>
    </div>
  );
}
