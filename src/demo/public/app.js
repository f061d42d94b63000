// The demo page: a Slack-like window onto the stand-in workspace. Every click, command and submit is sent to the
// demo server, which signs it like Slack and passes it to Tandem's real /slack/events.
import { el } from './blocks.js';
import { crmForm } from './crm-form.js';
import { renderChannel, renderHome } from './messages.js';
import { renderModal } from './modal.js';

const COMMANDS = ['/leadfeedback', '/campaign', '/digest', '/tandem'];
const ROLES = { rep: 'Sales rep', marketer: 'Marketing', manager: 'Sales manager' };

const page = {
  me: new URLSearchParams(location.search).get('as') || localStorage.getItem('tandem-demo-as') || 'UDEMOMAYA',
  view: location.hash.slice(1) || 'sales',
  homeTab: 'home',
  crmOpen: false,
  state: undefined,
  lastState: undefined,
  modal: { node: undefined, key: undefined },
};

const $ = (selector) => document.querySelector(selector);
const people = (id) => page.state?.people.find((p) => p.id === id)?.realName;

function toast(message) {
  const node = el('div', 'toast', message);
  document.body.append(node);
  setTimeout(() => node.remove(), 4000);
}

async function api(path, body) {
  const res = await fetch(`/demo/api/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ as: page.me, ...body }),
  });
  const answer = await res.json().catch(() => ({}));
  if (!res.ok) toast(`Something went wrong (${answer.error ?? res.status})`);
  // What Slack shows when the app did not answer in time or refused the request.
  else if (answer.status >= 400) toast(`Tandem answered ${answer.status}: Slack would show an error here.`);
  return answer;
}

async function refresh() {
  const res = await fetch(`/demo/api/state?as=${encodeURIComponent(page.me)}`);
  if (!res.ok) return;
  // Most changes concern someone else: redrawing only on a real change keeps clicks and typing undisturbed.
  const text = await res.text();
  if (text === page.lastState) return;
  page.lastState = text;
  page.state = JSON.parse(text);
  render();
}

const ctx = {
  people,
  get peopleList() {
    return page.state?.people ?? [];
  },
  click: (site, blockId, element) => api('click', { site, blockId, element }),
  rerender: () => render(),
};

function renderSidebar() {
  const { state } = page;
  const who = el('select', 'acting-as');
  who.setAttribute('aria-label', 'Acting as');
  for (const p of state.people) {
    const option = el('option', '', `${p.realName} · ${ROLES[p.role]}`);
    option.value = p.id;
    option.selected = p.id === page.me;
    who.append(option);
  }
  who.addEventListener('change', () => {
    page.me = who.value;
    localStorage.setItem('tandem-demo-as', page.me);
    if (page.view === 'home') api('home', {});
    refresh();
  });
  const link = (view, label, icon) => {
    const a = el('a', `nav-item${page.view === view ? ' active' : ''}`, [el('span', 'nav-icon', icon), label]);
    a.href = `#${view}`;
    a.dataset.nav = view;
    return a;
  };
  return [
    el('div', 'workspace-name', 'Northwind Systems'),
    el('div', 'acting', [el('span', 'acting-label', 'Acting as'), who]),
    el('div', 'nav-section', 'Channels'),
    ...state.channels.map((c) => link(c.name, c.name, '#')),
    el('div', 'nav-section', 'Apps'),
    link('home', 'Tandem', '◆'),
  ];
}

function renderComposer(channel) {
  const input = el('input', 'composer-input');
  input.placeholder = `Message #${channel.name} (try /leadfeedback, /campaign, /digest)`;
  input.setAttribute('aria-label', 'Message');
  const form = el('form', 'composer', [input, el('button', 'composer-send', 'Send')]);
  const hints = el(
    'div',
    'composer-hints',
    COMMANDS.map((command) => {
      const chip = el('button', 'chip', command);
      chip.type = 'button';
      chip.addEventListener('click', () => {
        input.value = `${command} `;
        input.focus();
      });
      return chip;
    }),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    if (!text.startsWith('/')) return toast('In this demo only slash commands reach Tandem.');
    input.value = '';
    await api('command', { channel: channel.id, text });
  });
  return el('div', 'composer-wrap', [form, hints]);
}

function renderMain() {
  const { state } = page;
  const channel = state.channels.find((c) => c.name === page.view);
  const crmButton = el('button', 'header-button', 'Send a CRM event');
  crmButton.type = 'button';
  crmButton.addEventListener('click', () => {
    page.crmOpen = !page.crmOpen;
    render();
  });
  if (channel) {
    const header = el('header', 'channel-header', [el('h1', '', `# ${channel.name}`), crmButton]);
    return [header, el('div', 'scroll', renderChannel(channel, ctx)), renderComposer(channel)];
  }
  const tab = (name, label) => {
    const button = el('button', `tab${page.homeTab === name ? ' active' : ''}`, label);
    button.type = 'button';
    button.addEventListener('click', () => {
      page.homeTab = name;
      render();
    });
    return button;
  };
  const header = el('header', 'channel-header', [
    el('h1', '', [el('span', 'avatar small', 'T'), 'Tandem']),
    el('div', 'tabs', [tab('home', 'Home'), tab('messages', 'Messages')]),
    crmButton,
  ]);
  return [header, el('div', 'scroll', renderHome(state, page.homeTab, ctx))];
}

function renderModalLayer() {
  const modal = page.state.modal;
  const key = modal ? `${modal.id}:${JSON.stringify(modal.view)}:${JSON.stringify(modal.errors)}` : undefined;
  if (key === page.modal.key) return;
  const previous = modal && page.modal.node?.dataset.id === modal.id ? page.modal.node.values() : {};
  page.modal.node?.remove();
  page.modal = { node: undefined, key };
  if (!modal) return;
  const node = renderModal(
    modal,
    {
      ...ctx,
      click: (_, blockId, element) => api('click', { site: { kind: 'view', viewId: modal.id }, blockId, element }),
      suggest: (blockId, actionId, value) => api('suggest', { viewId: modal.id, blockId, actionId, value }),
      submit: (values) => api('submit', { viewId: modal.id, values }),
      close: () => api('close', { viewId: modal.id }),
    },
    previous,
  );
  node.dataset.id = modal.id;
  document.body.append(node);
  page.modal.node = node;
}

function render() {
  if (!page.state) return;
  const scroller = $('.scroll');
  const atBottom = !scroller || scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
  const keepTop = scroller?.scrollTop;
  $('#sidebar').replaceChildren(...renderSidebar());
  $('#main').replaceChildren(...renderMain());
  const closeCrm = () => {
    page.crmOpen = false;
    render();
  };
  $('#crm').replaceChildren(...(page.crmOpen ? [crmForm(page, api, closeCrm)] : []));
  const next = $('.scroll');
  if (next) next.scrollTop = atBottom ? next.scrollHeight : keepTop;
  renderModalLayer();
}

window.addEventListener('hashchange', () => {
  page.view = location.hash.slice(1) || 'sales';
  if (page.view === 'home') api('home', {});
  render();
  const scroller = $('.scroll');
  if (scroller) scroller.scrollTop = scroller.scrollHeight;
});

new EventSource('/demo/api/events').addEventListener('change', () => refresh());
if (page.view === 'home') api('home', {});
refresh();
