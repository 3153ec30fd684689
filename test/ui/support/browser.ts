/** Debian's chromium through playwright-core: launch (or a loud skip), console-error capture, axe, screenshots. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { repoRoot } from './build.js';

export const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

export const laptop = { width: 1280, height: 800 } as const;
export const tablet = { width: 768, height: 1024 } as const;

/**
 * Whether the browser suites run. Without chromium they are skipped with one loud warning per test run
 * (a marker file keyed by the vitest main process), unless ROSTERSYNC_REQUIRE_CHROMIUM=1 (CI): then the
 * suites run and fail at launch.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env['ROSTERSYNC_REQUIRE_CHROMIUM'] === '1') return true;
  const marker = join(tmpdir(), `rostersync-ui-skip-${process.ppid}`);
  if (!existsSync(marker)) {
    writeFileSync(marker, 'warned');
    console.warn(
      `[rostersync tests] browser tests SKIPPED: ${CHROMIUM} not found. Install Debian's chromium (apt-get install chromium) to run them; CI sets ROSTERSYNC_REQUIRE_CHROMIUM=1 to fail instead.`,
    );
  }
  return false;
}

export interface BrowserSession {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors and uncaught exceptions of the page; expected API error statuses are kept apart. */
  readonly consoleErrors: string[];
  /** "Failed to load resource" lines for API answers with an error status (the API's own 4xx/5xx). */
  readonly apiStatusLines: string[];
  close(): Promise<void>;
}

/** A browser with a fresh profile (`--user-data-dir`) per test file, at laptop size, downloads allowed. */
export async function openBrowser(o: { baseUrl: string }): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), 'rostersync-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: FLAGS,
    baseURL: o.baseUrl,
    viewport: laptop,
    acceptDownloads: true,
  });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleErrors: string[] = [];
  const apiStatusLines: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    const url = message.location().url;
    // Chrome logs every non-2xx fetch; the API answering 401/422/502 on purpose is not an app error.
    if (
      text.startsWith('Failed to load resource: the server responded with a status of') &&
      url.includes('/api/v1/')
    ) {
      apiStatusLines.push(`${text} (${url})`);
      return;
    }
    consoleErrors.push(`${text} (${url})`);
  });
  page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
  return {
    context,
    page,
    consoleErrors,
    apiStatusLines,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const axeSource = readFileSync(join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/**
 * Runs axe-core on the page as it is now and returns the serious and critical violations, one line each.
 * The script is evaluated through the DevTools protocol, so the page's CSP (no inline scripts) stays on.
 */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as { axe: { run: (o: unknown) => Promise<{ violations: unknown[] }> } }
    ).axe;
    const result = await axe.run({ resultTypes: ['violations'] });
    return result.violations;
  });
  return (violations as AxeViolation[])
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) => `${v.impact}: ${v.id} (${v.help}) at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`,
    );
}

/** Saves `docs/screenshots/<name>.png` (the README shows them). */
export async function screenshot(page: Page, name: string): Promise<void> {
  // The app shell's header is fixed: at any other scroll position it would be drawn mid-page.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({
    path: join(repoRoot, 'docs', 'screenshots', `${name}.png`),
    fullPage: true,
    animations: 'disabled',
  });
}

/** True when the page is wider than the window (a horizontal scrollbar on the whole page). */
export async function overflowsHorizontally(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
}
