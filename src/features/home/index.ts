import type { App } from '@slack/bolt';
import type { Deps } from '../../deps.js';

/** The App Home tab. */
export function registerHome(_app: App, _deps: Deps): void {}
