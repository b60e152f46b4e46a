import type { ComponentChildren, RefObject } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { api, call } from '../../api';
import { Field } from '../../components/field';
import { type MessageKey, t } from '../../i18n';
import { ActionForm, text } from './actionForm';
import type { ActionItem } from './model';

/** One action on an item: when it is offered, the request it sends, and its fields. */
interface ItemAction {
  key: string;
  label: MessageKey;
  /** Whether it is offered on an item open or closed, to a chair or to the item's owner. */
  offered: (open: boolean, chair: boolean) => boolean;
  send: (id: string, form: FormData, expectedVersion: number) => Promise<unknown>;
  fields: (error: unknown, item: ActionItem) => ComponentChildren;
  danger?: boolean;
}

const byId = (id: string) => ({ params: { path: { id } } });

const reasonField = (error: unknown) => (
  <Field label={t('actionItems.reason')} path="body.reason" error={error}>
    {(props) => <textarea {...props} name="reason" />}
  </Field>
);

const progressFields = (error: unknown, item: ActionItem) => (
  <>
    <Field label={t('actionItems.percentField')} path="body.percent" error={error}>
      {(props) => (
        <input {...props} name="percent" type="number" min={0} max={100} step={1} defaultValue={String(item.percent)} />
      )}
    </Field>
    <Field label={t('actionItems.note')} path="body.note" error={error}>
      {(props) => <textarea {...props} name="note" />}
    </Field>
  </>
);

const dueDateFields = (error: unknown, item: ActionItem) => (
  <>
    <Field label={t('actionItems.dueDate')} path="body.dueDate" error={error}>
      {(props) => <input {...props} name="dueDate" type="date" defaultValue={item.dueDate} />}
    </Field>
    {reasonField(error)}
  </>
);

/** The actions in the order the card shows them. */
const ACTIONS: readonly ItemAction[] = [
  {
    key: 'progress',
    label: 'actionItems.reportProgress',
    offered: (open) => open,
    send: (id, form, expectedVersion) =>
      call(
        api.POST('/action-items/{id}/progress', {
          ...byId(id),
          body: { percent: Number(text(form, 'percent') || Number.NaN), note: text(form, 'note'), expectedVersion },
        }),
      ),
    fields: progressFields,
  },
  {
    key: 'complete',
    label: 'actionItems.complete',
    offered: (open) => open,
    send: (id, form, expectedVersion) => {
      const note = text(form, 'note');
      const body = note.trim() ? { note, expectedVersion } : { expectedVersion };
      return call(api.POST('/action-items/{id}/completion', { ...byId(id), body }));
    },
    fields: (error) => (
      <Field label={t('actionItems.noteOptional')} path="body.note" error={error}>
        {(props) => <textarea {...props} name="note" />}
      </Field>
    ),
  },
  {
    key: 'due',
    label: 'actionItems.changeDueDate',
    offered: (open, chair) => open && chair,
    send: (id, form, expectedVersion) =>
      call(
        api.POST('/action-items/{id}/due-date', {
          ...byId(id),
          body: { dueDate: text(form, 'dueDate'), reason: text(form, 'reason'), expectedVersion },
        }),
      ),
    fields: dueDateFields,
  },
  {
    key: 'cancel',
    label: 'actionItems.cancelItem',
    offered: (open, chair) => open && chair,
    send: (id, form, expectedVersion) =>
      call(
        api.POST('/action-items/{id}/cancellation', {
          ...byId(id),
          body: { reason: text(form, 'reason'), expectedVersion },
        }),
      ),
    fields: reasonField,
    danger: true,
  },
  {
    key: 'reopen',
    label: 'actionItems.reopen',
    offered: (open, chair) => !open && chair,
    send: (id, form, expectedVersion) =>
      call(
        api.POST('/action-items/{id}/reopening', {
          ...byId(id),
          body: { reason: text(form, 'reason'), expectedVersion },
        }),
      ),
    fields: reasonField,
  },
];

/** Reads the item after a write, so that the board shows it even before its live event arrives. */
async function reread(id: string, onSaved: (view: ActionItem) => void): Promise<void> {
  onSaved(await call(api.GET('/action-items/{id}', { params: { path: { id } } })));
}

interface Props {
  item: ActionItem;
  chair: boolean;
  /** The signed-in delegate's entity owns the item: it may report progress and complete. */
  owner: boolean;
  /** The item's heading, which takes the focus once an action was sent. */
  heading: RefObject<HTMLHeadingElement>;
  onSaved: (view: ActionItem) => void;
}

/** The actions the signed-in delegate may take on an item (and only those); while one is open, the others hide. */
export function ItemActions({ item, chair, owner, heading, onSaved }: Props) {
  const [active, setActive] = useState<string | null>(null);
  // The version the user saw when opening a form: a change made meanwhile is refused (409) and shown, not overwritten.
  const seenVersion = useRef(item.version);
  if (!chair && !owner) return null;
  const open = item.status === 'open';
  const shown = ACTIONS.filter((action) => action.offered(open, chair) && (active === null || active === action.key));
  return (
    <fieldset class="actions" aria-label={t('actionItems.actionsOf', { title: item.title })}>
      {shown.map((action) => (
        <ActionForm
          key={action.key}
          label={t(action.label)}
          danger={action.danger ?? false}
          onOpen={() => {
            seenVersion.current = item.version;
            setActive(action.key);
          }}
          onClose={(sent) => {
            setActive(null);
            if (sent) heading.current?.focus();
          }}
          submit={async (form) => {
            await action.send(item.id, form, seenVersion.current);
            await reread(item.id, onSaved).catch(() => undefined);
          }}
        >
          {(error) => action.fields(error, item)}
        </ActionForm>
      ))}
    </fieldset>
  );
}
