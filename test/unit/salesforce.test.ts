import { describe, expect, it } from 'vitest';
import { parseOutboundMessage, SOAP_ACK, soapFault } from '../../src/connectors/salesforce/soap.js';
import {
  instanceOf,
  modifiedAt,
  translateCampaign,
  translateLead,
  translateOpportunity,
} from '../../src/connectors/salesforce/translate.js';
import { sameOrg, tokenMatches } from '../../src/connectors/salesforce/verify.js';
import { outboundMessage, SF_INSTANCE, SF_ORG_ID } from '../support/salesforce-messages.js';

const options = { campaignField: 'Campaign_Code__c', defaultCurrency: 'USD', instanceUrl: SF_INSTANCE };

describe('Salesforce Outbound Message parsing', () => {
  it('reads the envelope: org, notifications, types, fields, nil as null, entities decoded', () => {
    const parsed = parseOutboundMessage(
      outboundMessage([
        {
          id: '04l000000000001AAA',
          type: 'Lead',
          fields: { Id: '00Q000000000001AAA', Company: 'A & B <C>', Phone: null },
        },
        { id: '04l000000000002AAA', type: 'Contact', fields: { Id: '003000000000001AAA' } },
      ]),
    );
    expect(parsed).toMatchObject({
      ok: true,
      message: {
        OrganizationId: SF_ORG_ID,
        Notification: [
          { Id: '04l000000000001AAA', sObject: { type: 'Lead', fields: { Company: 'A & B <C>', Phone: null } } },
          { sObject: { type: 'Contact' } },
        ],
      },
    });
  });

  it('refuses what is not an Outbound Message, and any DOCTYPE', () => {
    expect(parseOutboundMessage('<a><b></a>')).toEqual({ ok: false, error: 'invalid_xml' });
    expect(parseOutboundMessage('<Envelope><Body/></Envelope>')).toEqual({ ok: false, error: 'invalid_payload' });
    expect(parseOutboundMessage('<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')).toEqual({
      ok: false,
      error: 'doctype_not_allowed',
    });
    const tooMany = Array.from({ length: 101 }, (_, i) => ({
      id: `04l0000000${String(i).padStart(5, '0')}AAA`,
      type: 'Lead',
      fields: { Id: '00Q000000000001AAA' },
    }));
    expect(parseOutboundMessage(outboundMessage(tooMany))).toEqual({ ok: false, error: 'invalid_payload' });
  });

  it('acks with notificationsResponse in the outbound namespace; faults carry a code only', () => {
    expect(SOAP_ACK).toContain(
      '<notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack>',
    );
    expect(soapFault('bad<x>')).toContain('<faultstring>badx</faultstring>');
  });

  it('checks the token in constant time and the org by its 15-character form', () => {
    expect(tokenMatches('secret-token-1234', 'secret-token-1234')).toBe(true);
    expect(tokenMatches('secret-token-123', 'secret-token-1234')).toBe(false);
    expect(tokenMatches(null, 'secret-token-1234')).toBe(false);
    expect(sameOrg(SF_ORG_ID, SF_ORG_ID.slice(0, 15))).toBe(true);
    expect(sameOrg(SF_ORG_ID, SF_ORG_ID)).toBe(true);
    expect(sameOrg('00D000000000002EAA', SF_ORG_ID)).toBe(false);
  });
});

describe('Salesforce translation', () => {
  it('a Lead: its fields, the configured campaign field, the record link, its owner id', () => {
    const translated = translateLead(
      {
        Id: '00Q000000000001AAA',
        FirstName: 'Dana',
        LastName: 'Whitfield',
        Email: 'dana@northwind.example',
        LeadSource: 'Web',
        Status: 'Working',
        Campaign_Code__c: 'q4',
        OwnerId: '005000000000001AAA',
        LastModifiedDate: '2026-11-20T12:00:00.000Z',
        SystemModstamp: '2026-11-20T12:00:05.000Z',
      },
      options,
    );
    expect(translated).toEqual({
      event: {
        ownerId: '005000000000001AAA',
        event: expect.objectContaining({
          event_id: 'salesforce:lead:00Q000000000001AAA:owner:005000000000001AAA',
          occurred_at: '2026-11-20T12:00:05.000Z',
          lead: expect.objectContaining({
            name: 'Dana Whitfield',
            source: 'Web',
            campaign_id: 'q4',
            notes: 'Salesforce lead status: Working',
            url: `${SF_INSTANCE}/00Q000000000001AAA`,
          }),
          owner: {},
        }),
      },
    });
    expect(translateLead({ Id: '00Q000000000001AAA', LastName: 'X', OwnerId: null }, options)).toEqual({
      skip: 'lead has no owner',
    });
  });

  it('an Opportunity: closed won or lost, default currency, the close date, the primary campaign', () => {
    const fields = { Id: '006000000000001AAA', Name: 'Big', Amount: '10.5', CloseDate: '2026-11-21', IsClosed: 'true' };
    const lost = translateOpportunity({ ...fields, IsWon: 'false', CampaignId: '701000000000001AAA' }, options);
    expect(lost).toMatchObject({
      event: {
        event: {
          event_id: 'salesforce:opportunity:006000000000001AAA:lost',
          deal: {
            stage: 'lost',
            amount: 10.5,
            currency: 'USD',
            closed_at: '2026-11-21T00:00:00Z',
            campaign_id: '701000000000001AAA',
          },
        },
      },
    });
    const won = translateOpportunity({ ...fields, IsWon: 'true', CurrencyIsoCode: 'EUR' }, options);
    expect(won).toMatchObject({ event: { event: { deal: { stage: 'won', currency: 'EUR' } } } });
    expect(translateOpportunity({ ...fields, IsClosed: 'false' }, options)).toEqual({ skip: 'opportunity is open' });
    expect(translateOpportunity({ ...fields, Amount: 'lots' }, options)).toHaveProperty('invalid');
  });

  it('a Campaign: Planned, In Progress, Completed and Aborted; other statuses skipped', () => {
    const status = (s: string) => {
      const t = translateCampaign({ Id: '701000000000001AAA', Name: 'C', Status: s }, options);
      return 'event' in t ? t.event.event.status : t;
    };
    expect(['Planned', 'In Progress', 'Completed', 'Aborted'].map(status)).toEqual([
      'planned',
      'launched',
      'ended',
      'ended',
    ]);
    expect(status('Draft')).toEqual({ skip: 'campaign status Draft is not tracked' });
  });

  it('staleness uses the newest of LastModifiedDate and SystemModstamp; the instance comes from EnterpriseUrl', () => {
    expect(modifiedAt({ Id: 'x', LastModifiedDate: '2026-11-20T12:00:00Z' })).toBe('2026-11-20T12:00:00.000Z');
    expect(modifiedAt({ Id: 'x' })).toBeUndefined();
    expect(instanceOf(`${SF_INSTANCE}/services/Soap/c/62.0/00D`)).toBe(SF_INSTANCE);
    expect(instanceOf('javascript:alert(1)')).toBeUndefined();
  });
});
