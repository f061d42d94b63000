import { expect } from 'vitest';
import type { TestAppContext } from './app-lifecycle.js';
import { SIGNING_SECRET } from './harness.js';
import { appHomeOpened, sendEvent } from './slack-requests.js';

/** Opens Home as `user` (an app_home_opened event) and returns the view Tandem published for them. */
export async function openHome<View>(t: TestAppContext, user: string, timeoutMs = 5_000): Promise<View> {
  const before = t.slack.okCallsOf('views.publish').length;
  const res = await sendEvent(t.app.url, SIGNING_SECRET, appHomeOpened(user));
  expect(res.status).toBe(200);
  const call = await t.slack.waitFor(
    () =>
      t.slack
        .okCallsOf('views.publish')
        .slice(before)
        .find((c) => c.args.user_id === user),
    timeoutMs,
    `the Home view for ${user}`,
  );
  const view = call.args.view;
  return (typeof view === 'string' ? JSON.parse(view) : view) as View;
}
