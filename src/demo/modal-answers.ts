type Json = Record<string, unknown>;
interface Option {
  value: string;
  text: Json;
}

/**
 * Slack's `view.state.values` for a modal answered the way a person would: `answers` maps a block id to the
 * value typed, the option value(s) chosen, or the date picked. Options come from the view itself (or its initial
 * option for an external select), so the seed can only answer what the modal really asks.
 */
export function answerModal(view: Json, answers: Record<string, string | string[]>): Json {
  const values: Json = {};
  for (const block of (view.blocks as Json[]) ?? []) {
    if (block.type !== 'input') continue;
    const blockId = String(block.block_id);
    const element = block.element as Json;
    const answer = answers[blockId];
    const options = (element.options as Option[] | undefined) ?? [];
    const option = (value: string) => {
      const found = options.find((o) => o.value === value) ?? (element.initial_option as Option | undefined);
      if (!found || found.value !== value) throw new Error(`${blockId} offers no option ${value}`);
      return found;
    };
    const type = String(element.type);
    let state: Json;
    if (type === 'checkboxes' || type === 'multi_static_select') {
      state = { selected_options: ([] as string[]).concat(answer ?? []).map(option) };
    } else if (type === 'radio_buttons' || type === 'static_select' || type === 'external_select') {
      state = { selected_option: typeof answer === 'string' ? option(answer) : null };
    } else if (type === 'datepicker') {
      state = { selected_date: typeof answer === 'string' ? answer : null };
    } else {
      state = { value: typeof answer === 'string' ? answer : null };
    }
    values[blockId] = { [String(element.action_id)]: { type, ...state } };
  }
  return values;
}
