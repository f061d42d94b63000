// A small stand-in for the CRM: sends sample events through Tandem's real, signed webhook routes.
import { el } from './blocks.js';

const CAMPAIGNS = [
  ['', 'No campaign'],
  ['cmp-peak-linkedin', 'Peak Season Readiness · LinkedIn'],
  ['cmp-roi-playbook', 'The Logistics ROI Playbook (eBook)'],
  ['cmp-webinar-q4', 'Warehouse Automation Live: Q4 webinar'],
];

function labelled(label, control) {
  return el('label', 'crm-field', [el('span', '', label), control]);
}

function select(name, entries, selected) {
  const node = el('select', 'bk-select');
  node.name = name;
  for (const [value, text] of entries) {
    const option = el('option', '', text);
    option.value = value;
    option.selected = value === selected;
    node.append(option);
  }
  return node;
}

/** The form: what happened in the CRM, for whom, and the details that event needs. */
export function crmForm(page, api, close) {
  const people = page.state.people.map((p) => [p.id, p.realName]);
  const kind = select('kind', [
    ['lead', 'A new lead is handed to a rep'],
    ['campaign', 'Marketing launches a campaign'],
    ['won', 'A deal is won'],
  ]);
  const owner = select('owner', people, page.me);
  const campaign = select('campaignId', CAMPAIGNS, 'cmp-peak-linkedin');
  const name = el('input', 'bk-input');
  name.name = 'name';
  name.value = 'Spring Warehouse Tour';
  const amount = el('input', 'bk-input');
  amount.name = 'amount';
  amount.type = 'number';
  amount.value = '42000';
  const fields = {
    lead: [labelled('Rep', owner), labelled('Campaign', campaign)],
    campaign: [labelled('Owner', owner), labelled('Name', name)],
    won: [labelled('Rep', owner), labelled('Amount (USD)', amount), labelled('Campaign', campaign)],
  };
  const details = el('div', 'crm-details');
  const showFields = () => details.replaceChildren(...fields[kind.value]);
  kind.addEventListener('change', showFields);
  showFields();

  const send = el('button', 'bk-button bk-primary', 'Send to Tandem');
  const cancel = el('button', 'bk-button', 'Close');
  cancel.type = 'button';
  cancel.addEventListener('click', close);
  const form = el('form', 'crm-form', [
    el('h2', '', 'Send a CRM event'),
    el('p', 'crm-note', 'Signed like your CRM would sign it, posted to Tandem’s real webhook routes.'),
    labelled('Event', kind),
    details,
    el('div', 'modal-footer', [cancel, send]),
  ]);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    send.disabled = true;
    const answer = await api('crm', {
      kind: kind.value,
      owner: owner.value,
      name: name.value,
      amount: Number(amount.value),
      campaignId: campaign.value,
    });
    send.disabled = false;
    if (answer.ok) close();
  });
  return form;
}
