import { useEffect, useRef, useState } from 'preact/hooks';
import { useAction } from '../../components/action';
import { api, call, type Schemas } from '../../api';
import { Field } from '../../components/field';
import { ProblemNotice } from '../../components/problem';
import { entities, entityName } from '../../entities';
import { t } from '../../i18n';

type Group = Schemas['Group'];
/** Which of a group's two lists: its chairs or its participants. */
type Membership = 'chair' | 'participant';

const byName = (a: string, b: string) => entityName(a).localeCompare(entityName(b));

function add(groupId: string, membership: Membership, entityId: string) {
  const params = { path: { groupId } };
  return membership === 'chair'
    ? call(api.POST('/groups/{groupId}/chairs', { params, body: { entityId } }))
    : call(api.POST('/groups/{groupId}/participants', { params, body: { entityId } }));
}

function remove(groupId: string, membership: Membership, entityId: string) {
  const params = { path: { groupId, entityId } };
  return membership === 'chair'
    ? call(api.DELETE('/groups/{groupId}/chairs/{entityId}', { params }))
    : call(api.DELETE('/groups/{groupId}/participants/{entityId}', { params }));
}

const LABELS = {
  chair: {
    heading: 'admin.chairs',
    remove: 'admin.removeChair',
    confirm: 'admin.confirmRemoveChair',
    pick: 'admin.chairToAppoint',
    add: 'admin.appointChair',
    none: 'admin.noChairs',
    nobody: 'admin.noneToAppoint',
  },
  participant: {
    heading: 'admin.participants',
    remove: 'admin.removeParticipant',
    confirm: 'admin.confirmRemoveParticipant',
    pick: 'admin.participantToAdd',
    add: 'admin.addParticipant',
    none: 'admin.noParticipants',
    nobody: 'admin.noneToAdd',
  },
} as const;

interface ListProps {
  group: Group;
  membership: Membership;
  members: string[];
  candidates: string[];
  onChanged: () => void;
}

/** One list of a group (its chairs or its participants): remove with a confirmation, add from the candidates. */
function EntityList({ group, membership, members, candidates, onChanged }: ListProps) {
  const labels = LABELS[membership];
  const [pending, setPending] = useState<string | null>(null);
  const [choice, setChoice] = useState('');
  const action = useAction();
  const { busy, error } = action;
  const confirm = useRef<HTMLButtonElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => confirm.current?.focus(), [pending]);
  const picked = candidates.includes(choice) ? choice : (candidates[0] ?? '');
  const run = (request: Promise<unknown>, after: () => void) =>
    void action.run(async () => {
      await request;
      after();
      onChanged();
    });
  return (
    <div class="entity-list">
      <h3 ref={heading} tabIndex={-1}>
        {t(labels.heading)}
      </h3>
      {members.length === 0 && <p class="muted">{t(labels.none)}</p>}
      <ul>
        {members.map((entityId) => (
          <li key={entityId}>
            <span class="entity-name">{entityName(entityId)}</span>
            {pending === entityId ? (
              <fieldset
                class="confirm"
                aria-label={t(labels.confirm, { name: entityName(entityId), group: group.name })}
              >
                <span>{t(labels.confirm, { name: entityName(entityId), group: group.name })}</span>
                <button
                  ref={confirm}
                  type="button"
                  class="danger"
                  disabled={busy}
                  onClick={() =>
                    run(remove(group.id, membership, entityId), () => {
                      setPending(null);
                      heading.current?.focus();
                    })
                  }
                >
                  {t('admin.confirmRemoval')}
                </button>
                <button type="button" class="secondary" onClick={() => setPending(null)}>
                  {t('common.cancel')}
                </button>
              </fieldset>
            ) : (
              <button
                type="button"
                class="secondary"
                aria-label={t(labels.remove, { name: entityName(entityId) })}
                onClick={() => setPending(entityId)}
              >
                {t('admin.remove')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <ProblemNotice error={error} />
      {candidates.length === 0 ? (
        <p class="muted">{t(labels.nobody)}</p>
      ) : (
        <form
          class="filters"
          onSubmit={(submitted) => {
            submitted.preventDefault();
            if (picked !== '') run(add(group.id, membership, picked), () => setChoice(''));
          }}
        >
          <Field label={t(labels.pick, { group: group.name })}>
            {(props) => (
              <select {...props} value={picked} onChange={(changed) => setChoice(changed.currentTarget.value)}>
                {candidates.map((entityId) => (
                  <option key={entityId} value={entityId}>
                    {entityName(entityId)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <button type="submit" disabled={busy}>
            {t(labels.add)}
          </button>
        </form>
      )}
    </div>
  );
}

/** A group's chairs and participants, as the secretariat manages them. */
export function GroupPanel({ group, onChanged }: { group: Group; onChanged: () => void }) {
  const all = [...entities.value.values()];
  const chairs = [...group.chairs].sort(byName);
  const participants = [...group.participants].sort(byName);
  // Only a participating member entity can chair (the API says so with a 409 otherwise).
  const chairCandidates = participants.filter(
    (id) => !group.chairs.includes(id) && entities.value.get(id)?.kind === 'member',
  );
  const participantCandidates = all
    .map((entity) => entity.id)
    .filter((id) => !group.participants.includes(id))
    .sort(byName);
  return (
    <section aria-label={group.name} class="card admin-group">
      <h2>{group.name}</h2>
      <EntityList
        group={group}
        membership="chair"
        members={chairs}
        candidates={chairCandidates}
        onChanged={onChanged}
      />
      <EntityList
        group={group}
        membership="participant"
        members={participants}
        candidates={participantCandidates}
        onChanged={onChanged}
      />
    </section>
  );
}
