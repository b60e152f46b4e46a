import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ProblemNotice } from '../../components/problem';
import { t } from '../../i18n';

interface Props {
  /** The accessible name of the button that opens the form and of the one that sends it. */
  label: string;
  danger?: boolean;
  /** Sends the form; a refusal is shown and the form stays open with everything typed in it. */
  submit: (form: FormData) => Promise<unknown>;
  onOpen?: () => void;
  onClose?: (sent: boolean) => void;
  /** Focus returns to the button after sending too (a form used again and again). */
  refocusAfterSend?: boolean;
  /** The fields, given the last refusal so that each shows its own validation error. */
  children: (error: unknown) => ComponentChildren;
}

/**
 * One action as a button that unfolds into its form in place (its reason or note, then the same button to
 * send it, and Cancel or Escape). Focus goes to the first field on opening and back to the button on cancelling.
 * The browser's own validation is off: the service's refusals name each field, in the catalogue's words.
 */
export function ActionForm({ label, danger, submit, onOpen, onClose, refocusAfterSend = false, children }: Props) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const refocus = useRef(false);

  useEffect(() => {
    if (open) form.current?.querySelector<HTMLElement>('input, select, textarea')?.focus();
    else if (refocus.current) toggle.current?.focus();
    refocus.current = false;
  }, [open]);

  const close = (sent: boolean) => {
    refocus.current = !sent || refocusAfterSend;
    setOpen(false);
    setError(null);
    onClose?.(sent);
  };

  if (!open) {
    return (
      <button
        type="button"
        ref={toggle}
        class={danger ? 'secondary danger-outline' : 'secondary'}
        aria-expanded="false"
        onClick={() => {
          setOpen(true);
          onOpen?.();
        }}
      >
        {label}
      </button>
    );
  }
  return (
    <form
      ref={form}
      class="action-form"
      noValidate
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !busy) close(false);
      }}
      onSubmit={(event) => {
        event.preventDefault();
        if (busy) return;
        setBusy(true);
        submit(new FormData(event.currentTarget)).then(
          () => {
            setBusy(false);
            close(true);
          },
          (refused: unknown) => {
            setBusy(false);
            setError(refused);
          },
        );
      }}
    >
      <ProblemNotice error={error} />
      {children(error)}
      <p class="actions">
        <button type="submit" class={danger ? 'danger' : undefined} disabled={busy}>
          {label}
        </button>
        <button type="button" class="secondary" onClick={() => close(false)}>
          {t('common.cancel')}
        </button>
      </p>
    </form>
  );
}

/** A text value of a form, as typed (the service trims and checks it). */
export function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}
