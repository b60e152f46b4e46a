import { useState } from 'preact/hooks';
import { t } from '../i18n';
import { session } from '../session';
import { ChainTools } from './audit/chainTools';
import { EventLog } from './audit/eventLog';
import { TimeTravel } from './audit/timeTravel';
import { useEventLog } from './audit/useEventLog';

function AuditTools() {
  const [stream, setStream] = useState('');
  const log = useEventLog(stream);
  return (
    <>
      <EventLog log={log} stream={stream} onStream={setStream} />
      <ChainTools />
      <TimeTravel head={log.head} />
    </>
  );
}

/** The auditor's page: the log with its live tail, the chain's verification and downloads, and time travel. */
export function AuditPage() {
  const auditor = session.me.value?.role === 'auditor';
  return (
    <main id="content" class="audit">
      <h1>{t('audit.heading')}</h1>
      {auditor ? <AuditTools /> : <p class="notice">{t('audit.onlyAuditors')}</p>}
    </main>
  );
}
