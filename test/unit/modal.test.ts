import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { UserFacingError } from '../../src/errors.js';
import { type ModalField, parseMetadata, parseModal, readViewState, saveOrShowErrors } from '../../src/slack/modal.js';

const FIELDS: ModalField[] = [
  { block: 'name', action: 'name_input', read: 'value' },
  { block: 'day', action: 'day_pick', read: 'selected_date' },
  { block: 'rating', action: 'rating_choice', read: 'selected_option' },
  { block: 'tags', action: 'tags_choice', read: 'selected_options' },
];

const schema = z.object({
  name: z.string({ error: 'Name it.' }).min(1, { error: 'Name it.' }),
  day: z.iso.date().optional(),
  rating: z.enum(['1', '2'], { error: 'Pick a rating.' }),
  tags: z.array(z.string()).default([]),
});

describe('modal plumbing', () => {
  it('reads each input by its kind, and Slack’s null for an empty one as absent', () => {
    const values = {
      name: { name_input: { type: 'plain_text_input', value: 'Dana' } },
      day: { day_pick: { type: 'datepicker', selected_date: null } },
      rating: { rating_choice: { type: 'radio_buttons', selected_option: { value: '2' } } },
      tags: { tags_choice: { type: 'checkboxes', selected_options: [{ value: 'a' }, { value: 'b' }] } },
    };
    expect(readViewState(values, FIELDS)).toEqual({ name: 'Dana', day: undefined, rating: '2', tags: ['a', 'b'] });
  });

  it('puts the first problem of each field under its block, and fixed answers are validated too', () => {
    const parsed = parseModal(schema, { tags: { tags_choice: { selected_options: [{ value: 5 }] } } }, FIELDS);
    expect(parsed).toEqual({
      ok: false,
      errors: { name: 'Name it.', rating: 'Pick a rating.', tags: expect.any(String) },
    });
    expect(parseModal(schema, {}, FIELDS, { name: 'Fixed', rating: '1' })).toEqual({
      ok: true,
      value: { name: 'Fixed', rating: '1', tags: [] },
    });
  });

  it('treats private_metadata that is not ours as absent', () => {
    const metadata = z.object({ handoffId: z.uuid() });
    expect(parseMetadata(metadata, '{"handoffId":"5b0c3c55-6f2d-4c1a-9a57-2f6a1c1d0e11"}')).toEqual({
      handoffId: '5b0c3c55-6f2d-4c1a-9a57-2f6a1c1d0e11',
    });
    expect(parseMetadata(metadata, '{"handoffId":"x"}')).toEqual({});
    expect(parseMetadata(metadata, 'not json')).toEqual({});
    expect(parseMetadata(metadata, undefined)).toEqual({});
  });

  describe('saving a submission', () => {
    const acks: unknown[] = [];
    const ack = async (response?: unknown) => {
      acks.push(response);
    };

    it('closes the modal once saved', async () => {
      acks.length = 0;
      expect(await saveOrShowErrors(ack, 'name', async () => 42)).toEqual({ saved: 42 });
      expect(acks).toEqual([undefined]);
    });

    it('keeps the modal open with the person’s own words for a refusal', async () => {
      acks.length = 0;
      const refused = () => Promise.reject(new UserFacingError('That lead no longer exists.'));
      expect(await saveOrShowErrors(ack, 'name', refused)).toBeUndefined();
      expect(acks).toEqual([{ response_action: 'errors', errors: { name: 'That lead no longer exists.' } }]);
    });

    it('asks to submit again after a failure, and passes the error on to be logged', async () => {
      acks.length = 0;
      const failed = () => Promise.reject(new Error('connection reset'));
      await expect(saveOrShowErrors(ack, 'rating', failed)).rejects.toThrow('connection reset');
      expect(acks).toEqual([
        { response_action: 'errors', errors: { rating: expect.stringMatching(/could not save.*submit again/) } },
      ]);
    });
  });
});
