/** Small helpers the browser tests share: sign in, navigate, check a page (axe + screenshot), drive the emulator. */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { screenshot, seriousA11yViolations } from './browser.js';
import { ADMIN } from './stack.js';

/** Signs in through the form and waits for the first page. */
export async function signIn(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByRole('textbox', { name: 'Password' }).fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Integrations' }).waitFor();
}

/** Follows a link of the main navigation and waits for the page's heading. */
export async function openNav(page: Page, o: { link: string; heading?: string }): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: o.link, exact: true })
    .click();
  await page.getByRole('heading', { level: 1, name: o.heading ?? o.link }).waitFor();
}

/** No serious or critical axe violation on the page as shown, then a screenshot for the docs. */
export async function checkPage(page: Page, name: string): Promise<void> {
  expect(await seriousA11yViolations(page)).toEqual([]);
  await screenshot(page, name);
}

/** Calls the emulator's control API (`/_emulator/...`), failing the test on an error answer. */
export async function control(o: {
  origin: string;
  method: string;
  path: string;
  body?: unknown;
}): Promise<unknown> {
  const response = await fetch(`${o.origin}/_emulator${o.path}`, {
    method: o.method,
    headers: { 'content-type': 'application/json' },
    ...(o.body === undefined ? {} : { body: JSON.stringify(o.body) }),
  });
  if (!response.ok)
    throw new Error(`emulator control ${o.method} ${o.path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** The number in a table footer such as "24 in all; page 1 of 1". */
export async function tableTotal(page: Page): Promise<number> {
  const text = await page
    .getByText(/\d+ in all/)
    .first()
    .textContent();
  const match = /(\d+) in all/.exec(text ?? '');
  if (!match?.[1]) throw new Error(`no table total in '${text}'`);
  return Number(match[1]);
}
