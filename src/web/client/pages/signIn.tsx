import { useState } from 'preact/hooks';
import { Field } from '../components/field';
import { t } from '../i18n';
import { session } from '../session';

/** The sign-in form: a token pasted in (the link way fills the session before the page shows). */
export function SignIn() {
  const [token, setToken] = useState('');
  const [empty, setEmpty] = useState(false);
  const reason = session.reason.value;
  return (
    <main id="content" class="sign-in">
      <h1>{t('signIn.heading')}</h1>
      {reason && (
        <p class="notice" role="status">
          {t(reason)}
        </p>
      )}
      <p>{t('signIn.intro')}</p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const value = token.trim();
          if (value === '') return setEmpty(true);
          session.start(value);
        }}
      >
        <Field label={t('signIn.token')}>
          {(props) => (
            <input
              {...props}
              type="password"
              autoComplete="off"
              spellcheck={false}
              value={token}
              aria-invalid={empty || undefined}
              aria-describedby={empty ? 'token-empty' : undefined}
              onInput={(event) => {
                setToken(event.currentTarget.value);
                setEmpty(false);
              }}
            />
          )}
        </Field>
        {empty && (
          <p class="field-error" id="token-empty" role="alert">
            {t('signIn.empty')}
          </p>
        )}
        <button type="submit">{t('signIn.submit')}</button>
      </form>
    </main>
  );
}
