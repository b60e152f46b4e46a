import { ApiError, describeError } from '../api';
import { t } from '../i18n';

/** A failed call in plain words, announced to screen readers; validation errors are shown by their fields. */
export function ProblemNotice({ error }: { error: unknown }) {
  if (error === null || error === undefined) return null;
  const fields = error instanceof ApiError && error.status === 400 && error.fieldErrors().size > 0;
  return (
    <p class="problem" role="alert">
      {describeError(error)}
      {fields ? ` ${t('problem.fieldHeading')}` : ''}
    </p>
  );
}

/** The message of the field at `path`, if the last refusal named it. */
export function fieldError(error: unknown, path: string): string | undefined {
  return error instanceof ApiError ? error.fieldErrors().get(path) : undefined;
}
