/** Dates and durations as a Chinese county reads them: Beijing time, in the console's language. */
const ZONE = 'Asia/Shanghai';

export function formatDateTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale, {
    timeZone: ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso));
}

export function formatDate(iso: string | null | undefined, locale: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale, { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

/** The largest unit that reads well: minutes under two hours, hours under two days, then days. */
export function durationParts(ms: number): { unit: 'minutes' | 'hours' | 'days'; n: number } {
  const minutes = Math.max(0, Math.round(Math.abs(ms) / 60_000));
  if (minutes < 120) return { unit: 'minutes', n: minutes };
  const hours = Math.round(minutes / 60);
  if (hours < 48) return { unit: 'hours', n: hours };
  return { unit: 'days', n: Math.round(hours / 24) };
}

/** Time left until a deadline (negative: how late), for the badges of lists and the workbench. */
export function timeLeft(deadline: string | null | undefined, now: number): { late: boolean; ms: number } | null {
  if (!deadline) return null;
  const ms = Date.parse(deadline) - now;
  return { late: ms <= 0, ms };
}
