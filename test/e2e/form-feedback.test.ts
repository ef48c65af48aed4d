/**
 * What a form tells a person before and after they act: a prompt counted against its limit and
 * refused past it before Generate, models that run here listed first with the others explained,
 * popovers kept on a 390 px screen and a viewer's fields reading as text, and login and sign-up
 * failures in plain words.
 */
import { expect, it } from 'vitest';
import { addShot } from '../../shared/doc/index.js';
import { MAX_PROMPT_CHARS } from '../../shared/generation/index.js';
import { appErrors, describeE2E, newBoard, openBoard, share, useE2E, type E2EUser } from './harness.js';

describeE2E('e2e: forms say what they accept and what went wrong', () => {
  const e2e = useE2E();

  async function openDetail(u: E2EUser) {
    await u.page.getByRole('listitem', { name: /^Shot 1/ }).locator('.thumb').click();
    return u.page.getByRole('complementary', { name: 'Shot 1 detail' });
  }

  it('counts prompt characters against the limit and refuses a prompt past it before Generate', async () => {
    const ana = await e2e.newUser({ name: 'Ana' });
    const boardId = await newBoard(ana, 'Counter');
    await e2e.server.takeboard.hub.change(boardId, (d) => void addShot(d, { title: 'Pier', prompt: 'gulls', model: 'animatic' }));
    await openBoard(e2e, ana, boardId);
    const detail = await openDetail(ana);
    const counter = detail.locator('.char-count');
    expect(await counter.innerText()).toBe(`5 / ${MAX_PROMPT_CHARS.toLocaleString('en')} characters`);
    const prompt = detail.getByLabel('Shot prompt');
    await prompt.press('End');
    await prompt.pressSequentially(' at dawn');
    await expect.poll(() => counter.innerText()).toBe(`13 / ${MAX_PROMPT_CHARS.toLocaleString('en')} characters`);
    expect(await prompt.getAttribute('maxlength')).toBe(String(MAX_PROMPT_CHARS));

    // Teammates typing at once can cross the limit: the counter turns red and Generate says why.
    const long = 'x'.repeat(MAX_PROMPT_CHARS + 10);
    await prompt.fill('');
    await e2e.server.takeboard.hub.change(boardId, (d) => {
      const shot = d.getMap('shots').values().next().value as import('yjs').Map<import('yjs').Text>;
      shot.get('prompt')!.insert(0, long);
    });
    await expect.poll(() => counter.innerText()).toContain('too long to send');
    expect(await counter.evaluate((el) => el.classList.contains('over'))).toBe(true);
    await detail.getByText(`Prompt: at most ${MAX_PROMPT_CHARS} characters; this one has ${long.length}. Shorten it.`).waitFor();
    await e2e.screenshot(ana.page, 'polish-counter');
    expect(appErrors(ana.errors)).toEqual([]);
  });

  it('lists models that run here first and the others in one explained group', async () => {
    const ana = await e2e.newUser({ name: 'Ana' });
    const boardId = await newBoard(ana, 'Models');
    await e2e.server.takeboard.hub.change(boardId, (d) => void addShot(d, { title: 'Pier', model: 'animatic' }));
    await openBoard(e2e, ana, boardId);
    const detail = await openDetail(ana);
    const select = detail.getByLabel('Shot model');
    const groups = await select.evaluate((el) =>
      [...el.querySelectorAll('optgroup')].map((g) => ({ label: g.label, options: [...g.querySelectorAll('option')].map((o) => ({ text: o.textContent, disabled: o.disabled })) })),
    );
    expect(groups.map((g) => g.label)).toEqual(['Available', 'Not available here: the server has no API key for these (ask whoever runs it)']);
    expect(groups[0]!.options.every((o) => !o.disabled)).toBe(true);
    expect(groups[0]!.options.map((o) => o.text)).toContain('Animatic (offline)');
    expect(groups[1]!.options.length).toBeGreaterThan(0);
    expect(groups[1]!.options.every((o) => o.disabled && / \((\w+, )*\w+( and \w+)? not set\)$/.test(o.text ?? ''))).toBe(true);
    // The first option of the list is one that runs.
    expect(await select.evaluate((el) => (el as HTMLSelectElement).options[0]!.disabled)).toBe(false);
  });

  it('keeps popovers on a 390 px screen and makes a viewer’s fields read as text', async () => {
    const ana = await e2e.newUser({ name: 'Ana' });
    const vera = await e2e.newUser({ name: 'Vera' });
    const boardId = await newBoard(ana, 'Phone');
    await share(ana, vera, boardId, 'viewer');
    await e2e.server.takeboard.hub.change(boardId, (d) => void addShot(d, { title: 'Pier', prompt: 'gulls', model: 'animatic' }));
    await vera.page.setViewportSize({ width: 390, height: 844 });
    await openBoard(e2e, vera, boardId);

    for (const [open, name, close] of [
      ['Members', 'Members', 'Close members'],
      ['Keyboard shortcuts', 'Keyboard shortcuts', 'Close'],
    ] as const) {
      // On a phone the header's tools sit in its menu.
      await vera.page.getByRole('button', { name: 'Menu' }).click();
      await vera.page.getByRole('button', { name: open, exact: true }).click();
      const pop = vera.page.getByRole('dialog', { name });
      await pop.waitFor();
      await expect
        .poll(async () => {
          const box = (await pop.boundingBox())!;
          return box.x >= 0 && box.x + box.width <= 390 && box.y + box.height <= 844;
        })
        .toBe(true);
      await e2e.screenshot(vera.page, `polish-popover-${name.split(' ')[0]!.toLowerCase()}-phone`);
      await pop.getByRole('button', { name: close, exact: true }).click();
      await pop.waitFor({ state: 'detached' });
    }

    await vera.page.setViewportSize({ width: 1280, height: 800 });
    const detail = await openDetail(vera);
    const look = (label: string) =>
      detail.getByLabel(label).evaluate((el) => {
        const s = getComputedStyle(el);
        return { border: s.borderTopColor, background: s.backgroundColor, appearance: s.appearance };
      });
    expect(await look('Shot prompt')).toMatchObject({ border: 'rgba(0, 0, 0, 0)', background: 'rgba(0, 0, 0, 0)' });
    expect(await look('Shot model')).toMatchObject({ border: 'rgba(0, 0, 0, 0)', appearance: 'none' });
    await e2e.screenshot(vera.page, 'polish-viewer-readonly');
    expect(appErrors(vera.errors)).toEqual([]);
  });

  it('says what went wrong at login and sign-up in plain words', async () => {
    const known = await e2e.newUser({ name: 'Kim', loggedIn: false });
    const p = known.page;
    await p.goto(`${e2e.server.url}/login`);
    await p.getByLabel('Email').fill(known.email);
    await p.getByLabel('Password').fill('not the password');
    await p.getByRole('button', { name: 'Log in' }).click();
    expect(await p.getByRole('alert').innerText()).toBe('That email and password do not match an account. Check both and try again.');

    // A browser that does not check the form itself gets the server's rule, the field named once.
    await p.goto(`${e2e.server.url}/signup`);
    await p.locator('form').evaluate((f) => ((f as HTMLFormElement).noValidate = true));
    await p.getByLabel('Name').fill('Lee');
    await p.getByLabel('Email').fill('lee@example.test');
    await p.getByLabel('Password').fill('short');
    await p.getByRole('button', { name: /sign up/i }).click();
    expect(await p.getByRole('alert').innerText()).toBe('Password: must be at least 10 characters');
    await p.getByLabel('Email').fill('not an email');
    await p.getByLabel('Password').fill('long enough password');
    await p.getByRole('button', { name: /sign up/i }).click();
    await expect.poll(() => p.getByRole('alert').innerText()).toBe('Email: must be an email address such as name@studio.com');
    await e2e.screenshot(p, 'polish-signup-error');
  });
});
