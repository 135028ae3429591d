import type { Page } from 'playwright-core';

/** Someone signing up in the browser for the first time. */
export const ada = {
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  password: 'analytical engine 1843',
};

/** Signs up through the sign-up page; answers the id of the person's new workspace. */
export async function signUpInBrowser(
  page: Page,
  serverUrl: string,
  person: { name: string; email: string; password: string } = ada,
): Promise<string> {
  await page.goto(`${serverUrl}/sign-up`);
  await page.getByLabel('Name').fill(person.name);
  await page.getByLabel('Work email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(/\/w\/[0-9a-f-]{36}$/);
  return /\/w\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';
}

/**
 * API calls under `/api/workspaces/:id` as the person signed in in the page (its cookies and
 * origin), for setting up what a browser test is not about.
 */
export function workspaceApi(page: () => Page, serverUrl: () => string, workspaceId: () => string) {
  return async (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
  ) => {
    const url = serverUrl();
    const response = await page().request.fetch(`${url}/api/workspaces/${workspaceId()}${path}`, {
      method,
      headers: { origin: url, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { data: JSON.stringify(body) }),
    });
    // biome-ignore lint/suspicious/noExplicitAny: test bodies are checked by assertions, not types
    return { status: response.status(), body: (await response.json()) as any };
  };
}
