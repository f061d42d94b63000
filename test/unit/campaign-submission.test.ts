import { describe, expect, it } from 'vitest';
import { ACTION, BLOCK } from '../../src/features/campaigns/ids.js';
import { campaignEvent, parseCampaignMetadata, parseCampaignSubmission } from '../../src/features/campaigns/schema.js';

type Values = Record<string, Record<string, object>>;
const text = (value: unknown) => ({ type: 'plain_text_input', value });

const values = (overrides: Values = {}): Values => ({
  [BLOCK.name]: { [ACTION.name]: text('  Spring Webinar ') },
  [BLOCK.startsOn]: { [ACTION.startsOn]: { type: 'datepicker', selected_date: '2027-03-02' } },
  [BLOCK.endsOn]: { [ACTION.endsOn]: { type: 'datepicker', selected_date: null } },
  [BLOCK.audience]: { [ACTION.audience]: text(null) },
  [BLOCK.goal]: { [ACTION.goal]: text('   ') },
  [BLOCK.talkingPoints]: { [ACTION.talkingPoints]: text('Line one\nLine two') },
  [BLOCK.offer]: { [ACTION.offer]: text(null) },
  [BLOCK.url]: { [ACTION.url]: { type: 'url_text_input', value: ' https://example.com/x ' } },
  ...overrides,
});

describe('parseCampaignSubmission', () => {
  it('turns modal state into the webhook contract, trimmed, with empty inputs absent', () => {
    const parsed = parseCampaignSubmission(values());
    expect(parsed).toEqual({
      ok: true,
      value: {
        name: 'Spring Webinar',
        starts_at: '2027-03-02T00:00:00Z',
        ends_at: undefined,
        audience: undefined,
        goal: undefined,
        talking_points: 'Line one\nLine two',
        offer: undefined,
        url: 'https://example.com/x',
        channel: undefined,
        budget: undefined,
      },
    });
    // What the modal produces is a valid webhook campaign too: one contract for both paths.
    if (!parsed.ok) throw new Error('expected ok');
    const event = {
      event_id: 'slack:V1',
      campaign: { ...parsed.value, id: 'slack-x', owner: { slack_user_id: 'UMKT0009' } },
    };
    expect(campaignEvent.safeParse(event).success).toBe(true);
  });

  it('keys errors by block id', () => {
    expect(parseCampaignSubmission(values({ [BLOCK.name]: {} }))).toEqual({
      ok: false,
      errors: { [BLOCK.name]: 'Give the campaign a name.' },
    });
    const forged = parseCampaignSubmission(
      values({
        [BLOCK.name]: { [ACTION.name]: text('x'.repeat(301)) },
        [BLOCK.startsOn]: { [ACTION.startsOn]: { type: 'datepicker', selected_date: 'tomorrow' } },
        [BLOCK.talkingPoints]: { [ACTION.talkingPoints]: text(42) },
        [BLOCK.url]: { [ACTION.url]: { type: 'url_text_input', value: 'ftp://example.com' } },
      }),
    );
    expect(forged.ok).toBe(false);
    if (forged.ok) return;
    expect(Object.keys(forged.errors).sort()).toEqual(
      [BLOCK.name, BLOCK.startsOn, BLOCK.talkingPoints, BLOCK.url].sort(),
    );
    expect(forged.errors[BLOCK.startsOn]).toBe('Pick a date from the calendar.');
  });

  it('allows a one-day campaign and refuses one that ends before it starts', () => {
    const day = { type: 'datepicker', selected_date: '2027-03-02' };
    const oneDay = parseCampaignSubmission(values({ [BLOCK.endsOn]: { [ACTION.endsOn]: day } }));
    expect(oneDay.ok).toBe(true);
    const backwards = parseCampaignSubmission(
      values({ [BLOCK.endsOn]: { [ACTION.endsOn]: { type: 'datepicker', selected_date: '2027-03-01' } } }),
    );
    expect(backwards).toEqual({ ok: false, errors: { [BLOCK.endsOn]: 'The end date is before the start date.' } });
  });
});

describe('parseCampaignMetadata', () => {
  it('reads our own metadata and ignores anything odd', () => {
    expect(parseCampaignMetadata('{"responseUrl":"https://hooks.slack.com/x"}')).toEqual({
      responseUrl: 'https://hooks.slack.com/x',
    });
    expect(parseCampaignMetadata('not json')).toEqual({});
    expect(parseCampaignMetadata('{"responseUrl":42}')).toEqual({});
    expect(parseCampaignMetadata(undefined)).toEqual({});
  });
});
