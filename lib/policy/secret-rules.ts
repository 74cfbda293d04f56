import { PolicyRule } from './types';

export const NO_SECRET_DATA: PolicyRule = {
  id: 'SEC001',
  title: 'No Secret values in Git',
  fix: 'Create the Secret outside Git (external secret store or sealed secret) and reference it by name.',
  check: (object) => {
    if (object.kind !== 'Secret') return [];
    return (['data', 'stringData'] as const)
      .filter((field) => Object.keys((object[field] as object | undefined) ?? {}).length > 0)
      .map((field) => ({ message: `Secret carries plaintext values in "${field}"` }));
  },
};
