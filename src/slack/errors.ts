import type { AnyMiddlewareArgs, Context } from '@slack/bolt';
import { UserFacingError } from '../errors.js';
import type { Logger } from '../logger.js';
import { respondEphemeral } from './respond.js';

const APOLOGY = "Sorry, something went wrong on Tandem's side and nothing was saved. Please try again in a minute.";

/** What Bolt's extended error handler passes: the error and the request it came from. */
export interface ListenerFailure {
  error: Error;
  context: Context;
  body: AnyMiddlewareArgs['body'];
}

/**
 * Bolt's one error hook: every listener error lands here with its request. It is logged with context, and the
 * person who triggered it hears about it through the request's response_url when there is one.
 */
export async function reportListenerError({ error, context, body }: ListenerFailure, log: Logger) {
  const original = (error as { original?: unknown }).original ?? error;
  const userFacing = original instanceof UserFacingError;
  log[userFacing ? 'info' : 'error'](
    { err: original, requestId: context?.requestId, user: context?.userId },
    userFacing ? 'request refused' : 'listener failed',
  );
  const responseUrl = (body as { response_url?: unknown } | undefined)?.response_url;
  if (typeof responseUrl !== 'string') return;
  try {
    await respondEphemeral(responseUrl, userFacing ? (original as Error).message : APOLOGY);
  } catch (err) {
    log.warn({ err }, 'could not tell the user about the failure');
  }
}
