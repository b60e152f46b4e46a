import { useEffect, useState } from 'preact/hooks';
import { t } from '../../i18n';

/** The browser's time, read again every `intervalMs` while `ticking`: what countdowns are measured from. */
export function useNow(ticking: boolean, intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [ticking, intervalMs]);
  return now;
}

/** The time left until `until`, in days, hours, minutes and seconds (the larger units only when not zero). */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const pad = (value: number) => String(value).padStart(2, '0');
  if (days > 0) return t('edition.countdown.days', { days, hours, minutes: pad(minutes), seconds: pad(seconds) });
  if (hours > 0) return t('edition.countdown.hours', { hours, minutes: pad(minutes), seconds: pad(seconds) });
  return t('edition.countdown.minutes', { minutes, seconds: pad(seconds) });
}

/** A `datetime-local` value (the reader's local time) as an ISO instant, or null when empty or not a time. */
export function localToIso(value: string): string | null {
  if (value.trim() === '') return null;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? null : time.toISOString();
}

/** An instant as a `datetime-local` value in the reader's local time, to the minute. */
export function isoToLocal(iso: string): string {
  const time = new Date(iso);
  const local = new Date(time.getTime() - time.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}
