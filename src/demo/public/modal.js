// A modal drawn from its view JSON: input blocks become form fields whose answers are collected as Slack's
// `view.state.values`, and Slack's validation errors show under the fields they name.
import { el, renderBlocks } from './blocks.js';
import { emojify } from './mrkdwn.js';

const text = (object) => emojify(String(object?.text ?? ''));
let fieldCounter = 0;

function choiceList(element, kind, previous) {
  const name = `f${++fieldCounter}`;
  const chosen = new Set(
    kind === 'radio'
      ? [previous?.selected_option?.value ?? element.initial_option?.value]
      : (previous?.selected_options ?? element.initial_options ?? []).map((o) => o.value),
  );
  const inputs = [];
  const list = el(
    'div',
    'bk-choices',
    (element.options ?? []).map((option) => {
      const input = el('input');
      input.type = kind;
      input.name = name;
      input.value = option.value;
      input.checked = chosen.has(option.value);
      inputs.push([input, option]);
      return el('label', 'bk-choice', [input, text(option.text)]);
    }),
  );
  const read =
    kind === 'radio'
      ? () => ({ selected_option: inputs.find(([i]) => i.checked)?.[1] ?? null })
      : () => ({ selected_options: inputs.filter(([i]) => i.checked).map(([, o]) => o) });
  return { node: list, read };
}

function staticSelect(element, previous, people) {
  const multiple = element.type.startsWith('multi_');
  const select = el('select', 'bk-select');
  select.multiple = multiple;
  const options =
    element.type === 'users_select'
      ? people.map((p) => ({ text: { type: 'plain_text', text: p.realName }, value: p.id }))
      : [...(element.options ?? []), ...(element.option_groups ?? []).flatMap((g) => g.options)];
  if (!multiple) select.append(el('option', '', text(element.placeholder) || 'Choose an option'));
  const chosen =
    previous?.selected_option?.value ??
    previous?.selected_user ??
    element.initial_option?.value ??
    element.initial_user;
  for (const option of options) {
    const item = el('option', '', text(option.text));
    item.value = option.value;
    item.selected = option.value === chosen;
    select.append(item);
  }
  const find = (value) => options.find((o) => o.value === value) ?? null;
  const read = () => {
    if (multiple) return { selected_options: [...select.selectedOptions].map((o) => find(o.value)).filter(Boolean) };
    if (element.type === 'users_select') return { selected_user: find(select.value)?.value ?? null };
    return { selected_option: find(select.value) };
  };
  return { node: select, read };
}

/** An external select: what the person types is sent to Tandem as a block_suggestion; its options appear live. */
function externalSelect(element, blockId, previous, ctx) {
  let selected = previous?.selected_option ?? element.initial_option ?? null;
  const search = el('input', 'bk-input');
  search.placeholder = text(element.placeholder) || 'Type to search';
  search.setAttribute('aria-label', text(element.placeholder) || 'Search');
  const current = el('div', 'bk-selected');
  const results = el('div', 'bk-suggestions');
  const showSelected = () => {
    current.replaceChildren(selected ? el('span', 'bk-chip', text(selected.text)) : '');
  };
  let timer;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    const query = search.value;
    if (query.length < (element.min_query_length ?? 3)) return results.replaceChildren();
    timer = setTimeout(async () => {
      const answer = await ctx.suggest(blockId, element.action_id, query);
      const options = [...(answer.options ?? []), ...(answer.option_groups ?? []).flatMap((g) => g.options)];
      results.replaceChildren(
        ...(options.length === 0 ? [el('div', 'bk-suggestion-empty', 'No results')] : []),
        ...options.map((option) => {
          const item = el('button', 'bk-suggestion', text(option.text));
          item.type = 'button';
          item.addEventListener('click', () => {
            selected = option;
            search.value = '';
            results.replaceChildren();
            showSelected();
          });
          return item;
        }),
      );
    }, 200);
  });
  showSelected();
  return { node: el('div', 'bk-external', [current, search, results]), read: () => ({ selected_option: selected }) };
}

function textInput(element, previous) {
  const multiline = element.multiline === true;
  const input = el(multiline ? 'textarea' : 'input', 'bk-input');
  if (!multiline) {
    input.type = { number_input: 'number', email_text_input: 'email', url_text_input: 'url' }[element.type] ?? 'text';
  }
  if (element.max_length) input.maxLength = element.max_length;
  input.placeholder = text(element.placeholder);
  input.value = previous?.value ?? element.initial_value ?? '';
  return { node: input, read: () => ({ value: input.value === '' ? null : input.value }) };
}

function field(element, blockId, previous, ctx) {
  switch (element.type) {
    case 'radio_buttons':
      return choiceList(element, 'radio', previous);
    case 'checkboxes':
      return choiceList(element, 'checkbox', previous);
    case 'static_select':
    case 'multi_static_select':
    case 'users_select':
      return staticSelect(element, previous, ctx.peopleList);
    case 'external_select':
      return externalSelect(element, blockId, previous, ctx);
    case 'datepicker':
    case 'timepicker': {
      const input = el('input', 'bk-input');
      const key = element.type === 'datepicker' ? 'selected_date' : 'selected_time';
      input.type = element.type === 'datepicker' ? 'date' : 'time';
      input.value = previous?.[key] ?? element.initial_date ?? element.initial_time ?? '';
      return { node: input, read: () => ({ [key]: input.value || null }) };
    }
    default:
      return textInput(element, previous);
  }
}

/**
 * The modal as a dialog. `previous` (the answers so far, when the same modal is redrawn with errors) keeps what
 * the person entered, as Slack does. `ctx`: { people, peopleList, act, suggest, submit(values), close() }.
 */
export function renderModal(modal, ctx, previous = {}) {
  const view = modal.view;
  const readers = [];
  const input = (block) => {
    const element = block.element ?? {};
    const answer = field(element, block.block_id, previous[block.block_id]?.[element.action_id], ctx);
    readers.push([block.block_id, element, answer.read]);
    const error = modal.errors?.[block.block_id];
    const label = el('label', 'bk-label', [
      text(block.label),
      block.optional ? el('span', 'bk-optional', ' (optional)') : null,
    ]);
    const wrapper = el('div', `bk-input-block${error ? ' bk-has-error' : ''}`, [label, answer.node]);
    if (block.hint) wrapper.append(el('div', 'bk-hint', text(block.hint)));
    if (error) wrapper.append(el('div', 'bk-error', error));
    return wrapper;
  };
  const values = () =>
    Object.fromEntries(
      readers.map(([blockId, element, read]) => [blockId, { [element.action_id]: { type: element.type, ...read() } }]),
    );

  const close = el('button', 'bk-button', text(view.close) || 'Cancel');
  close.type = 'button';
  close.addEventListener('click', () => ctx.close());
  const footer = el('div', 'modal-footer', [close]);
  if (view.submit) {
    const submit = el('button', 'bk-button bk-primary', text(view.submit));
    submit.type = 'submit';
    footer.append(submit);
  }
  const x = el('button', 'modal-x', '×');
  x.type = 'button';
  x.setAttribute('aria-label', 'Close');
  x.addEventListener('click', () => ctx.close());
  const form = el('form', 'modal', [
    el('div', 'modal-header', [el('h2', '', text(view.title)), x]),
    el('div', 'modal-body', renderBlocks(view.blocks, { ...ctx, input })),
    footer,
  ]);
  form.setAttribute('role', 'dialog');
  form.setAttribute('aria-label', text(view.title));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    for (const button of footer.querySelectorAll('button')) button.disabled = true;
    try {
      await ctx.submit(values());
    } finally {
      for (const button of footer.querySelectorAll('button')) button.disabled = false;
    }
  });
  const overlay = el('div', 'modal-overlay', form);
  overlay.values = values;
  return overlay;
}
