import { DNS_LABEL, isDnsLabel } from '../../../lib/manifest/dns-label';

describe('isDnsLabel', () => {
  test.each(['a', 'backend', 'db-1', '0x', 'a'.repeat(63)])('accepts %s', (value) => {
    expect(isDnsLabel(value)).toBe(true);
  });

  test.each(['', 'Backend', '-db', 'db-', 'db_1', 'db.1', 'a'.repeat(64)])('refuses %j', (value) => {
    expect(isDnsLabel(value)).toBe(false);
  });

  test('DNS_LABEL leaves the length to the caller', () => {
    expect(DNS_LABEL.test('a'.repeat(64))).toBe(true);
  });
});
