import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';

/**
 * Salesforce Outbound Messages: a SOAP 1.1 `notifications` call (namespace http://soap.sforce.com/2005/09/outbound)
 * with OrganizationId, ActionId, SessionId (nil unless "Send Session ID"), EnterpriseUrl, PartnerUrl and up to 100
 * Notification { Id, sObject xsi:type="sf:Lead" { sf:Field… } } (Salesforce API guide, "Understanding the Outbound
 * Messaging WSDL"). Parsed with fast-xml-parser; namespace prefixes are dropped, attributes kept as `@_name`.
 */
const parser = new XMLParser({
  ignoreAttributes: false,
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // One notification or many: always a list.
  isArray: (_name, jpath) => jpath === 'Envelope.Body.notifications.Notification',
});

const sfId = z.string().regex(/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/, 'must be a Salesforce id');
/** A field: its text, or `xsi:nil="true"` (null). Nested elements (related records) are not fields we read. */
const field = z.union([z.string().max(131_072), z.object({ '@_nil': z.literal('true') }).transform(() => null)]);
const nillable = z.union([z.string(), z.object({ '@_nil': z.string() })]).optional();

const notification = z.object({
  Id: sfId,
  sObject: z
    .record(z.string(), z.unknown())
    .refine((o) => typeof o['@_type'] === 'string', 'sObject needs xsi:type')
    .transform((o) => {
      const fields: Record<string, string | null> = {};
      for (const [name, value] of Object.entries(o)) {
        if (name.startsWith('@_')) continue;
        const parsed = field.safeParse(value);
        if (parsed.success) fields[name] = parsed.data;
      }
      // `sf:Lead` → `Lead`.
      return { type: String(o['@_type']).replace(/^.*:/, ''), fields };
    })
    .pipe(
      z.object({ type: z.string().min(1).max(80), fields: z.object({ Id: sfId }).catchall(z.string().nullable()) }),
    ),
});

export const notificationsSchema = z.object({
  OrganizationId: sfId,
  ActionId: sfId,
  SessionId: nillable,
  EnterpriseUrl: z.string().max(2000).optional(),
  PartnerUrl: z.string().max(2000).optional(),
  Notification: z.array(notification).min(1).max(100),
});

export type OutboundNotifications = z.infer<typeof notificationsSchema>;
export type OutboundNotification = OutboundNotifications['Notification'][number];

/** The parsed `notifications`, or why the body is not an Outbound Message. Pure. */
export function parseOutboundMessage(
  xml: string,
): { ok: true; message: OutboundNotifications } | { ok: false; error: string } {
  // SOAP 1.1 forbids a document type declaration; refusing one also rules out entity expansion tricks.
  if (/<!DOCTYPE/i.test(xml)) return { ok: false, error: 'doctype_not_allowed' };
  if (XMLValidator.validate(xml) !== true) return { ok: false, error: 'invalid_xml' };
  let tree: unknown;
  try {
    tree = parser.parse(xml);
  } catch {
    return { ok: false, error: 'invalid_xml' };
  }
  const body = (tree as { Envelope?: { Body?: { notifications?: unknown } } })?.Envelope?.Body?.notifications;
  const parsed = notificationsSchema.safeParse(body);
  return parsed.success ? { ok: true, message: parsed.data } : { ok: false, error: 'invalid_payload' };
}

const ENVELOPE_OPEN =
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>';
const ENVELOPE_CLOSE = '</soapenv:Body></soapenv:Envelope>';

/** The acknowledgement Salesforce needs, or it resends the message (WSDL: notificationsResponse { Ack boolean }). */
export const SOAP_ACK = `${ENVELOPE_OPEN}<notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse>${ENVELOPE_CLOSE}`;

/** A SOAP fault: no Ack, so Salesforce keeps the message queued and retries it. `error` is a fixed code. */
export function soapFault(error: string): string {
  const code = error.replace(/[^a-z_]/g, '');
  return `${ENVELOPE_OPEN}<soapenv:Fault><faultcode>soapenv:Client</faultcode><faultstring>${code}</faultstring></soapenv:Fault>${ENVELOPE_CLOSE}`;
}
