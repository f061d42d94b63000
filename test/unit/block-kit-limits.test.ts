import { describe, expect, it } from 'vitest';
import { blockKitViolations, LIMITS } from '../support/block-kit-limits.js';

const md = (text: string) => ({ type: 'mrkdwn', text });
const pt = (text: string) => ({ type: 'plain_text', text });
const x = (n: number) => 'x'.repeat(n);
const button = (text: string, value = 'v') => ({ type: 'button', text: pt(text), action_id: 'a', value });
const option = (text: string, value = 'v') => ({ text: pt(text), value });

/** One message or view that breaks exactly one limit, and the path the checker must name. */
const cases: Array<[string, unknown, 'message' | 'modal' | 'home', RegExp]> = [
  ['top-level text', { text: x(LIMITS.messageText + 1), blocks: [] }, 'message', /^text: 40001 > 40000/],
  ['blocks per message', { text: 't', blocks: Array(51).fill({ type: 'divider' }) }, 'message', /^blocks: 51 items/],
  ['blocks per Home view', { type: 'home', blocks: Array(101).fill({ type: 'divider' }) }, 'home', /^blocks: 101/],
  ['section text', { blocks: [{ type: 'section', text: md(x(3001)) }] }, 'message', /blocks\[0]\.text\.text: 3001/],
  [
    'fields per section',
    { blocks: [{ type: 'section', fields: Array(11).fill(md('f')) }] },
    'message',
    /blocks\[0]\.fields: 11 items > 10/,
  ],
  [
    'field text',
    { blocks: [{ type: 'section', fields: [md(x(2001))] }] },
    'message',
    /blocks\[0]\.fields\[0]\.text: 2001 > 2000/,
  ],
  ['header', { blocks: [{ type: 'header', text: pt(x(151)) }] }, 'message', /blocks\[0]\.text\.text: 151 > 150/],
  [
    'context elements',
    { blocks: [{ type: 'context', elements: Array(11).fill(md('c')) }] },
    'message',
    /blocks\[0]\.elements: 11 items > 10/,
  ],
  [
    'button text',
    { blocks: [{ type: 'actions', elements: [button(x(76))] }] },
    'message',
    /elements\[0]\.text\.text: 76 > 75/,
  ],
  [
    'button value',
    { blocks: [{ type: 'actions', elements: [button('ok', x(2001))] }] },
    'message',
    /elements\[0]\.value: 2001 > 2000/,
  ],
  [
    'option text',
    {
      submit: pt('Go'),
      blocks: [
        { type: 'input', label: pt('l'), element: { type: 'radio_buttons', action_id: 'a', options: [option(x(76))] } },
      ],
    },
    'modal',
    /options\[0]\.text\.text: 76 > 75/,
  ],
  [
    'option value',
    {
      submit: pt('Go'),
      blocks: [
        {
          type: 'input',
          label: pt('l'),
          element: { type: 'static_select', action_id: 'a', options: [option('o', x(151))] },
        },
      ],
    },
    'modal',
    /options\[0]\.value: 151 > 150/,
  ],
  ['modal title', { title: pt(x(25)), blocks: [] }, 'modal', /^title\.text: 25 > 24/],
  [
    'a modal with inputs and no submit',
    { blocks: [{ type: 'input', label: pt('l'), element: { type: 'plain_text_input', action_id: 'a' } }] },
    'modal',
    /^submit: a modal with inputs needs submit/,
  ],
  ['private_metadata', { private_metadata: x(3001), blocks: [] }, 'modal', /^private_metadata: 3001/],
  [
    'an entity cut in half',
    { blocks: [{ type: 'section', text: md('Tom &am…') }] },
    'message',
    /blocks\[0]\.text\.text: has a broken/,
  ],
  [
    'an emoji cut in half',
    { blocks: [{ type: 'section', text: md('hi \uD83D…') }] },
    'message',
    /splits a surrogate pair/,
  ],
  [
    'repeated block ids',
    {
      blocks: [
        { type: 'divider', block_id: 'b' },
        { type: 'divider', block_id: 'b' },
      ],
    },
    'home',
    /block_id values repeat/,
  ],
];

describe('the Block Kit limits checker', () => {
  it.each(cases)('catches %s', (_, view, surface, expected) => {
    const problems = blockKitViolations(view, surface);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
  });

  it('passes a message at every limit exactly', () => {
    const message = {
      text: x(LIMITS.messageText),
      blocks: [
        { type: 'header', text: pt(x(150)) },
        { type: 'section', text: md(`${x(2990)}&amp;&lt;`), fields: Array(10).fill(md(x(2000))) },
        { type: 'context', elements: Array(10).fill(md('😀')) },
        { type: 'actions', elements: [button(x(75), x(2000))] },
        ...Array(46).fill({ type: 'divider' }),
      ],
    };
    expect(blockKitViolations(message, 'message')).toEqual([]);
  });
});
