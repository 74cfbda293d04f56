import { PROJECT, stackFileValues } from '../../stacks/settings';
import { mockEngine, registrationsDone } from './pulumi-mocks';

describe('the Pulumi program with weakening configuration (mocked Pulumi engine)', () => {
  test('fails with force pushes allowed, before declaring any resource', async () => {
    // given
    const resources = mockEngine(
      {
        ...stackFileValues(),
        [`${PROJECT}:releaseAppId`]: '424242',
        [`${PROJECT}:allowForcePushes`]: 'true',
      },
      PROJECT,
    );
    // when
    const loading = import('../../stacks');
    // then
    await expect(loading).rejects.toThrow(
      `${PROJECT}:allowForcePushes: force pushes to the protected branch are always blocked; remove it`,
    );
    await registrationsDone();
    expect(resources).toEqual([]);
  });
});
