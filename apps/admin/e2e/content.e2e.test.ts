import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCaller, createContextInner } from '@atrium/api';
import type { ApiRuntime } from '@atrium/api/server';
import { Conversation, Message, type IUser } from '@atrium/db';
import { openPage, reloadPage } from '@atrium/testing/browser';
import type { AppServer } from '@atrium/ui/server';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dayIn } from '../app/dates';
import { startAdminApp, type AdminApp } from './admin-app';
import { makeUser, recordUsage } from './content-fixtures';

// Set E2E_SCREENSHOTS to a directory to keep screenshots of the pages for a look.
const screenshots = process.env.E2E_SCREENSHOTS;

describe('the content and analytics pages in a browser, as an administrator', () => {
  let app: AdminApp;
  let runtime: ApiRuntime;
  let server: AppServer;
  let page: Page;
  let pageErrors: string[];
  let admin: IUser;

  /** The API as someone, in-process: what the page saved, or what a student did elsewhere. */
  const apiAs = (user: IUser) => createCaller(createContextInner({ em: runtime.orm.em.fork(), user }));
  const shoot = async (name: string) => {
    if (screenshots) await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
  };

  beforeAll(async () => {
    app = await startAdminApp();
    ({ runtime, server } = app);
    ({ admin, page, pageErrors } = await app.adminPage());
  });
  afterAll(() => app?.close());
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  it('saves the summary settings, which are still there after a reload', async () => {
    await openPage(page, `${server.url}/summaries`);
    await page.getByRole('heading', { level: 1, name: 'Conversation summaries' }).waitFor();
    await page.getByLabel('First summary after (messages)').fill('30');
    await page.getByLabel('Refresh every (new messages)').fill('8');
    await page.getByLabel('Latest messages kept in full').fill('15');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Summary settings saved.' }).waitFor();

    await reloadPage(page);
    expect(await page.getByLabel('First summary after (messages)').inputValue()).toBe('30');
    expect(await page.getByLabel('Refresh every (new messages)').inputValue()).toBe('8');
    expect(await page.getByLabel('Latest messages kept in full').inputValue()).toBe('15');
    expect(await apiAs(admin).summaries.admin.settings()).toMatchObject({
      enabled: true,
      firstThreshold: 30,
      updateStep: 8,
      maxMessages: 15,
    });
  });

  it('refuses to keep more recent messages than the first threshold, next to the field', async () => {
    await page.getByLabel('Latest messages kept in full').fill('40');
    await page.getByRole('button', { name: 'Save settings' }).click();
    const alert = page.getByTestId('error-summary');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('lower than the first threshold');
    expect(await page.getByLabel('Latest messages kept in full').getAttribute('aria-invalid')).toBe('true');
    expect((await apiAs(admin).summaries.admin.settings()).maxMessages).toBe(15);
  });

  it('shows a rating a student gave, with its comment, the rated answer and the like ratio', async () => {
    const em = runtime.orm.em.fork();
    const student = await makeUser(runtime, 'student', 'selin.rater');
    const conversation = em.create(Conversation, { user: student.id, title: 'Thermodynamics' });
    const answer = em.create(Message, {
      conversation,
      role: 'assistant',
      content: 'Entropy **always decreases** in a closed system.\n\n- heat flows from cold to hot\n- no engine is needed',
      model: 'demo',
      provider: 'demo',
    });
    await em.flush();
    await apiAs(student).feedback.give({
      messageId: answer.id,
      type: 'dislike',
      comment: 'This is the wrong way round.',
    });

    await openPage(page, `${server.url}/feedback`);
    const rating = page.locator('li[data-feedback]').filter({ hasText: 'This is the wrong way round.' });
    await rating.waitFor();
    expect(await rating.textContent()).toContain('@selin.rater');
    expect(await rating.textContent()).toContain('Disliked');
    await rating.getByText('The rated answer').click();
    // The answer reads as the chat showed it: formatted, not as its Markdown source.
    const answerShown = rating.locator('blockquote .md');
    await answerShown.locator('strong', { hasText: 'always decreases' }).waitFor();
    expect(await answerShown.locator('li').allTextContents()).toEqual(['heat flows from cold to hot', 'no engine is needed']);
    expect(await answerShown.textContent()).not.toContain('**');
    expect(await answerShown.locator('ul').evaluate((list) => getComputedStyle(list).listStyleType)).toBe('disc');
    expect(await page.locator('tr[data-model="demo"]').getByTestId('like-ratio').textContent()).toBe('0%');

    await page.getByLabel('Rating', { exact: true }).selectOption('like');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/type=like/);
    await page.getByText('No ratings match these filters.').first().waitFor();
  });

  it('saves the identity per language and previews the Turkish one all in Turkish', async () => {
    await page.goto(`${server.url}/identity`);
    await page.getByLabel('Developed by (English)').fill('the IT department');
    await page.getByLabel('Developed by (Türkçe)').fill('Bilgi İşlem Daire Başkanlığı');
    await page.getByLabel('Short introduction (Türkçe)').fill('Derslerinize yardım ederim.');

    // Typing a Turkish text shows the Turkish preview: its questions and lines are Turkish too.
    const preview = page.getByTestId('identity-preview');
    await preview.getByRole('button', { name: 'Türkçe' }).and(page.locator('[aria-pressed="true"]')).waitFor();
    await preview.getByText('Bilgi İşlem Daire Başkanlığı tarafından geliştirilen yapay zekâ asistanı').waitFor();
    const turkish = (await preview.locator('[lang="tr"]').textContent()) ?? '';
    expect(turkish).toContain('Sen kimsin?');
    expect(turkish).toContain('Derslerinize yardım ederim.');
    expect(turkish).not.toMatch(/the IT department|Who are you|developed by|An AI assistant/);

    await preview.getByRole('button', { name: 'English' }).click();
    await preview.getByText('An AI assistant by the IT department').waitFor();

    await page.getByRole('button', { name: 'Save identity' }).click();
    await page.getByRole('status').filter({ hasText: 'Identity saved.' }).waitFor();
    expect(await apiAs(admin).identity.get()).toMatchObject({
      developerName: { en: 'the IT department', tr: 'Bilgi İşlem Daire Başkanlığı' },
      shortIntro: { tr: 'Derslerinize yardım ederim.' },
    });
  });

  it('lets the assistant learn about students only once an admin ticks them', async () => {
    await page.goto(`${server.url}/settings`);
    const panel = page.getByRole('region', { name: 'Memory that learns' });
    const students = panel.getByRole('checkbox', { name: 'Students' });
    expect(await students.isChecked()).toBe(false);
    await students.check();
    await panel.getByRole('button', { name: 'Save memory settings' }).click();
    await panel.getByText('Memory settings saved.').waitFor();
    expect(await apiAs(admin).preferences.admin.learning()).toEqual({ learnRoles: ['student'] });
  });

  it('raises the students’ daily limit in the matrix, saved by itself', async () => {
    await openPage(page, `${server.url}/limits`);
    const cell = page.getByLabel('Demo (offline), Students: requests per day');
    expect(await cell.inputValue()).toBe('100');
    await cell.fill('250');
    await cell.press('Enter');
    await page.locator('#demo-student-status').filter({ hasText: 'Saved' }).waitFor();
    await shoot('limits');

    const demo = (await apiAs(admin).rateLimits.admin.matrix()).find((row) => row.modelId === 'demo');
    expect(demo?.roles.student).toEqual({ dailyRequestLimit: 250, monthlyTokenLimit: 2_000_000 });
    expect(demo?.roles.staff.dailyRequestLimit).toBe(500);

    await reloadPage(page);
    expect(await page.getByLabel('Demo (offline), Students: requests per day').inputValue()).toBe('250');
  });

  it('says what is wrong with a limit it cannot read, and saves nothing', async () => {
    const cell = page.getByLabel('Demo (offline), Staff: tokens per month');
    await cell.fill('lots');
    await cell.press('Enter');
    await page.locator('#demo-staff-status').filter({ hasText: 'Enter a whole number' }).waitFor();
    expect(await cell.getAttribute('aria-invalid')).toBe('true');
    expect(
      (await apiAs(admin).rateLimits.admin.matrix()).find((row) => row.modelId === 'demo')?.roles.staff
        .monthlyTokenLimit,
    ).toBe(10_000_000);
  });

  it('shows a student’s usage in the analytics and in the CSV download', async () => {
    const student = await makeUser(runtime, 'student', 'deniz.ozkan');
    const today = dayIn(new Date());
    await recordUsage(runtime.orm.em.fork(), student, [
      { date: today, model: 'demo', requests: 7, promptTokens: 1_200, completionTokens: 800, costMicros: 30_000 },
      {
        date: addDays(today, -3),
        model: 'demo',
        requests: 5,
        promptTokens: 600,
        completionTokens: 400,
        costMicros: 12_000,
      },
    ]);

    await openPage(page, `${server.url}/analytics`);
    const row = page.locator('tr[data-key="deniz.ozkan"]');
    await row.waitFor();
    // Requests, tokens, cost and share of cost: 12 requests, 3,000 tokens, $0.042, all of it.
    expect((await row.locator('td').allTextContents()).map((text) => text.trim())).toEqual([
      '12',
      '3,000',
      '$0.042',
      '100%',
    ]);
    expect(await page.getByTestId('total-requests').textContent()).toBe('12');
    expect(await page.getByTestId('total-users').textContent()).toBe('1');
    await page.locator('.recharts-surface').first().waitFor();
    await shoot('analytics');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download CSV by user' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^atrium-usage-by-user-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv.split('\n')).toContain('deniz.ozkan,12,0,1800,1200,0.042000,1');
  });
});
