import { describe, expect, it } from 'vitest';
import { isWatched, translateAssignment, translateDeal } from '../../src/connectors/pipedrive/translate.js';
import { basicAuthMatches } from '../../src/connectors/pipedrive/verify.js';
import { pipedriveBody } from '../support/pipedrive-webhooks.js';

const basic = (v: string) => `Basic ${Buffer.from(v).toString('base64')}`;

describe('Pipedrive webhooks', () => {
  it('Basic auth: both parts must match', () => {
    expect(basicAuthMatches(basic('hook:secret-password'), 'hook', 'secret-password')).toBe(true);
    expect(basicAuthMatches(basic('hook:secret-passwor'), 'hook', 'secret-password')).toBe(false);
    expect(basicAuthMatches(basic('hooks:secret-password'), 'hook', 'secret-password')).toBe(false);
    expect(basicAuthMatches(basic('no-colon'), 'hook', 'secret-password')).toBe(false);
    expect(basicAuthMatches('Bearer x', 'hook', 'secret-password')).toBe(false);
    expect(basicAuthMatches(undefined, 'hook', 'secret-password')).toBe(false);
  });

  it('watches deals becoming won or lost and owner assignments; nothing else', () => {
    const deal = (status: string, previous: Record<string, unknown> | null) =>
      isWatched(pipedriveBody('change', 'deal', { id: 1, status }, previous));
    expect(deal('won', { status: 'open' })).toBe(true);
    expect(deal('lost', { status: 'open' })).toBe(true);
    expect(deal('won', { value: 10 })).toBe(false);
    expect(deal('open', { status: 'won' })).toBe(false);
    expect(isWatched(pipedriveBody('create', 'person', { id: 3, owner_id: 7 }))).toBe(true);
    expect(isWatched(pipedriveBody('change', 'person', { id: 3, owner_id: 7 }, { owner_id: 8 }))).toBe(true);
    expect(isWatched(pipedriveBody('change', 'person', { id: 3, owner_id: 7 }, { name: 'x' }))).toBe(false);
    expect(isWatched(pipedriveBody('delete', 'person', null, { id: 3 }))).toBe(false);
    expect(isWatched(pipedriveBody('create', 'activity', { id: 3, owner_id: 7 }))).toBe(false);
  });

  it('translates a person, a lead and a deal into the domain events, owners by id', () => {
    const body = pipedriveBody('create', 'person', {
      id: 3,
      first_name: 'Dana',
      last_name: 'W',
      owner_id: 7,
      emails: [
        { value: 'other@x.example', primary: false },
        { value: 'dana@x.example', primary: true },
      ],
      update_time: '2026-11-20T12:00:00Z',
    });
    expect(translateAssignment(body)).toMatchObject({
      event: {
        ownerId: '7',
        event: {
          event_id: 'pipedrive:person:3:owner:7',
          lead: { id: '3', name: 'Dana W', email: 'dana@x.example', url: 'https://acme.pipedrive.com/person/3' },
        },
      },
    });
    const lead = pipedriveBody('create', 'lead', {
      id: 'adf21080-0e10-11eb-879b-05d71fb426ec',
      title: 'Big one',
      owner_id: 7,
    });
    expect(translateAssignment(lead)).toMatchObject({ event: { event: { lead: { name: 'Big one' } } } });
    const won = pipedriveBody('change', 'deal', {
      id: 1,
      title: 'D',
      value: 10,
      currency: 'eur',
      status: 'won',
      won_time: '2026-11-21T10:00:00Z',
      person_id: 3,
      owner_id: 7,
    });
    expect(translateDeal(won)).toMatchObject({
      event: {
        ownerId: '7',
        event: {
          deal: { stage: 'won', amount: 10, currency: 'EUR', lead_id: '3', closed_at: '2026-11-21T10:00:00.000Z' },
        },
      },
    });
    expect(translateDeal(pipedriveBody('change', 'deal', { id: 1, status: 'open' }))).toEqual({ skip: 'deal is open' });
  });
});
