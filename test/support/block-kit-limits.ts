/**
 * Slack's Block Kit limits (docs/slack-platform.md), as a checker that walks a message, modal or Home view and
 * lists every limit it breaks. Slack answers `invalid_blocks` (messages) or `invalid_arguments` (views) to any of
 * these, and the outbox treats that as permanent: a post over a limit is a post lost. Lengths are counted in
 * UTF-16 code units, which is never less than what Slack counts.
 */

export const LIMITS = {
  messageText: 40_000,
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3_000,
  fieldText: 2_000,
  fields: 10,
  header: 150,
  contextElements: 10,
  contextText: 3_000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2_000,
  buttonUrl: 3_000,
  optionText: 75,
  optionValue: 150,
  selectOptions: 100,
  radioOptions: 10,
  checkboxOptions: 10,
  placeholder: 150,
  inputLabel: 2_000,
  inputMaxLength: 3_000,
  id: 255,
  viewTitle: 24,
  privateMetadata: 3_000,
} as const;

type Node = Record<string, unknown>;
export type Surface = 'message' | 'modal' | 'home';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** In escaped mrkdwn every `&` starts one of the three entities; anything else is a cut or unescaped one. */
const BROKEN_ENTITY = /&(?!amp;|lt;|gt;)/;

/** Every limit `view` breaks, as readable strings with their path ("blocks[3].fields[0].text: 2012 > 2000"). */
export function blockKitViolations(view: unknown, surface: Surface): string[] {
  const problems: string[] = [];
  const report = (path: string, what: string) => problems.push(`${path}: ${what}`);
  const max = (path: string, value: unknown, limit: number) => {
    if (typeof value === 'string' && value.length > limit) report(path, `${value.length} > ${limit}`);
  };
  const count = (path: string, list: unknown, limit: number) => {
    if (Array.isArray(list) && list.length > limit) report(path, `${list.length} items > ${limit}`);
  };

  const textObject = (path: string, node: unknown, limit: number) => {
    if (!node || typeof node !== 'object') return;
    const { type, text } = node as Node;
    if (typeof text !== 'string') return report(path, 'text object without text');
    max(`${path}.text`, text, limit);
    if (LONE_SURROGATE.test(text)) report(`${path}.text`, 'splits a surrogate pair');
    if (type === 'mrkdwn' && BROKEN_ENTITY.test(text)) report(`${path}.text`, 'has a broken or unescaped `&`');
  };

  const option = (path: string, node: unknown) => {
    const o = node as Node;
    textObject(`${path}.text`, o.text, LIMITS.optionText);
    max(`${path}.value`, o.value, LIMITS.optionValue);
  };

  const element = (path: string, node: unknown) => {
    if (!node || typeof node !== 'object') return;
    const e = node as Node;
    max(`${path}.action_id`, e.action_id, LIMITS.id);
    if (e.placeholder) textObject(`${path}.placeholder`, e.placeholder, LIMITS.placeholder);
    if (e.type === 'button') {
      textObject(`${path}.text`, e.text, LIMITS.buttonText);
      max(`${path}.value`, e.value, LIMITS.buttonValue);
      max(`${path}.url`, e.url, LIMITS.buttonUrl);
    }
    const optionLimit =
      e.type === 'radio_buttons' ? LIMITS.radioOptions : e.type === 'checkboxes' ? LIMITS.checkboxOptions : undefined;
    count(`${path}.options`, e.options, optionLimit ?? LIMITS.selectOptions);
    if (Array.isArray(e.options)) for (const [i, o] of e.options.entries()) option(`${path}.options[${i}]`, o);
    if (e.initial_option) option(`${path}.initial_option`, e.initial_option);
    if (typeof e.max_length === 'number' && e.max_length > LIMITS.inputMaxLength) {
      report(`${path}.max_length`, `${e.max_length} > ${LIMITS.inputMaxLength}`);
    }
  };

  const block = (path: string, node: unknown) => {
    const b = node as Node;
    max(`${path}.block_id`, b.block_id, LIMITS.id);
    switch (b.type) {
      case 'section':
        if (b.text) textObject(`${path}.text`, b.text, LIMITS.sectionText);
        else if (!b.fields) report(path, 'section without text or fields');
        count(`${path}.fields`, b.fields, LIMITS.fields);
        if (Array.isArray(b.fields))
          for (const [i, f] of b.fields.entries()) textObject(`${path}.fields[${i}]`, f, LIMITS.fieldText);
        if (b.accessory) element(`${path}.accessory`, b.accessory);
        break;
      case 'header':
        textObject(`${path}.text`, b.text, LIMITS.header);
        break;
      case 'context':
        count(`${path}.elements`, b.elements, LIMITS.contextElements);
        if (Array.isArray(b.elements)) {
          for (const [i, e] of b.elements.entries()) textObject(`${path}.elements[${i}]`, e, LIMITS.contextText);
        }
        break;
      case 'actions':
        count(`${path}.elements`, b.elements, LIMITS.actionsElements);
        if (Array.isArray(b.elements)) for (const [i, e] of b.elements.entries()) element(`${path}.elements[${i}]`, e);
        break;
      case 'input':
        textObject(`${path}.label`, b.label, LIMITS.inputLabel);
        if (b.hint) textObject(`${path}.hint`, b.hint, LIMITS.inputLabel);
        element(`${path}.element`, b.element);
        break;
      case 'divider':
        break;
      default:
        report(path, `block type ${String(b.type)} is not checked`);
    }
  };

  const v = (view ?? {}) as Node;
  const blocks = Array.isArray(v.blocks) ? v.blocks : [];
  if (surface === 'message') {
    max('text', v.text, LIMITS.messageText);
    if (typeof v.text === 'string' && BROKEN_ENTITY.test(v.text)) report('text', 'has a broken or unescaped `&`');
    if (typeof v.text === 'string' && LONE_SURROGATE.test(v.text)) report('text', 'splits a surrogate pair');
    count('blocks', blocks, LIMITS.messageBlocks);
  } else {
    count('blocks', blocks, LIMITS.viewBlocks);
    max('callback_id', v.callback_id, LIMITS.id);
    max('private_metadata', v.private_metadata, LIMITS.privateMetadata);
    for (const key of ['title', 'submit', 'close']) if (v[key]) textObject(key, v[key], LIMITS.viewTitle);
    if (surface === 'modal' && !v.submit && blocks.some((b) => (b as Node).type === 'input')) {
      report('submit', 'a modal with inputs needs submit');
    }
  }
  for (const [i, b] of blocks.entries()) block(`blocks[${i}]`, b);
  const ids = blocks.map((b) => (b as Node).block_id).filter((id) => id !== undefined);
  if (new Set(ids).size !== ids.length) report('blocks', 'block_id values repeat');
  return problems;
}

/** Throws listing every violation: for use inside fast-check properties. */
export function assertWithinBlockKitLimits(view: unknown, surface: Surface): void {
  const problems = blockKitViolations(view, surface);
  if (problems.length > 0) throw new Error(`Block Kit limits broken:\n  ${problems.join('\n  ')}`);
}
