/** The demo staff password; printed at start and listed in README.md. Demo data only. */
export const DEMO_PASSWORD = 'Kefu@95598';
