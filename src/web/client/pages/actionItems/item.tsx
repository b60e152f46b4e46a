import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { api, call, type Schemas } from '../../api';
import { Field } from '../../components/field';
import { Link } from '../../components/link';
import { entityName } from '../../entities';
import { formatDate, formatNumber, formatTime, t, tn } from '../../i18n';
import { messageParts } from '../format';
import { ActionForm, text } from './actionForm';
import { type ActionItem, isDueSoon, statusOf } from './model';

type Step = Schemas['ActionItemStep'];

const detailText = (step: Step, name: string): string => {
  const value = step.detail[name];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
};

/** A step in plain words: what was done (with its note or reason), by whom, when; what people wrote is isolated. */
function describeStep(step: Step): ComponentChildren {
  const value = (name: string) => detailText(step, name);
  const written = (name: string) => <bdi>{value(name)}</bdi>;
  let what: ComponentChildren;
  switch (step.type) {
    case 'ActionItemOpened':
      what = t('actionItems.step.ActionItemOpened');
      break;
    case 'ActionItemProgressed':
      what = messageParts('actionItems.step.ActionItemProgressed', {
        percent: formatNumber(Number(value('percent'))),
        note: written('note'),
      });
      break;
    case 'ActionItemCompleted':
      what = value('note')
        ? messageParts('actionItems.step.ActionItemCompletedWithNote', { note: written('note') })
        : t('actionItems.step.ActionItemCompleted');
      break;
    case 'ActionItemReopened':
    case 'ActionItemCancelled':
      what = messageParts(`actionItems.step.${step.type}`, { reason: written('reason') });
      break;
    case 'ActionItemDueDateChanged':
      what = messageParts('actionItems.step.ActionItemDueDateChanged', {
        dueDate: formatDate(value('dueDate')),
        previousDueDate: formatDate(value('previousDueDate')),
        reason: written('reason'),
      });
      break;
    default:
      what = t('actionItems.step.other', { type: step.type });
  }
  const who = (
    <>
      <bdi>{step.person}</bdi>
      {step.entityId ? ` (${entityName(step.entityId)})` : ''}
    </>
  );
  return messageParts('actionItems.stepBy', { what, who, when: formatTime(step.at) });
}

function dueText(item: ActionItem, today: string): string {
  const date = formatDate(item.dueDate);
  if (item.overdue) return t('actionItems.dueOverdue', { date });
  if (isDueSoon(item, today)) return t('actionItems.dueSoon', { date });
  return t('actionItems.due', { date });
}

interface Props {
  item: ActionItem;
  today: string;
  chair: boolean;
  /** The signed-in delegate's entity: its owner may report progress and complete. */
  entityId: string | null;
  /** A view read after a write, for the board to apply (the live event brings the same one). */
  onSaved: (view: ActionItem) => void;
}

/** Reads the item after a write, so that the board shows it even before its live event arrives. */
async function reread(id: string, onSaved: (view: ActionItem) => void): Promise<void> {
  onSaved(await call(api.GET('/action-items/{id}', { params: { path: { id } } })));
}

/** One action item on the board, with the actions the signed-in delegate may take on it (and only those). */
export function ActionItemCard({ item, today, chair, entityId, onSaved }: Props) {
  const [active, setActive] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const id = item.id;
  const path = { params: { path: { id } } };
  // The version the user saw when opening a form: a change made meanwhile is refused (409) and shown, not overwritten.
  const seenVersion = useRef(item.version);
  const latest = item.history.at(-1);
  const owner = entityId !== null && entityId === item.ownerEntityId;
  const status = statusOf(item);

  const action = (
    key: string,
    label: string,
    submit: (form: FormData) => Promise<unknown>,
    fields: (error: unknown) => ComponentChildren,
    danger = false,
  ) =>
    active !== null && active !== key ? null : (
      <ActionForm
        key={key}
        label={label}
        danger={danger}
        onOpen={() => {
          seenVersion.current = item.version;
          setActive(key);
        }}
        onClose={(sent) => {
          setActive(null);
          if (sent) heading.current?.focus();
        }}
        submit={async (form) => {
          await submit(form);
          await reread(id, onSaved).catch(() => undefined);
        }}
      >
        {fields}
      </ActionForm>
    );

  const reason = (error: unknown) => (
    <Field label={t('actionItems.reason')} path="body.reason" error={error}>
      {(props) => <textarea {...props} name="reason" />}
    </Field>
  );

  const open = item.status === 'open';
  return (
    <li class={`card action-item action-item-${status}`}>
      <h3 ref={heading} tabIndex={-1} dir="auto">
        {item.title}
      </h3>
      <p class="item-facts">
        <span>{t('actionItems.ownedBy', { owner: entityName(item.ownerEntityId) })}</span>
        <span class={`due due-${status}${isDueSoon(item, today) ? ' due-soon' : ''}`}>{dueText(item, today)}</span>
        <span class={`status status-${status}`}>{t(`actionItems.status.${status}`)}</span>
        <span>{t('actionItems.percent', { percent: formatNumber(item.percent) })}</span>
      </p>
      <progress max={100} value={item.percent} aria-label={t('actionItems.progressLabel')} />
      {item.proposalId && (
        <p>
          <Link to={`/proposals/${encodeURIComponent(item.proposalId)}`}>{t('actionItems.implements')}</Link>
        </p>
      )}
      {latest && (
        <p class="latest">
          {messageParts('actionItems.latest', { step: describeStep(latest) })}{' '}
          <span class="muted">{tn('actionItems.steps', item.historyCount)}</span>
        </p>
      )}
      {(chair || owner) && (
        <div class="actions" role="group" aria-label={t('actionItems.actionsOf', { title: item.title })}>
          {open &&
            action(
              'progress',
              t('actionItems.reportProgress'),
              (form) =>
                call(
                  api.POST('/action-items/{id}/progress', {
                    ...path,
                    body: {
                      percent: Number(text(form, 'percent') || Number.NaN),
                      note: text(form, 'note'),
                      expectedVersion: seenVersion.current,
                    },
                  }),
                ),
              (error) => (
                <>
                  <Field label={t('actionItems.percentField')} path="body.percent" error={error}>
                    {(props) => (
                      <input
                        {...props}
                        name="percent"
                        type="number"
                        min={0}
                        max={100}
                        step={1}
                        defaultValue={String(item.percent)}
                      />
                    )}
                  </Field>
                  <Field label={t('actionItems.note')} path="body.note" error={error}>
                    {(props) => <textarea {...props} name="note" />}
                  </Field>
                </>
              ),
            )}
          {open &&
            action(
              'complete',
              t('actionItems.complete'),
              (form) => {
                const note = text(form, 'note');
                return call(
                  api.POST('/action-items/{id}/completion', {
                    ...path,
                    body: note.trim()
                      ? { note, expectedVersion: seenVersion.current }
                      : { expectedVersion: seenVersion.current },
                  }),
                );
              },
              (error) => (
                <Field label={t('actionItems.noteOptional')} path="body.note" error={error}>
                  {(props) => <textarea {...props} name="note" />}
                </Field>
              ),
            )}
          {open &&
            chair &&
            action(
              'due',
              t('actionItems.changeDueDate'),
              (form) =>
                call(
                  api.POST('/action-items/{id}/due-date', {
                    ...path,
                    body: {
                      dueDate: text(form, 'dueDate'),
                      reason: text(form, 'reason'),
                      expectedVersion: seenVersion.current,
                    },
                  }),
                ),
              (error) => (
                <>
                  <Field label={t('actionItems.dueDate')} path="body.dueDate" error={error}>
                    {(props) => <input {...props} name="dueDate" type="date" defaultValue={item.dueDate} />}
                  </Field>
                  {reason(error)}
                </>
              ),
            )}
          {open &&
            chair &&
            action(
              'cancel',
              t('actionItems.cancelItem'),
              (form) =>
                call(
                  api.POST('/action-items/{id}/cancellation', {
                    ...path,
                    body: { reason: text(form, 'reason'), expectedVersion: seenVersion.current },
                  }),
                ),
              reason,
              true,
            )}
          {!open &&
            chair &&
            action(
              'reopen',
              t('actionItems.reopen'),
              (form) =>
                call(
                  api.POST('/action-items/{id}/reopening', {
                    ...path,
                    body: { reason: text(form, 'reason'), expectedVersion: seenVersion.current },
                  }),
                ),
              reason,
            )}
        </div>
      )}
    </li>
  );
}
