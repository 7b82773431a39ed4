/** The master key every test process uses (tests that check keys make their own). */
export const TEST_SECRET_KEY = '0f'.repeat(32);
