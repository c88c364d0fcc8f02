/** The fixed "now" of the seeded test database, so seeded timings are stable. */
export const TEST_NOW = new Date('2026-11-23T02:00:00.000Z');
export const TEST_ADMIN_PASSWORD = 'Admin@Test-2026';
