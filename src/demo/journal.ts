import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import type { RecordedCall, RecordedResponse } from '../slack-standin/server.js';

/**
 * What Slack would remember across a restart of the demo, one JSON line per Web API call or response_url post.
 * The stand-in keeps them in memory only; without this the database would remember cards the page no longer shows.
 */
export type JournalEntry = { call: RecordedCall; shownAt?: number } | { response: RecordedResponse; at: number };

export function readJournal(path: string): JournalEntry[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as JournalEntry);
}

export function appendJournal(path: string, lines: string[]): void {
  if (lines.length > 0) appendFileSync(path, `${lines.join('\n')}\n`);
}

/** The largest ts (seconds) in the journal, so a new stand-in can start past it. */
export function lastJournalTs(path: string): number | undefined {
  const seconds = readJournal(path).flatMap((e) => ('call' in e && e.call.ts ? [Number.parseInt(e.call.ts, 10)] : []));
  return seconds.length > 0 ? Math.max(...seconds) : undefined;
}
