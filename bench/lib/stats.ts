/** Summaries the figure scripts share, on top of report.ts's median and percentile. */
import { median, percentile } from './report.js';

export interface Latency {
  p50: number;
  p99: number;
}

/** p50 and p99 of one run's samples (milliseconds). */
export function latency(samples: readonly number[]): Latency {
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

/** The median over rounds of one figure of each round. */
export function medianOver<Round>(rounds: readonly Round[], figure: (round: Round) => number): number {
  return median(rounds.map(figure));
}

/** Milliseconds for a table cell. */
export function ms(value: number): string {
  return Number.isNaN(value) ? 'n/a' : `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
}

export function ratio(value: number): string {
  return `${value.toFixed(2)}×`;
}

/** "met" or "missed", for the verdict column. */
export function verdict(met: boolean): string {
  return met ? '**met**' : '**missed**';
}
