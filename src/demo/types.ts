/** What the demo page shows: messages with their threads, and open modals. */

type Json = Record<string, unknown>;

export interface DemoMessage {
  ts: string;
  /** When the page shows it as posted (ms): a seeded post shows the day its story happened. */
  at: number;
  text: string;
  blocks: unknown[];
  edited: boolean;
  /** Seen only by this user (a response_url answer or chat.postEphemeral). */
  onlyFor?: string;
  replies: DemoMessage[];
}

export interface DemoModal {
  id: string;
  view: Json;
  errors: Record<string, string>;
}
