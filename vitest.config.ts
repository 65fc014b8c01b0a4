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
    ],
  },
});
