import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';
import { fieldError } from './problem';

interface Props {
  label: string;
  /** The request field it fills (`title`, `body`): a validation error of that path is shown under it. */
  path?: string;
  error?: unknown;
  hint?: string;
  children: (props: { id: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }) => ComponentChildren;
}

/** A labelled form control with its hint and its validation error next to it (tied by aria-describedby). */
export function Field({ label, path, error, hint, children }: Props) {
  const id = useId();
  const message = path === undefined ? undefined : fieldError(error, path);
  const described = [hint ? `${id}-hint` : '', message ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field" data-field-path={path}>
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {children({ id, 'aria-invalid': message ? true : undefined, 'aria-describedby': described })}
      {message && (
        <p class="field-error" id={`${id}-error`}>
          {message}
        </p>
      )}
    </div>
  );
}
