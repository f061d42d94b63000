import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Demo, startDemo } from '../../src/demo/start.js';
import { createLogger } from '../../src/logger.js';

/** Debian's chromium (`.ci/run` installs it); playwright-core downloads no browser of its own. */
function chromiumPath(): string | undefined {
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

const executablePath = chromiumPath();
/**
 * Where the screenshots go: test-results/ (ignored by git) on every run, or the README's docs/screenshots/ with
 * UPDATE_SCREENSHOTS=1, so running the tests does not rewrite committed images.
 */
const SCREENSHOTS = fileURLToPath(
  new URL(
    process.env.UPDATE_SCREENSHOTS === '1' ? '../../docs/screenshots/' : '../../test-results/screenshots/',
    import.meta.url,
  ),
);

const title = executablePath
  ? 'the demo in a browser'
  : 'the demo in a browser (skipped: no chromium on the PATH; .ci/run installs it)';

describe.skipIf(!executablePath)(title, () => {
  let dataDir: string;
  let demo: Demo;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tandem-demo-'));
    mkdirSync(SCREENSHOTS, { recursive: true });
    // Seeding goes through Tandem's public routes and waits for every post: tens of seconds on two cores.
    demo = await startDemo({ dataDir, port: 0, logger: createLogger('silent') });
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('a rep accepts their handoff, rates the lead (told first that a rating is missing) and marketing hears of it', async () => {
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(`${demo.url}?as=UDEMOMAYA#sales`);

    const card = page.locator('article.msg', { hasText: 'New lead for @Maya Chen: Zoe Walsh' });
    const accept = card.getByRole('button', { name: 'Accept', exact: true });
    await accept.waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'sales.png') });

    await accept.click();
    await card.getByText('Accepted by @Maya Chen').waitFor();
    expect(await accept.count()).toBe(0);
    expect(await card.getByText('(edited)').count()).toBe(1);

    await page.locator('.composer-input').fill('/leadfeedback');
    await page.locator('.composer-input').press('Enter');
    const modal = page.getByRole('dialog', { name: 'Rate a lead' });
    await modal.waitFor();
    // The lead picker is an external select: its options come from Tandem as the rep types.
    await modal.locator('.bk-external input').fill('Zoe');
    await modal.getByRole('button', { name: /Zoe Walsh · Brightline Apparel/ }).click();
    await modal.getByLabel('Yes, ready for a sales conversation').check();
    await modal.getByRole('button', { name: 'Send feedback' }).click();
    await modal.locator('.bk-error', { hasText: 'Choose a rating from 1 to 5.' }).waitFor();
    // The answers given so far survive the error, as in Slack.
    expect(await modal.getByLabel('Yes, ready for a sales conversation').isChecked()).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'feedback-modal.png') });

    await modal.getByLabel('4 · Good: real interest').check();
    await modal.getByLabel('Right company and persona').check();
    await modal.locator('textarea').fill('Demo booked for Tuesday with their COO.');
    await modal.getByRole('button', { name: 'Send feedback' }).click();
    await modal.waitFor({ state: 'detached' });
    await page.getByText('Your ★★★★☆ (4/5) for Zoe Walsh is saved').waitFor();

    await page.click('[data-nav="marketing"]');
    const notice = page.locator('article.msg', { hasText: '@Maya Chen rated Zoe Walsh' });
    await notice.waitFor();
    expect(await notice.textContent()).toContain('Demo booked for Tuesday with their COO.');

    await page.click('[data-nav="wins"]');
    await page.getByText('Closed won: $32,000').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'wins.png') });
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it('draws untrusted text safely: escaped HTML, no script links, mentions as names, dates as dates', async () => {
    await page.goto(`${demo.url}?as=UDEMOPRIYA#marketing`);
    const source =
      '&lt;img src=x onerror=alert(1)&gt; <javascript:alert(1)|click> *bold* _it_ ~gone~ `x<y` ' +
      '<@UDEMOSAM> <https://example.com/?a=1&amp;b="2"|a link> <!date^1700000000^{date_num}|fallback>\n&gt; quoted';
    // The page's own module as the browser loads it; a string, so the test runner does not rewrite the import.
    const html = await page.evaluate(
      `import('/demo/mrkdwn.js').then((m) => m.mrkdwnToHtml(${JSON.stringify(source)}, (id) => id === 'UDEMOSAM' ? 'Sam Okafor' : undefined))`,
    );
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('<b>bold</b> <i>it</i> <s>gone</s> <code>x&lt;y</code>');
    expect(html).toContain('<span class="mention">@Sam Okafor</span>');
    expect(html).toContain('href="https://example.com/?a=1&amp;b=&quot;2&quot;"');
    expect(html).toMatch(/<time>2023-11-1[45]<\/time>/);
    expect(html).toContain('<blockquote>quoted</blockquote>');
  });
});
