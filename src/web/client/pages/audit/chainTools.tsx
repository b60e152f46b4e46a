import { useEffect, useRef, useState } from 'preact/hooks';
import { api, call } from '../../api';
import { useAction } from '../../components/action';
import { ProblemNotice } from '../../components/problem';
import { formatNumber, t } from '../../i18n';

type Verification = Awaited<ReturnType<typeof verify>>;

function verify() {
  return call(api.GET('/audit/verify'));
}

function VerifyResult({ result }: { result: Verification }) {
  const hash = result.head.hash.slice(0, 12);
  if (result.ok)
    return (
      <p class="notice">
        {t('audit.verify.ok', { checked: formatNumber(result.checked), position: result.head.position, hash })}
      </p>
    );
  return (
    <p class="problem">
      {result.failure
        ? t('audit.verify.broken', {
            position: result.failure.position,
            reason: result.failure.reason,
            checked: formatNumber(result.checked),
          })
        : t('audit.verify.failed', { checked: formatNumber(result.checked) })}
    </p>
  );
}

/** A file made in the page, offered by a link with `download` (its object URL freed when replaced or gone). */
interface Prepared {
  url: string;
  name: string;
}

function revoke(files: Prepared[]): void {
  for (const file of files) URL.revokeObjectURL(file.url);
}

function usePrepared(): [Prepared[], (files: Array<{ name: string; blob: Blob }>) => void] {
  const [files, setFiles] = useState<Prepared[]>([]);
  const held = useRef<Prepared[]>([]);
  useEffect(() => () => revoke(held.current), []);
  const replace = (next: Array<{ name: string; blob: Blob }>) => {
    revoke(held.current);
    held.current = next.map(({ name, blob }) => ({ name, url: URL.createObjectURL(blob) }));
    setFiles(held.current);
  };
  return [files, replace];
}

/**
 * A download of data that needs the bearer token (a plain link cannot send it): the button reads it through
 * the typed client, then the page offers the result as links to save, and moves focus to the first one.
 */
function Download({
  label,
  read,
  links,
}: {
  label: string;
  read: () => Promise<Array<{ name: string; blob: Blob }>>;
  links: Record<string, string>;
}) {
  const [files, replace] = usePrepared();
  const { busy, error, run } = useAction();
  const first = useRef<HTMLAnchorElement>(null);
  useEffect(() => first.current?.focus(), [files]);
  return (
    <div class="download">
      <button type="button" disabled={busy} onClick={() => void run(async () => replace(await read()))}>
        {label}
      </button>
      {files.map((file, index) => (
        <a key={file.url} ref={index === 0 ? first : undefined} href={file.url} download={file.name}>
          {links[file.name] ?? file.name}
        </a>
      ))}
      <ProblemNotice error={error} />
    </div>
  );
}

async function readExport(): Promise<Array<{ name: string; blob: Blob }>> {
  const blob = await call(api.GET('/audit/export', { parseAs: 'blob' }));
  return [{ name: EXPORT_FILE, blob: new Blob([blob], { type: 'application/x-ndjson' }) }];
}

async function readCheckpoint(): Promise<Array<{ name: string; blob: Blob }>> {
  const [checkpoint, key] = await Promise.all([
    call(api.GET('/audit/checkpoint', { parseAs: 'text' })),
    call(api.GET('/audit/public-key', { parseAs: 'text' })),
  ]);
  return [
    { name: CHECKPOINT_FILE, blob: new Blob([checkpoint], { type: 'application/json' }) },
    { name: KEY_FILE, blob: new Blob([key], { type: 'application/x-pem-file' }) },
  ];
}

const EXPORT_FILE = 'dialogue-log.ndjson';
const CHECKPOINT_FILE = 'dialogue-checkpoint.json';
const KEY_FILE = 'dialogue-public-key.pem';

/** Verify the chain on the server, and take the log and a signed checkpoint away to verify offline. */
export function ChainTools() {
  const [result, setResult] = useState<Verification | null>(null);
  const { busy, error, run } = useAction();
  return (
    <section aria-label={t('audit.chain.region')}>
      <h2>{t('audit.chain.heading')}</h2>
      <div class="actions">
        <button type="button" disabled={busy} onClick={() => void run(async () => setResult(await verify()))}>
          {t('audit.verify.button')}
        </button>
        {busy && <span class="muted">{t('audit.verify.running')}</span>}
      </div>
      <div role="status" aria-label={t('audit.verify.result')}>
        {result && <VerifyResult result={result} />}
      </div>
      <ProblemNotice error={error} />
      <h3>{t('audit.download.heading')}</h3>
      <p class="hint">{t('audit.download.hint')}</p>
      <Download
        label={t('audit.download.export')}
        read={readExport}
        links={{ [EXPORT_FILE]: t('audit.download.saveExport') }}
      />
      <Download
        label={t('audit.download.checkpoint')}
        read={readCheckpoint}
        links={{ [CHECKPOINT_FILE]: t('audit.download.saveCheckpoint'), [KEY_FILE]: t('audit.download.saveKey') }}
      />
    </section>
  );
}
