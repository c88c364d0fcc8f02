import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The root vitest.config.ts only includes packages/* and apps/server, and its global setup seeds a
// database the widget does not need; this config runs the widget's unit tests on their own:
//   npx vitest run --config apps/widget/vitest.config.ts
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['src/**/*.test.ts'],
  },
});
