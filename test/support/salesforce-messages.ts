export const SF_ORG_ID = '00D000000000001EAA';
export const SF_TOKEN = 'sf-endpoint-token-0123456789';
export const SF_INSTANCE = 'https://acme.my.salesforce.com';

export interface Notification {
  /** The notification's own id (04l…): Salesforce keeps it across resends. */
  id: string;
  type: string;
  /** Field API name → value; null is sent as xsi:nil. */
  fields: Record<string, string | null>;
}

const xmlEscape = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

let counter = 100;
/** A fresh 18-character notification id. */
export const notificationId = () => `04l0000000${String(++counter).padStart(5, '0')}AAA`;

/** An Outbound Message as Salesforce sends it: the SOAP envelope of the WSDL's notifications call. */
export function outboundMessage(notifications: Notification[], orgId = SF_ORG_ID): string {
  const items = notifications
    .map((n) => {
      const fields = Object.entries(n.fields)
        .map(([k, v]) => (v === null ? `<sf:${k} xsi:nil="true"/>` : `<sf:${k}>${xmlEscape(v)}</sf:${k}>`))
        .join('\n     ');
      return `
   <Notification>
    <Id>${n.id}</Id>
    <sObject xsi:type="sf:${n.type}" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
     ${fields}
    </sObject>
   </Notification>`;
    })
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <soapenv:Body>
  <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
   <OrganizationId>${orgId}</OrganizationId>
   <ActionId>04k000000000001AAA</ActionId>
   <SessionId xsi:nil="true"/>
   <EnterpriseUrl>${SF_INSTANCE}/services/Soap/c/62.0/${orgId.slice(0, 15)}</EnterpriseUrl>
   <PartnerUrl>${SF_INSTANCE}/services/Soap/u/62.0/${orgId.slice(0, 15)}</PartnerUrl>${items}
  </notifications>
 </soapenv:Body>
</soapenv:Envelope>`;
}

/** POSTs a message to /connectors/salesforce as Salesforce would, with the token in the URL. */
export async function postSalesforce(appUrl: string, xml: string, token: string | null = SF_TOKEN) {
  const query = token === null ? '' : `?token=${encodeURIComponent(token)}`;
  const res = await fetch(`${appUrl}/connectors/salesforce${query}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' },
    body: xml,
  });
  return { status: res.status, contentType: res.headers.get('content-type'), body: await res.text() };
}
