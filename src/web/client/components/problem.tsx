import { ApiError, describeError } from '../api';
import { t } from '../i18n';

/** A failed call in plain words, announced to screen readers; validation errors are shown by their fields. */
export function ProblemNotice({ error }: { error: unknown }) {
  if (error === null || error === undefined) return null;
  const fields = error instanceof ApiError && error.status === 400 && error.fieldErrors().size > 0;
  const text = describeError(error);
  // The service's details are sentences without a final stop; the field heading is a sentence of its own.
  const sentence = fields && !/[.!?…]$/.test(text) ? `${text}.` : text;
  return (
    <p class="problem" role="alert">
      {sentence}
      {fields ? ` ${t('problem.fieldHeading')}` : ''}
    </p>
  );
}

/** The message of the field at `path`, if the last refusal named it. */
export function fieldError(error: unknown, path: string): string | undefined {
  return error instanceof ApiError ? error.fieldErrors().get(path) : undefined;
}
