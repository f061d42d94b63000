import type { WebClient } from '@slack/web-api';

export interface FileUpload {
  bytes: Buffer;
  filename: string;
  title: string;
  /** Read aloud by screen readers in place of an image. */
  altText: string;
  /** Shared into this channel (and thread) when given; otherwise the file stays the app's own, unshared. */
  channelId?: string;
  threadTs?: string;
}

/**
 * Uploads a file with Slack's current three-step flow (files.upload is retired): ask for an upload URL, POST the
 * bytes to it, then complete the upload, which shares the file where asked. Returns the file's id. Any step's
 * failure throws; a retry starts over with a new file (an unfinished upload is discarded by Slack).
 */
export async function uploadFile(slack: WebClient, upload: FileUpload, timeoutMs = 30_000): Promise<string> {
  const ticket = (await slack.apiCall('files.getUploadURLExternal', {
    filename: upload.filename,
    length: upload.bytes.length,
    alt_text: upload.altText,
  })) as { upload_url?: string; file_id?: string };
  if (!ticket.upload_url || !ticket.file_id)
    throw new Error('files.getUploadURLExternal gave no upload_url or file_id');

  const res = await fetch(ticket.upload_url, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: new Uint8Array(upload.bytes),
    signal: AbortSignal.timeout(timeoutMs),
  });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`file upload answered HTTP ${res.status}`);

  await slack.apiCall('files.completeUploadExternal', {
    files: JSON.stringify([{ id: ticket.file_id, title: upload.title }]),
    ...(upload.channelId ? { channel_id: upload.channelId } : {}),
    ...(upload.threadTs ? { thread_ts: upload.threadTs } : {}),
  });
  return ticket.file_id;
}
