import { api, call, type Schemas } from '../../api';
import { Field } from '../../components/field';
import { useLoad } from '../../components/load';
import { entities, entityName } from '../../entities';
import { t } from '../../i18n';
import { ActionForm, text } from './actionForm';

/** The group's adopted proposals, which an item may implement (loaded when the form opens). */
function ProposalChoice({ groupId, error }: { groupId: string; error: unknown }) {
  const adopted = useLoad(
    () =>
      call(
        api.GET('/groups/{groupId}/proposals', {
          params: { path: { groupId }, query: { status: 'adopted', limit: 200 } },
        }),
      ),
    [groupId],
  );
  return (
    <Field label={t('actionItems.proposal')} path="body.proposalId" error={error ?? adopted.error}>
      {(props) => (
        <select {...props} name="proposalId">
          <option value="">{t('actionItems.noProposal')}</option>
          {adopted.data?.items.map((proposal) => (
            <option key={proposal.id} value={proposal.id} dir="auto">
              {proposal.title}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** The group's member entities by name: only they may own an item. */
export function memberEntities(group: Schemas['Group']): string[] {
  return group.participants
    .filter((id) => entities.value.get(id)?.kind === 'member')
    .sort((a, b) => entityName(a).localeCompare(entityName(b)));
}

interface Props {
  group: Schemas['Group'];
  onOpened: (id: string) => void;
}

/** A chair opens an item: its title, its owner (a member entity of the group), its due date, and the proposal it implements if any. */
export function OpenActionItem({ group, onOpened }: Props) {
  const owners = memberEntities(group);
  return (
    <ActionForm
      label={t('actionItems.open')}
      refocusAfterSend
      submit={async (form) => {
        const proposalId = text(form, 'proposalId');
        const body = {
          title: text(form, 'title'),
          ownerEntityId: text(form, 'ownerEntityId'),
          dueDate: text(form, 'dueDate'),
          ...(proposalId ? { proposalId } : {}),
        };
        const opened = await call(
          api.POST('/groups/{groupId}/action-items', { params: { path: { groupId: group.id } }, body }),
        );
        onOpened(opened.id);
      }}
    >
      {(error) => (
        <>
          <Field label={t('actionItems.title')} path="body.title" error={error}>
            {(props) => <input {...props} name="title" maxLength={200} required />}
          </Field>
          <Field label={t('actionItems.owner')} path="body.ownerEntityId" error={error}>
            {(props) => (
              <select {...props} name="ownerEntityId" required>
                <option value="">{t('actionItems.chooseOwner')}</option>
                {owners.map((id) => (
                  <option key={id} value={id}>
                    {entityName(id)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('actionItems.dueDate')} path="body.dueDate" error={error}>
            {(props) => <input {...props} name="dueDate" type="date" required />}
          </Field>
          <ProposalChoice groupId={group.id} error={error} />
        </>
      )}
    </ActionForm>
  );
}
