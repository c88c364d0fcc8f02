/** The fixed "now" of the seeded test database, so seeded timings are stable. */
export const TEST_NOW = new Date('2026-11-23T02:00:00.000Z');
export const TEST_ADMIN_PASSWORD = 'Admin@Test-2026';
/** The test apps' session secret (channel secrets are sealed under a key derived from it). */
export const TEST_SESSION_SECRET = 'test-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
