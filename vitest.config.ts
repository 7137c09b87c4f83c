import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Two cores: integration tests start servers and workers, so keep the fan-out modest.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
