import { ApiError, describeError } from '../api';
import { t } from '../i18n';

/** A failed call in plain words, announced to screen readers; validation errors are shown by their fields. */
export function ProblemNotice({ error }: { error: unknown }) {
  if (error === null || error === undefined) return null;
  const fields = error instanceof ApiError && error.status === 400 && error.fieldErrors().size > 0;
  const text = describeError(error);
  // The service's details are sentences without a final stop; the field heading is a sentence of its own.
  const sentence = fields && !/[.!?…]$/.test(text) ? `${text}.` : text;
  // Errors of a path no field on the page shows (a query parameter, a hidden value) are listed here.
  const unshown =
    error instanceof ApiError
      ? [...error.fieldErrors()].filter(([path]) => !document.querySelector(`[data-field-path="${CSS.escape(path)}"]`))
      : [];
  return (
    <div class="problem" role="alert">
      <p>
        {sentence}
        {fields && unshown.length < error.fieldErrors().size ? ` ${t('problem.fieldHeading')}` : ''}
      </p>
      {unshown.length > 0 && (
        <ul>
          {unshown.map(([path, message]) => (
            <li key={path}>{t('problem.fieldError', { path, message })}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The message of the field at `path`, if the last refusal named it. */
export function fieldError(error: unknown, path: string): string | undefined {
  return error instanceof ApiError ? error.fieldErrors().get(path) : undefined;
}
