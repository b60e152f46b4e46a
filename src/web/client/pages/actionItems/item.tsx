import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';
import type { Schemas } from '../../api';
import { Link } from '../../components/link';
import { entityName } from '../../entities';
import { formatDate, formatNumber, formatTime, t, tn } from '../../i18n';
import { messageParts } from '../format';
import { ItemActions } from './itemActions';
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

/** One action item on the board, with the actions the signed-in delegate may take on it (and only those). */
export function ActionItemCard({ item, today, chair, entityId, onSaved }: Props) {
  const heading = useRef<HTMLHeadingElement>(null);
  const latest = item.history.at(-1);
  const owner = entityId !== null && entityId === item.ownerEntityId;
  const status = statusOf(item);
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
      <ItemActions item={item} chair={chair} owner={owner} heading={heading} onSaved={onSaved} />
    </li>
  );
}
