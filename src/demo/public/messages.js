// Channel messages, threads and the App Home, drawn from the workspace snapshot the server sends.
import { el, renderBlocks } from './blocks.js';
import { mrkdwnToHtml } from './mrkdwn.js';

const expandedThreads = new Set();

function timeOf(ms) {
  return new Date(ms).toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit' });
}

function dayOf(ms) {
  const date = new Date(ms);
  const days = Math.round((new Date().setHours(0, 0, 0, 0) - new Date(ms).setHours(0, 0, 0, 0)) / 86_400_000);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  return date.toLocaleDateString('en-US', { weekday: 'long', month: 'long', day: 'numeric' });
}

function messageBody(message, ctx) {
  if (message.blocks?.length) return renderBlocks(message.blocks, ctx);
  const body = el('div', 'bk-text');
  body.innerHTML = mrkdwnToHtml(message.text, ctx.people); // escaped by mrkdwnToHtml
  return body;
}

/** One message: the app's avatar and name, the time, the blocks, "(edited)", and its thread. */
function renderMessage(message, channel, ctx, inThread = false) {
  const site = { kind: 'message', channel: channel.id, ts: message.ts };
  const act = (blockId, element, extra) => ctx.click(site, blockId, { ...element, ...extra });
  const meta = el('div', 'msg-meta', [
    el('span', 'msg-author', 'Tandem'),
    el('span', 'msg-badge', 'APP'),
    el('span', 'msg-time', timeOf(message.at)),
  ]);
  const body = el('div', 'msg-body', [meta, messageBody(message, { ...ctx, act })]);
  if (message.edited) body.append(el('span', 'msg-edited', '(edited)'));
  if (message.onlyFor) body.prepend(el('div', 'msg-only', '👁 Only visible to you'));
  const node = el('article', `msg${message.onlyFor ? ' msg-ephemeral' : ''}`, [el('div', 'avatar', 'T'), body]);
  node.dataset.ts = message.ts;

  if (!inThread && message.replies.length > 0) {
    const open = expandedThreads.has(message.ts);
    const toggle = el(
      'button',
      'msg-replies',
      open ? 'Hide replies' : `${message.replies.length} ${message.replies.length === 1 ? 'reply' : 'replies'}`,
    );
    toggle.type = 'button';
    toggle.addEventListener('click', () => {
      if (open) expandedThreads.delete(message.ts);
      else expandedThreads.add(message.ts);
      ctx.rerender();
    });
    body.append(toggle);
    if (open)
      body.append(
        el(
          'div',
          'thread',
          message.replies.map((reply) => renderMessage(reply, channel, ctx, true)),
        ),
      );
  }
  return node;
}

/** A channel's history, with a divider per day as Slack shows it. */
export function renderChannel(channel, ctx) {
  const list = el('div', 'messages');
  let lastDay = '';
  for (const message of channel.messages) {
    const day = dayOf(message.at);
    if (day !== lastDay) list.append(el('div', 'day-divider', el('span', '', day)));
    lastDay = day;
    list.append(renderMessage(message, channel, ctx));
  }
  if (channel.messages.length === 0) list.append(el('p', 'empty', 'Nothing here yet.'));
  return list;
}

/** The App Home tab (the view Tandem published for this person) and its Messages tab. */
export function renderHome(state, tab, ctx) {
  if (tab === 'messages') {
    return renderChannel({ id: state.me, name: 'Tandem', messages: state.appMessages }, ctx);
  }
  if (!state.home) return el('p', 'empty', 'Opening Home…');
  const site = { kind: 'view', viewId: 'VHOME' };
  const act = (blockId, element, extra) => ctx.click(site, blockId, { ...element, ...extra });
  return el('div', 'home', renderBlocks(state.home.blocks, { ...ctx, act }));
}
