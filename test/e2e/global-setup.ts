/**
 * Vitest global setup: builds the web client once per run (see client-build.ts), so e2e suites
 * serve the real bundle. Suites read the folder with `inject('clientDir')`.
 */
import type { TestProject } from 'vitest/node';
import { buildClient } from './client-build.js';

declare module 'vitest' {
  export interface ProvidedContext {
    clientDir: string;
  }
}

export default async function setup(project: TestProject) {
  project.provide('clientDir', await buildClient());
}
