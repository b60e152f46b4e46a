import { useState } from 'preact/hooks';
import { api, call, type Schemas } from '../../api';
import { Field } from '../../components/field';
import { t } from '../../i18n';
import type { Writer } from './model';

type Paragraph = Schemas['DeclarationParagraph'];

/**
 * One paragraph's text in a field; on a refusal the field keeps what was typed. The edit is sent against the
 * version it started from, so that a change made by someone else meanwhile (which the page shows live, but
 * not inside this field) is refused rather than overwritten; after a refusal, against what the page shows.
 */
export function ParagraphEditor({
  paragraph,
  writer,
  done,
}: {
  paragraph: Paragraph;
  writer: Writer;
  done: () => void;
}) {
  const [text, setText] = useState(paragraph.text);
  const [base, setBase] = useState<number | null>(writer.version);
  const save = (event: Event) => {
    event.preventDefault();
    void writer
      .write(
        (header) =>
          call(
            api.PUT('/editions/{id}/declaration/paragraphs/{n}', {
              params: { path: { ...writer.path, n: paragraph.n }, header },
              body: { text },
            }),
          ),
        base ?? writer.version,
      )
      .then((ok) => {
        if (ok) done();
        else setBase(null);
      });
  };
  return (
    <form noValidate onSubmit={save} class="paragraph-editor">
      <Field
        label={t('declaration.paragraphs.textOf', { n: paragraph.n })}
        path="body.text"
        error={writer.action.error}
      >
        {(props) => (
          <textarea
            {...props}
            rows={6}
            value={text}
            // biome-ignore lint/a11y/noAutofocus: the editor opens at the user's request, on the text it edits.
            autoFocus
            onInput={(event) => setText(event.currentTarget.value)}
          />
        )}
      </Field>
      <p class="actions">
        <button type="submit" disabled={writer.action.busy}>
          {t('declaration.paragraphs.save')}
        </button>
        <button type="button" class="secondary" onClick={done}>
          {t('common.cancel')}
        </button>
      </p>
    </form>
  );
}

/** A new paragraph, at the end or after a chosen one. */
export function AddParagraph({ count, writer }: { count: number; writer: Writer }) {
  const [text, setText] = useState('');
  const [after, setAfter] = useState('');
  const add = (event: Event) => {
    event.preventDefault();
    const place = after === '' ? {} : { after: Number(after) };
    void writer
      .write((header) =>
        call(
          api.POST('/editions/{id}/declaration/paragraphs', {
            params: { path: writer.path, header },
            body: { text, ...place },
          }),
        ),
      )
      .then((ok) => {
        if (!ok) return;
        setText('');
        setAfter('');
      });
  };
  return (
    <form noValidate onSubmit={add} class="add-paragraph">
      <h3>{t('declaration.paragraphs.addHeading')}</h3>
      <Field label={t('declaration.paragraphs.newText')} path="body.text" error={writer.action.error}>
        {(props) => (
          <textarea {...props} rows={4} required value={text} onInput={(event) => setText(event.currentTarget.value)} />
        )}
      </Field>
      <Field label={t('declaration.paragraphs.position')} path="body.after" error={writer.action.error}>
        {(props) => (
          <select {...props} value={after} onChange={(event) => setAfter(event.currentTarget.value)}>
            <option value="">{t('declaration.paragraphs.atEnd')}</option>
            <option value="0">{t('declaration.paragraphs.first')}</option>
            {Array.from({ length: Math.max(0, count - 1) }, (_, index) => (
              <option key={index + 1} value={String(index + 1)}>
                {t('declaration.paragraphs.after', { n: index + 1 })}
              </option>
            ))}
          </select>
        )}
      </Field>
      <button type="submit" disabled={writer.action.busy}>
        {t('declaration.paragraphs.add')}
      </button>
    </form>
  );
}
