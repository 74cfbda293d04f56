import { PROJECT, stackFileValues } from '../../stacks/settings';
import { mockEngine, registrationsDone } from './pulumi-mocks';

describe('the Pulumi program without the kubeconfig context in the shell (mocked Pulumi engine)', () => {
  const saved = { context: process.env.PRODUCTION_KUBE_CONTEXT, token: process.env.GITHUB_TOKEN };
  afterAll(() => {
    if (saved.context === undefined) delete process.env.PRODUCTION_KUBE_CONTEXT;
    else process.env.PRODUCTION_KUBE_CONTEXT = saved.context;
    if (saved.token === undefined) delete process.env.GITHUB_TOKEN;
    else process.env.GITHUB_TOKEN = saved.token;
  });

  test('fails naming PRODUCTION_KUBE_CONTEXT and the export, before declaring any resource', async () => {
    // given a complete stack file and a shell with the token but no context
    delete process.env.PRODUCTION_KUBE_CONTEXT;
    process.env.GITHUB_TOKEN = 'not-a-real-token';
    const resources = mockEngine({ ...stackFileValues(), [`${PROJECT}:releaseAppId`]: '424242' }, PROJECT);
    // when
    const loading = import('../../stacks');
    // then
    await expect(loading).rejects.toThrow(
      'PRODUCTION_KUBE_CONTEXT is not set. They are per admin and never committed',
    );
    await expect(loading).rejects.toThrow(
      'export PRODUCTION_KUBE_CONTEXT=<the name of your kubeconfig context',
    );
    await registrationsDone();
    expect(resources).toEqual([]);
  });
});
