// Block Kit to DOM: the blocks Tandem sends, drawn the way Slack draws them. Text goes through mrkdwn.js
// (escaped); everything else is set with textContent or checked attributes, never raw HTML.
import { emojify, textToHtml } from './mrkdwn.js';

export function el(tag, className, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const child of [].concat(children)) {
    if (child === undefined || child === null) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

function htmlEl(tag, className, html) {
  const node = el(tag, className);
  node.innerHTML = html; // html comes from mrkdwn.js, which escapes every piece of text
  return node;
}

function plainText(object) {
  return emojify(String(object?.text ?? ''));
}

function imageUrl(url) {
  return /^(https?:|data:image\/)/i.test(String(url ?? '')) ? url : undefined;
}

/**
 * The interactive element `element` of block `blockId`: buttons, selects and date pickers in messages and views.
 * `ctx.act(blockId, element, extra)` sends the click; `extra` carries a chosen option or date.
 */
export function renderElement(element, blockId, ctx) {
  switch (element.type) {
    case 'button': {
      const button = el('button', `bk-button ${element.style ? `bk-${element.style}` : ''}`, plainText(element.text));
      button.type = 'button';
      button.addEventListener('click', async () => {
        if (/^https?:/i.test(String(element.url ?? ''))) window.open(element.url, '_blank', 'noopener');
        button.disabled = true;
        try {
          await ctx.act(blockId, element);
        } finally {
          button.disabled = false;
        }
      });
      return button;
    }
    case 'image': {
      const img = el('img', 'bk-accessory-image');
      const src = imageUrl(element.image_url);
      if (src) img.src = src;
      img.alt = element.alt_text ?? '';
      return img;
    }
    case 'static_select':
    case 'overflow': {
      const select = el('select', 'bk-select');
      select.append(el('option', '', element.type === 'overflow' ? '⋯' : plainText(element.placeholder) || 'Select'));
      for (const option of element.options ?? []) {
        const item = el('option', '', plainText(option.text));
        item.value = option.value;
        select.append(item);
      }
      select.addEventListener('change', () => {
        const option = (element.options ?? []).find((o) => o.value === select.value);
        if (option) ctx.act(blockId, element, { selected_option: option });
      });
      return select;
    }
    case 'datepicker': {
      const input = el('input', 'bk-input');
      input.type = 'date';
      input.value = element.initial_date ?? '';
      input.addEventListener('change', () => ctx.act(blockId, element, { selected_date: input.value }));
      return input;
    }
    default:
      return el('span', 'bk-unknown', `[${element.type}]`);
  }
}

const renderers = {
  header: (block) => el('div', 'bk-header', plainText(block.text)),
  divider: () => el('hr', 'bk-divider'),
  section(block, ctx) {
    const body = el('div', 'bk-section-body');
    if (block.text) body.append(htmlEl('div', 'bk-text', textToHtml(block.text, ctx.people)));
    if (block.fields?.length) {
      body.append(
        el(
          'div',
          'bk-fields',
          block.fields.map((f) => htmlEl('div', 'bk-field', textToHtml(f, ctx.people))),
        ),
      );
    }
    const accessory = block.accessory
      ? el('div', 'bk-accessory', renderElement(block.accessory, block.block_id, ctx))
      : null;
    return el('div', 'bk-section', [body, accessory]);
  },
  context(block, ctx) {
    return el(
      'div',
      'bk-context',
      (block.elements ?? []).map((item) =>
        item.type === 'image'
          ? renderElement(item, block.block_id, ctx)
          : htmlEl('span', '', textToHtml(item, ctx.people)),
      ),
    );
  },
  actions(block, ctx) {
    return el(
      'div',
      'bk-actions',
      (block.elements ?? []).map((item) => renderElement(item, block.block_id, ctx)),
    );
  },
  image(block) {
    const figure = el('figure', 'bk-image');
    if (block.title) figure.append(el('figcaption', '', plainText(block.title)));
    const img = el('img');
    const src = imageUrl(block.image_url);
    if (src) img.src = src;
    img.alt = block.alt_text ?? '';
    figure.append(img);
    return figure;
  },
  rich_text(block) {
    const text = JSON.stringify(block.elements ?? [])
      .match(/"text":"((?:[^"\\]|\\.)*)"/g)
      ?.map((m) => JSON.parse(m.slice(7)))
      .join('');
    return el('div', 'bk-text', text ?? '');
  },
};

/** A list of blocks as DOM. `ctx`: { people(id) → name, act(blockId, element, extra), input(block) for views }. */
export function renderBlocks(blocks, ctx) {
  const container = el('div', 'bk-blocks');
  for (const block of blocks ?? []) {
    const render = block.type === 'input' && ctx.input ? ctx.input : renderers[block.type];
    container.append(render ? render(block, ctx) : el('div', 'bk-unknown', `[${block.type} block]`));
  }
  return container;
}
