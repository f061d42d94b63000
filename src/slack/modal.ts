import type { AckFn, ViewResponseAction } from '@slack/bolt';
import type { z } from 'zod';
import { UserFacingError } from '../errors.js';

/**
 * The plumbing every modal shares: reading its submitted state, validating it with a schema keyed by block id (so
 * a failed field maps straight onto `response_action: "errors"`), its private_metadata, and the save-or-show-errors
 * answer. Feature modals declare their fields and a schema; nothing else.
 */

/** `view.state.values`, typed loosely: it is untrusted input until parsed. */
export type ViewStateValues = Record<string, Record<string, object>>;

/** Where an input sits in the modal and which property of its state holds the answer. */
export interface ModalField {
  block: string;
  action: string;
  read: 'value' | 'selected_date' | 'selected_option' | 'selected_options';
}

export type ModalParse<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

/** The answers, keyed by block id; Slack's `null` for an empty input reads as absent. */
export function readViewState(values: ViewStateValues, fields: readonly ModalField[]): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  for (const { block, action, read } of fields) {
    const state = values[block]?.[action] as Record<string, unknown> | undefined;
    const raw = state?.[read] ?? undefined;
    if (read === 'selected_option') answers[block] = optionValue(raw);
    else if (read === 'selected_options') answers[block] = Array.isArray(raw) ? raw.map(optionValue) : undefined;
    else answers[block] = raw;
  }
  return answers;
}

function optionValue(option: unknown): unknown {
  return (option as { value?: unknown } | null | undefined)?.value;
}

/**
 * Validates a submitted modal, whatever Slack's client enforced: a forged or stale payload is answered with an
 * error under the field at fault (the first message per block), never stored. `fixed` answers (a lead the modal
 * shows rather than asks for) are validated like the rest.
 */
export function parseModal<Schema extends z.ZodType>(
  schema: Schema,
  values: ViewStateValues,
  fields: readonly ModalField[],
  fixed: Record<string, unknown> = {},
): ModalParse<z.output<Schema>> {
  const result = schema.safeParse({ ...readViewState(values, fields), ...fixed });
  if (result.success) return { ok: true, value: result.data };
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) errors[String(issue.path[0])] ??= issue.message;
  return { ok: false, errors };
}

/** Metadata is ours, but it round-trips through Slack: parse it, and treat anything odd as absent. */
export function parseMetadata<Schema extends z.ZodType<object>>(
  schema: Schema,
  raw: string | undefined,
): Partial<z.output<Schema>> {
  try {
    const parsed = schema.safeParse(JSON.parse(raw || '{}'));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

export const SAVE_FAILED =
  'Tandem could not save this just now. Your answers are still here: please submit again in a moment.';

/**
 * Runs a submission's save, then closes the modal. When it fails the modal stays open with the person's answers
 * and a message under `errorBlock`: a UserFacingError's own words, else a generic "try again" (and the error is
 * rethrown for app.error()). Returns the saved value, or undefined when nothing was saved.
 */
export async function saveOrShowErrors<T>(
  ack: AckFn<ViewResponseAction> | AckFn<void>,
  errorBlock: string,
  save: () => Promise<T>,
): Promise<{ saved: T } | undefined> {
  const answer = ack as AckFn<ViewResponseAction | undefined>;
  let saved: T;
  try {
    saved = await save();
  } catch (err) {
    const userFacing = err instanceof UserFacingError;
    await answer({ response_action: 'errors', errors: { [errorBlock]: userFacing ? err.message : SAVE_FAILED } });
    if (userFacing) return undefined;
    throw err;
  }
  await answer();
  return { saved };
}
