import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Each file starts its own engines; two cores run two files at a time comfortably.
          maxWorkers: 2,
          // Run after the unit tier when both are selected in one command.
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          environment: 'node',
          // CDK synthesis (no bundling) and cdk-nag: seconds per app, more on a busy machine.
          testTimeout: 120_000,
          hookTimeout: 120_000,
          maxWorkers: 2,
          sequence: { groupOrder: 2 },
        },
      },
      {
        extends: true,
        test: {
          name: 'bundles',
          include: ['test/bundles/**/*.test.ts'],
          environment: 'node',
          // esbuild bundles the real entries, then they run against dynalite and local stand-ins.
          testTimeout: 60_000,
          hookTimeout: 120_000,
          maxWorkers: 2,
          sequence: { groupOrder: 3 },
        },
      },
      {
        extends: true,
        plugins: [vue()],
        // The console's public files (/favicon.svg) resolve as they do in its own build.
        publicDir: 'web/public',
        test: {
          name: 'web',
          include: ['web/src/**/*.test.ts', 'test/web/**/*.test.ts'],
          environment: 'happy-dom',
          // A mount renders Element Plus in happy-dom; a file's first one also loads its modules, which
          // took more than the default 5 s once on a busy 2-core CI machine. Nothing here waits on time.
          testTimeout: 30_000,
          sequence: { groupOrder: 4 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          // A real Chromium against the real server: pages load, render and settle in seconds.
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // One browser at a time: two cores are already busy with the server and the browser.
          maxWorkers: 1,
          globalSetup: ['test/e2e/global-setup.ts'],
          sequence: { groupOrder: 5 },
        },
      },
      {
        extends: true,
        test: {
          name: 'load',
          include: ['test/load/**/*.test.ts'],
          environment: 'node',
          // Thousands of submissions against a child-process server, then the engine catching up:
          // minutes on a busy 2-core machine. Each test bounds itself (autocannon's amount, its waits).
          testTimeout: 60 * 60_000,
          hookTimeout: 5 * 60_000,
          // One load at a time: two would measure each other.
          maxWorkers: 1,
          sequence: { groupOrder: 6 },
        },
      },
    ],
  },
});
