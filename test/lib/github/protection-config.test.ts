import { PROTECTION_WEAKENING_KEYS, rejectWeakeningKeys } from '../../../lib/github';

describe('rejectWeakeningKeys', () => {
  test('accepts configuration without weakening keys', () => {
    // given / when / then
    expect(() => rejectWeakeningKeys(['requiredApprovals', 'requiredChecks'], 'p')).not.toThrow();
  });

  test.each(Object.keys(PROTECTION_WEAKENING_KEYS))(
    'fails for %s, naming the key, the reason and the fix',
    (key) => {
      // given / when / then
      expect(() => rejectWeakeningKeys(['requiredChecks', key], 'production-infra')).toThrow(
        `production-infra:${key}: ${PROTECTION_WEAKENING_KEYS[key]}; remove it (pulumi config rm ${key})`,
      );
    },
  );

  test('covers force pushes, deletion, bypass actors and admins', () => {
    // given / when / then
    for (const key of ['allowForcePushes', 'allowDeletions', 'bypassActors', 'enforceAdmins']) {
      expect(PROTECTION_WEAKENING_KEYS).toHaveProperty(key);
    }
  });
});
