/** Browser test: an admin signs in, connects KiwiHR, edits users, syncs HR changes, confirms a blocked run, disconnects. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  browserAvailable,
  openBrowser,
  overflowsHorizontally,
  tablet,
  type BrowserSession,
} from './support/browser.js';
import { ADMIN, TENANT, startStack, type Stack } from './support/stack.js';
import { checkPage, control, openNav, signIn, tableTotal } from './support/ui.js';

describe.skipIf(!browserAvailable())('admin UI with KiwiHR, in chromium', () => {
  let stack: Stack;
  let b: BrowserSession;
  const page = () => b.page;

  beforeAll(async () => {
    stack = await startStack({ employees: 24 });
    b = await openBrowser({ baseUrl: stack.baseUrl });
  });
  afterAll(async () => {
    await b?.close();
    await stack?.close();
  });
  afterEach(() => {
    expect(b.consoleErrors).toEqual([]);
    // The only API errors on purpose: no session yet (401), a wrong password (401), a refused HR key (502).
    expect(b.apiStatusLines.filter((line) => !/status of (401|502) /.test(line))).toEqual([]);
  });

  /** An active employee of the emulator with an email, to follow through the UI. */
  const someone = (index: number) => {
    const active = stack.kiwihr.state.people.filter(
      (p) => p.status === 'active' && p.leavingDate === null && p.email,
    );
    const person = active[index];
    if (!person) throw new Error(`no active person #${index}`);
    return person;
  };
  const openUser = async (email: string) => {
    await openNav(page(), { link: 'Users' });
    await page().getByLabel('Search').fill(email);
    await page().getByText('1 in all').waitFor();
    await page().getByRole('table').getByRole('link').first().click();
    await page().getByRole('heading', { level: 2, name: 'Fields' }).waitFor();
  };
  const syncNow = async () => {
    await openNav(page(), { link: 'Integrations' });
    await page().getByRole('button', { name: 'Sync now' }).click();
    const progress = page().getByTestId('run-progress').filter({ hasText: 'Sync now' });
    await progress.getByText(/Done:|Stopped before|Nothing applied/).waitFor({ timeout: 30_000 });
    return (await progress.textContent()) ?? '';
  };

  it('signs in, and keeps the company and the admin in view', async () => {
    await page().goto('/users');
    await page().getByRole('heading', { name: 'Sign in to rostersync' }).waitFor();
    await checkPage(page(), 'sign-in');
    await page().getByLabel('Email').fill(ADMIN.email);
    await page().getByRole('textbox', { name: 'Password' }).fill('not the password');
    await page().getByRole('button', { name: 'Sign in' }).click();
    await page().getByRole('alert').filter({ hasText: 'Could not sign in' }).waitFor();
    await signIn(page());
    expect(await page().getByTestId('tenant-name').textContent()).toBe(TENANT.name);
    expect(await page().getByTestId('admin-email').textContent()).toBe(ADMIN.email);
    await checkPage(page(), 'integrations');
  });

  it('shows the preflight error of a wrong KiwiHR token inline, then connects and syncs users and groups', async () => {
    const p = page();
    await p.getByRole('button', { name: 'Connect KiwiHR' }).click();
    await p.getByRole('textbox', { name: 'API key' }).fill('not-the-key');
    await p.getByLabel('KiwiHR URL').fill(stack.kiwihr.url);
    await p.getByRole('button', { name: 'Apply' }).click();
    const error = p.getByTestId('connect-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('KiwiHR refused the API key');
    expect(await stack.deps.store.integrations.getActive(stack.tenantId)).toBeUndefined();

    await p.getByRole('textbox', { name: 'API key' }).fill(stack.kiwihr.state.credentials['apiKey'] ?? '');
    await p.getByRole('button', { name: 'Apply' }).click();
    await p.getByRole('heading', { level: 2, name: 'KiwiHR', exact: true }).waitFor({ timeout: 30_000 });
    await p.getByTestId('run-progress').filter({ hasText: 'First sync' }).getByText('Done:').waitFor();
    await checkPage(p, 'integrations-connected');

    const { total } = await stack.deps.store.directory.listUsers(stack.tenantId, { limit: 1 });
    expect(total).toBeGreaterThan(10);
    await openNav(p, { link: 'Users' });
    await p.getByText(someone(0).email).waitFor();
    expect(await tableTotal(p)).toBe(total);
    await checkPage(p, 'users');

    const teams = new Set(
      stack.kiwihr.state.people.filter((x) => x.status === 'active').flatMap((x) => x.teams),
    );
    await openNav(p, { link: 'Groups' });
    await p.getByRole('table').waitFor();
    for (const team of teams) await p.getByRole('link', { name: team, exact: true }).waitFor();
    expect(await tableTotal(p)).toBe(teams.size);
    await checkPage(p, 'groups');
    for (const list of ['Departments', 'Positions', 'Locations']) {
      await openNav(p, { link: list });
      await p
        .getByText(/in all|yet/)
        .first()
        .waitFor();
      await checkPage(p, list.toLowerCase());
    }
  });

  it('keeps managed fields read-only and saves an unmanaged field inline', async () => {
    const p = page();
    const person = someone(1);
    await openUser(person.email);
    const jobTitle = p.locator('[data-field="jobTitle"]');
    expect(await jobTitle.getByText('managed by KiwiHR').count()).toBe(1);
    expect(await p.getByRole('button', { name: 'Edit Job title' }).count()).toBe(0);
    expect(await p.getByRole('button', { name: 'Edit Email' }).count()).toBe(0);

    await p.getByRole('button', { name: 'Edit Phone number' }).click();
    await p.getByLabel('Phone number').fill('+49 30 5550100');
    await p.getByRole('button', { name: 'Save' }).click();
    await p.locator('[data-field="phoneNumber"]').getByText('+49 30 5550100').waitFor();
    await p.getByText(`by admin ${ADMIN.email}`).waitFor();
    await p.getByText('Phone number: (empty) → +49 30 5550100').waitFor();
    await checkPage(p, 'user');
  });

  it('shows an HR change made in the emulator after "Sync now"', async () => {
    const p = page();
    const person = someone(1);
    await control({
      origin: stack.kiwihr.origin,
      method: 'PATCH',
      path: `/employees/${encodeURIComponent(person.id)}`,
      body: { position: 'Chief Tea Officer' },
    });
    expect(await syncNow()).toContain('1 updated');
    await openUser(person.email);
    await p.locator('[data-field="jobTitle"]').getByText('Chief Tea Officer').waitFor();
    await p
      .getByRole('link', { name: /^the KiwiHR sync of / })
      .first()
      .waitFor();
    await p.getByText(/Job title: .* → Chief Tea Officer/).waitFor();
  });

  it('previews the next sync as a readable diff without applying it', async () => {
    const p = page();
    const person = someone(2);
    await control({
      origin: stack.kiwihr.origin,
      method: 'PATCH',
      path: `/employees/${encodeURIComponent(person.id)}`,
      body: { position: 'Head of Kites' },
    });
    await openNav(p, { link: 'Integrations' });
    await p.getByRole('button', { name: 'Preview changes' }).click();
    const dialog = p.getByRole('dialog');
    await dialog.getByText('Nothing was applied').waitFor({ timeout: 30_000 });
    await dialog.getByText(/Job title: .* → Head of Kites/).waitFor();
    expect(await dialog.getByText('Would update').count()).toBe(1);
    await checkPage(p, 'preview');
    await p.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('stops a mass deactivation as blocked, shows its numbers, and applies it when confirmed', async () => {
    const p = page();
    const integration = await stack.deps.store.integrations.getActive(stack.tenantId);
    const linked = await stack.deps.store.directory.listUsers(stack.tenantId, {
      limit: 1,
      active: true,
      ...(integration ? { integrationId: integration.id } : {}),
    });
    const leavers = Math.ceil(linked.total * 0.25);
    for (let i = 3; i < 3 + leavers; i += 1) {
      await control({
        origin: stack.kiwihr.origin,
        method: 'POST',
        path: `/employees/${encodeURIComponent(someone(i).id)}/terminate`,
        body: { leavingDate: '2020-01-31' },
      });
    }
    expect(await syncNow()).toContain('Stopped before applying');
    await p.getByText('A sync is waiting for your confirmation').waitFor();
    await p.getByRole('link', { name: 'Review and confirm it' }).click();
    const numbers = p.getByTestId('guard-numbers');
    await numbers.waitFor();
    expect(await numbers.textContent()).toContain(`${leavers} of ${linked.total} active synced users`);
    await checkPage(p, 'run-blocked');

    await p.getByRole('button', { name: 'Confirm…' }).click();
    await p.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await p.getByTestId('blocked-run').waitFor({ state: 'hidden', timeout: 30_000 });
    const after = await stack.deps.store.directory.listUsers(stack.tenantId, { limit: 1, active: true });
    expect(after.total).toBe(linked.total - leavers);
    await p.getByText('Applied with errors').or(p.getByText('Succeeded')).first().waitFor();
    await checkPage(p, 'run');
  });

  it('reports a failed sync and notifies the admins once', async () => {
    const p = page();
    await control({ origin: stack.kiwihr.origin, method: 'PUT', path: '/faults', body: { revoked: true } });
    expect(await syncNow()).toContain('Nothing applied');
    await p.getByText('The last syncs failed').waitFor();
    await control({ origin: stack.kiwihr.origin, method: 'DELETE', path: '/faults' });
    await openNav(p, { link: 'Sync runs' });
    await p.getByRole('table').waitFor();
    await checkPage(p, 'runs');
    await openNav(p, { link: 'Notifications' });
    await p.getByRole('table').getByText(ADMIN.email).first().waitFor();
    expect(await p.getByRole('table').getByText('rostersync: the KiwiHR sync failed').count()).toBe(1);
    expect(await p.getByRole('table').getByText('A sync waits for confirmation').count()).toBe(1);
    await checkPage(p, 'notifications');
  });

  it('changes the daily sync time and adds a gender choice in the settings', async () => {
    const p = page();
    await openNav(p, { link: 'Settings' });
    await p.getByLabel('Daily sync time').fill('07:30');
    await p.getByRole('button', { name: 'Save settings' }).click();
    await p.getByText(/Saved\. Next sync: .* 07:30/).waitFor();
    expect((await stack.deps.store.tenants.get(stack.tenantId))?.syncCron).toBe('30 7 * * *');
    await p.getByLabel('New choice').fill('diverse');
    await p.getByRole('button', { name: 'Add choice' }).click();
    await p.getByRole('list', { name: 'Gender choices' }).getByText('diverse', { exact: true }).waitFor();
    await checkPage(p, 'settings');
  });

  it('fits a tablet: no sideways scrolling, navigation behind the menu button', async () => {
    const p = page();
    await p.setViewportSize(tablet);
    try {
      for (const path of ['/integrations', '/users', '/runs', '/settings']) {
        await p.goto(path);
        await p.getByRole('heading', { level: 1 }).waitFor();
        await p
          .getByRole('table')
          .or(p.getByRole('button', { name: 'Disconnect' }))
          .or(p.getByRole('button', { name: 'Save settings' }))
          .first()
          .waitFor();
        expect(await overflowsHorizontally(p), path).toBe(false);
      }
      await p.getByRole('button', { name: 'Open navigation' }).click();
      await openNav(p, { link: 'Users' });
      await p.getByRole('table').waitFor();
      await checkPage(p, 'users-tablet');
    } finally {
      await p.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('disconnects only after "OK, I understand" is ticked, and keeps the users', async () => {
    const p = page();
    const before = await stack.deps.store.directory.listUsers(stack.tenantId, { limit: 1 });
    await openNav(p, { link: 'Integrations' });
    await p.getByRole('button', { name: 'Disconnect' }).click();
    const dialog = p.getByRole('dialog', { name: 'Disconnect KiwiHR?' });
    await dialog.waitFor();
    const confirm = dialog.getByRole('button', { name: 'Confirm' });
    expect(await confirm.isDisabled()).toBe(true);
    await checkPage(p, 'disconnect');
    await dialog.getByLabel('OK, I understand').check();
    expect(await confirm.isDisabled()).toBe(false);
    await confirm.click();
    await p.getByRole('button', { name: 'Connect KiwiHR' }).waitFor();
    expect(await stack.deps.store.integrations.getActive(stack.tenantId)).toBeUndefined();
    const after = await stack.deps.store.directory.listUsers(stack.tenantId, { limit: 1 });
    expect(after.total).toBe(before.total);
  });

  it('signs out: the next visit asks to sign in again', async () => {
    const p = page();
    await p.getByRole('button', { name: 'Sign out' }).click();
    await p.getByRole('heading', { name: 'Sign in to rostersync' }).waitFor();
    await p.goto('/users');
    await p.getByRole('heading', { name: 'Sign in to rostersync' }).waitFor();
    expect(await p.getByRole('table').count()).toBe(0);
  });
});
