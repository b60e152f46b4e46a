import { useId } from 'preact/hooks';
import { describeError } from '../../api';
import { Field } from '../../components/field';
import { t } from '../../i18n';
import { pillarName, VISIBILITIES, type Visibility } from './filters';
import { SimilarProposals } from './similar';
import type { SimilarWhileTyping as Similar } from './useSimilarWhileTyping';

interface PillarProps {
  pillars: string[];
  chosen: string[];
  /** The refusal's message about the pillars, shown under the list. */
  problem: string | undefined;
  onToggle: (pillar: string, on: boolean) => void;
}

/** The pillars a new proposal serves, as checkboxes grouped under their legend. */
export function PillarChoice({ pillars, chosen, problem, onToggle }: PillarProps) {
  const pillarsId = useId();
  return (
    <fieldset
      class="field pillars"
      aria-labelledby={`${pillarsId}-legend`}
      aria-describedby={problem ? `${pillarsId}-error` : undefined}
    >
      <legend id={`${pillarsId}-legend`}>{t('proposals.form.pillars')}</legend>
      {pillars.map((pillar) => (
        <label key={pillar} class="check">
          <input
            type="checkbox"
            name="pillars"
            value={pillar}
            checked={chosen.includes(pillar)}
            aria-invalid={problem ? true : undefined}
            onChange={(input) => onToggle(pillar, input.currentTarget.checked)}
          />
          {pillarName(pillar)}
        </label>
      ))}
      {problem && (
        <p class="field-error" id={`${pillarsId}-error`}>
          {problem}
        </p>
      )}
    </fieldset>
  );
}

interface VisibilityProps {
  value: Visibility;
  error: unknown;
  onChange: (value: Visibility) => void;
}

export function VisibilityField({ value, error, onChange }: VisibilityProps) {
  return (
    <Field
      label={t('proposals.form.visibility')}
      path="body.visibility"
      error={error}
      hint={t('proposals.form.visibilityHint')}
    >
      {(props) => (
        <select
          {...props}
          name="visibility"
          value={value}
          onChange={(input) =>
            onChange(VISIBILITIES.find((choice) => choice === input.currentTarget.value) ?? 'dialogue')
          }
        >
          {VISIBILITIES.map((choice) => (
            <option key={choice} value={choice}>
              {t(`proposals.form.visibility.${choice}`)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** The proposals resembling the text typed so far, announced politely as they change. */
export function SimilarSoFar({ similar, groupName }: { similar: Similar; groupName: (id: string) => string }) {
  return (
    <div class="similar-typing" aria-live="polite">
      <SimilarProposals items={similar.items} groupName={groupName} heading={t('proposals.similar.typing')} />
      {similar.tooLong && <p class="hint">{t('proposals.similar.tooLong')}</p>}
      {similar.error !== null && (
        <p class="hint">{t('proposals.similar.failed', { reason: describeError(similar.error) })}</p>
      )}
    </div>
  );
}
