import { useAction } from '../../components/action';
import { ProblemNotice } from '../../components/problem';

const URL_LIFETIME_MS = 1000;

interface Props {
  label: string;
  fileName: string;
  /** Reads the document through the typed client (a plain link could not send the bearer token). */
  read: () => Promise<Blob>;
}

/** A document of the API as a file: fetched with the token, handed to the browser as an object URL. */
export function DownloadButton({ label, fileName, read }: Props) {
  const { busy, error, run } = useAction();
  const download = () =>
    run(async () => {
      const url = URL.createObjectURL(await read());
      const link = document.createElement('a');
      link.href = url;
      link.download = fileName;
      link.hidden = true;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), URL_LIFETIME_MS);
    });
  return (
    <span class="download">
      <button type="button" class="secondary" disabled={busy} onClick={() => void download()}>
        {label}
      </button>
      <ProblemNotice error={error} />
    </span>
  );
}
