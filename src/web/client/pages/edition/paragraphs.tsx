import { useState } from 'preact/hooks';
import { api, call } from '../../api';
import { useAction } from '../../components/action';
import { Link } from '../../components/link';
import { t } from '../../i18n';
import { versionTag } from '../proposal/model';
import { isConflict, WriteProblem } from './conflict';
import type { Declaration, Writer } from './model';
import { AddParagraph, ParagraphEditor } from './paragraphForms';

interface Props {
  declaration: Declaration;
  /** The secretariat, while the declaration is in draft. */
  editable: boolean;
  changed: () => void;
}

function useWriter(declaration: Declaration, changed: () => void): Writer {
  const action = useAction();
  const write: Writer['write'] = async (request, version = declaration.version) => {
    let conflict = false;
    const ok = await action.run(async () => {
      try {
        await request({ 'if-match': versionTag(version) });
      } catch (error) {
        conflict = isConflict(error);
        throw error;
      }
    });
    if (ok || conflict) changed();
    return ok;
  };
  return { action, write, path: { id: declaration.editionId }, version: declaration.version };
}

/** The declaration's paragraphs, numbered; in draft, the secretariat edits, moves, removes and adds them. */
export function Paragraphs({ declaration, editable, changed }: Props) {
  const writer = useWriter(declaration, changed);
  const [editing, setEditing] = useState<number | null>(null);
  const { paragraphs } = declaration;
  const move = (n: number, to: number) =>
    void writer.write((header) =>
      call(
        api.POST('/editions/{id}/declaration/paragraphs/{n}/move', {
          params: { path: { ...writer.path, n }, header },
          body: { to },
        }),
      ),
    );
  const remove = (n: number) =>
    void writer.write((header) =>
      call(
        api.DELETE('/editions/{id}/declaration/paragraphs/{n}', { params: { path: { ...writer.path, n }, header } }),
      ),
    );
  return (
    <section aria-label={t('declaration.paragraphs.region')} class="paragraphs">
      <h2>{t('declaration.paragraphs.heading')}</h2>
      {editable && <WriteProblem error={writer.action.error} />}
      {paragraphs.length === 0 && <p class="muted">{t('declaration.paragraphs.empty')}</p>}
      <ol class="paragraph-list">
        {paragraphs.map((paragraph) => (
          <li key={paragraph.n} value={paragraph.n} class="paragraph">
            <h3 class="paragraph-number">{t('declaration.paragraphs.number', { n: paragraph.n })}</h3>
            {editing === paragraph.n ? (
              <ParagraphEditor paragraph={paragraph} writer={writer} done={() => setEditing(null)} />
            ) : (
              <div class="paragraph-text" dir="auto">
                {paragraph.text}
              </div>
            )}
            {paragraph.sourceProposalId && (
              <p class="muted">
                <Link to={`/proposals/${encodeURIComponent(paragraph.sourceProposalId)}`}>
                  {t('declaration.paragraphs.source')}
                </Link>
              </p>
            )}
            {editable && editing !== paragraph.n && (
              <p class="actions">
                <button type="button" class="secondary small" onClick={() => setEditing(paragraph.n)}>
                  {t('declaration.paragraphs.edit', { n: paragraph.n })}
                </button>
                {paragraph.n > 1 && (
                  <button
                    type="button"
                    class="secondary small"
                    disabled={writer.action.busy}
                    onClick={() => move(paragraph.n, paragraph.n - 1)}
                  >
                    {t('declaration.paragraphs.moveUp', { n: paragraph.n })}
                  </button>
                )}
                {paragraph.n < paragraphs.length && (
                  <button
                    type="button"
                    class="secondary small"
                    disabled={writer.action.busy}
                    onClick={() => move(paragraph.n, paragraph.n + 1)}
                  >
                    {t('declaration.paragraphs.moveDown', { n: paragraph.n })}
                  </button>
                )}
                <button
                  type="button"
                  class="danger small"
                  disabled={writer.action.busy}
                  onClick={() => remove(paragraph.n)}
                >
                  {t('declaration.paragraphs.remove', { n: paragraph.n })}
                </button>
              </p>
            )}
          </li>
        ))}
      </ol>
      {editable && <AddParagraph count={paragraphs.length} writer={writer} />}
    </section>
  );
}
