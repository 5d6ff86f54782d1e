import type { Finding } from '../messages/message.js';

/** A state-machine record's history entry, as the demand and application schemas define it. */
export interface HistoryEntry {
  state: string;
  time: string;
  reason?: string;
}

/** Entries whose time is earlier than an entry before them (or than `start`). */
export function historyOutOfOrder(
  code: string,
  history: readonly HistoryEntry[],
  start = -Infinity,
): Finding[] {
  let previous = start;
  return history.flatMap((entry, index) => {
    const time = Date.parse(entry.time);
    const late = time < previous;
    previous = Math.max(previous, time);
    return late
      ? [{ code, location: `/history/${index}/time`, params: { found: entry.time }, found: entry.time }]
      : [];
  });
}

/** Entries of the given states that give no reason. */
export function historyWithoutReason(
  code: string,
  history: readonly HistoryEntry[],
  states: ReadonlySet<string>,
): Finding[] {
  return history.flatMap((entry, index) =>
    states.has(entry.state) && (entry.reason ?? '').trim() === ''
      ? [{ code, location: `/history/${index}/reason`, params: { state: entry.state } }]
      : [],
  );
}

/** The last entry when it does not record the current state. */
export function historyBehindState(code: string, state: string, history: readonly HistoryEntry[]): Finding[] {
  const last = history.length - 1;
  const entry = history[last];
  if (entry === undefined || entry.state === state) return [];
  const location = `/history/${last}/state`;
  return [
    { code, location, params: { found: entry.state, expected: state }, expected: state, found: entry.state },
  ];
}
