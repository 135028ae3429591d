import type { TestProject } from 'vitest/node';
import './provided-context.js';
import { createTemplateDatabase } from './test-database.js';

/** vitest globalSetup: one migrated template per project and run, handed to workers by name. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const template = await createTemplateDatabase(project.name || 'default');
  project.provide('pmosTemplateDb', template.name);
  return template.drop;
}
