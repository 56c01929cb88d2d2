// Time in tests: the practice's zone and the practice's clock. Every Hearth a test starts
// runs on a clock the test chose, never the machine's (docs/testing.md). No browser here,
// so the desktop tests and the benchmarks use it too.

/** Local date `YYYY-MM-DD` of an instant in a zone. */
export function localDate(ms, timeZone) {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}

/** `HH:MM` of an instant in a zone. */
export function localTime(ms, timeZone) {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);
}

/** The instant of a local date and `HH:MM` in a zone. */
export function instant(date, hhmm, timeZone) {
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = hhmm.split(':').map(Number);
  const guess = Date.UTC(y, m - 1, d, hh, mm);
  const offset = (ms) => {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-GB', {
        timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
      }).formatToParts(ms).map((p) => [p.type, p.value]),
    );
    return Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute) - ms;
  };
  let ms = guess - offset(guess);
  ms = guess - offset(ms);
  return ms;
}

export function addDays(date, n) {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** A weekday (1 = Monday … 5 = Friday) at least `weeks` weeks after `fromMs`'s day in the zone. */
export function futureWeekday(timeZone, weekday, weeks, fromMs) {
  if (typeof fromMs !== 'number') throw new Error('futureWeekday: from which instant? (hearth.now())');
  let date = addDays(localDate(fromMs, timeZone), weeks * 7);
  const [y, m, d] = date.split('-').map(Number);
  const dow = new Date(Date.UTC(y, m - 1, d)).getUTCDay() || 7;
  return addDays(date, (weekday - dow + 7) % 7);
}

/**
 * The instant of the next `weekday` (1 = Monday … 7 = Sunday) at `hhmm` in `timeZone`,
 * strictly after the local day of `fromMs`.
 */
export function nextWeekdayAt(weekday, hhmm, timeZone, fromMs) {
  const today = localDate(fromMs, timeZone);
  const [y, m, d] = today.split('-').map(Number);
  const dow = new Date(Date.UTC(y, m - 1, d)).getUTCDay() || 7;
  return instant(addDays(today, ((weekday - dow + 6) % 7) + 1), hhmm, timeZone);
}

/**
 * The practice's clock in tests: a Tuesday at 10:30 in London (the demo's zone and busy
 * day: opening hours, someone in the waiting room), the next one after the machine's date.
 * Every Hearth a test starts runs on it unless the test chooses another instant, so no
 * test depends on the day or hour the machine runs it (see docs/testing.md).
 */
export function deskMorning(fromMs = Date.now()) {
  return nextWeekdayAt(2, '10:30', 'Europe/London', fromMs);
}
