import { expect, it } from 'vitest';
import { uniqueEmail } from '../helpers/http.js';
import { appErrors, describeE2E, useE2E } from './harness.js';

describeE2E('e2e: accounts and boards', () => {
  const e2e = useE2E();

  it('signs up and logs in through the forms, creates a board and opens it', async () => {
    const { page, errors } = await e2e.newUser({ loggedIn: false });
    const email = uniqueEmail('form');
    await page.goto(e2e.server.url + '/');
    // Logged out: sent to the login page, which links to sign up.
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    await page.getByRole('link', { name: 'Sign up' }).click();
    await page.getByLabel('Name').fill('Ana Form');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByLabel('City').fill('Lisbon');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('heading', { name: 'Your boards' }).waitFor();

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('wrong password!!');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Your boards' }).waitFor();

    await page.getByLabel('New board title').fill('Lisbon one-take');
    await page.getByRole('button', { name: 'Create board' }).click();
    await page.waitForURL(/\/boards\//);
    await page.getByRole('heading', { name: 'Lisbon one-take' }).waitFor();
    await page.getByRole('status', { name: 'Connection' }).filter({ hasText: 'Online' }).waitFor();
    await page.getByRole('button', { name: 'Add shot' }).click();
    await expect.poll(() => page.getByLabel('Title of shot 1').count()).toBe(1);
    await page.getByLabel('Title of shot 1').fill('Opening: tram at dawn');
    await e2e.screenshot(page, 'board-first-shot');

    await page.goto(e2e.server.url + '/');
    await page.getByRole('link', { name: 'Lisbon one-take' }).waitFor();
    expect(appErrors(errors)).toEqual([]);
  });
});
