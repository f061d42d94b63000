import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { uploadFile } from '../../slack/files.js';
import { enqueue } from '../../slack/outbox.js';
import { chartAltText, chartData, chartSpec, chartWeeks } from './chart.js';
import { renderChart } from './render.js';

/** How the chart is drawn: the real renderer, or (in tests) one that fails. */
export type ChartRenderer = typeof renderChart;

type ChartConfig = Pick<Config, 'handoffSlaHours' | 'schedule'>;

export interface RenderedChart {
  png: Buffer;
  altText: string;
  title: string;
  filename: string;
}

/** The last 8 whole weeks (in DIGEST_TIMEZONE) before `now`'s week, drawn. */
export async function weeklyChart(
  db: Db,
  now: Date,
  config: ChartConfig,
  render: ChartRenderer = renderChart,
): Promise<RenderedChart> {
  const timeZone = config.schedule.timezone;
  const data = await chartData(db, chartWeeks(timeZone, { now }), { slaHours: config.handoffSlaHours, timeZone });
  const png = await render(chartSpec(data));
  const last = data.weeks.at(-1);
  return {
    png,
    altText: chartAltText(data),
    title: `Handoffs, acceptance and lead rating: ${data.weeks.length} weeks to ${last?.label ?? ''}`,
    filename: `tandem-weekly-${(last?.to ?? now.toISOString()).slice(0, 10)}.png`,
  };
}

/**
 * Queues the chart as a file upload into the thread of the digest post `digestOutboxId`. The PNG is stored in the
 * outbox row (base64, ~150 kB): the outbox then retries only the upload, and every replica delivers the same image,
 * whatever the data has become since.
 */
export async function queueChart(db: Db, digestOutboxId: string, chart: RenderedChart): Promise<string> {
  return enqueue(db, {
    method: 'files.upload',
    dependsOn: digestOutboxId,
    payload: {
      filename: chart.filename,
      title: chart.title,
      alt_text: chart.altText,
      content_base64: chart.png.toString('base64'),
    },
  });
}

/**
 * Uploads the chart without sharing it anywhere, for an image block to reference (a response_url message or a Home
 * tab cannot carry a file itself). Returns the file's id.
 */
export function uploadPrivately(slack: WebClient, chart: RenderedChart): Promise<string> {
  return uploadFile(slack, { bytes: chart.png, filename: chart.filename, title: chart.title, altText: chart.altText });
}

/** An image block showing an uploaded chart. */
export function chartImageBlock(fileId: string, chart: Pick<RenderedChart, 'altText' | 'title'>): KnownBlock {
  return {
    type: 'image',
    slack_file: { id: fileId },
    alt_text: chart.altText,
    title: { type: 'plain_text', text: chart.title.slice(0, 2000) },
  };
}
