import { PROJECT, stackFileValues } from '../../stacks/settings';
import { mockEngine, registrationsDone } from './pulumi-mocks';

describe('the Pulumi program with zero approvals (mocked Pulumi engine)', () => {
  test('fails before declaring any resource', async () => {
    // given
    const resources = mockEngine(
      { ...stackFileValues(), [`${PROJECT}:releaseAppId`]: '424242', [`${PROJECT}:requiredApprovals`]: '0' },
      PROJECT,
    );
    // when
    const loading = import('../../stacks');
    // then
    await expect(loading).rejects.toThrow(`${PROJECT}:requiredApprovals: 0 approvals would weaken`);
    await registrationsDone();
    expect(resources).toEqual([]);
  });
});
