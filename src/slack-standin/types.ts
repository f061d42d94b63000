/** What the Slack stand-in records and how it can be told to fail. */

/** One Web API call the app made, as the fake Slack received it. */
export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  token: string | undefined;
  at: number;
  /** What the fake answered: 200 with ok true/false, or the injected status. */
  status: number;
  /** Whether the answer was `ok: true`. */
  ok?: boolean;
  /** The ts the fake gave a posted message. */
  ts?: string;
}

/** A file uploaded through files.getUploadURLExternal → POST → files.completeUploadExternal. */
export interface UploadedFile {
  id: string;
  filename: string;
  /** The length announced to files.getUploadURLExternal. */
  length: number;
  /** The bytes POSTed to the upload URL, once they arrived. */
  bytes?: Buffer;
  /** Set by files.completeUploadExternal. */
  completed?: { title: unknown; channel_id: unknown; thread_ts: unknown };
}

/** A message posted to a response_url. */
export interface RecordedResponse {
  id: string;
  body: Record<string, unknown>;
}

/** Who a user is, for users.info (and for anything that shows people by name). */
export interface StandInProfile {
  name: string;
  realName: string;
  email?: string;
  title?: string;
  /** users.info `tz`: the user's IANA time zone. */
  tz?: string;
  /** The custom status: `profile.status_emoji`, `profile.status_text`, `profile.status_expiration` (unix s, 0: never). */
  status?: { emoji: string; text?: string; expiration: number };
}

export interface StandInOptions {
  /**
   * Seconds of the first message ts. A stand-in that reloads earlier messages (the demo, across restarts) starts
   * past them so a new message never takes an old one's ts.
   */
  firstTs?: number;
}

export type Fault =
  | { kind: 'ratelimited'; retryAfter: number }
  | { kind: 'http'; status: number }
  | { kind: 'error'; error: string }
  | { kind: 'hang'; ms: number };

export interface PendingFault {
  fault: Fault;
  remaining: number;
  when?: (args: Record<string, unknown>) => boolean;
}
