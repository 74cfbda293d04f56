import { ArgoCdClient, CommandSpec, UsageError, runCommand, waitForRollout } from '../lib';
import { ImageName, imageRepositories } from '../charts/images';

const SPEC: CommandSpec = {
  name: 'release:verify',
  description:
    "CI only: waits until ArgoCD reports the image's Application in every environment (robson-<image>-<environment>) " +
    'Synced and Healthy with every workload on <image>:<tag> and its rollout complete, one environment after the other.',
  arguments: [
    { name: 'image', description: `a catalog image: ${Object.keys(imageRepositories).join(', ')}` },
    { name: 'tag', description: 'the tag that must be running, e.g. sha-0a1b2c3' },
  ],
  options: [{ name: 'timeout', value: 'seconds', description: 'how long to wait (default: 900)' }],
  environment: [
    { name: 'ARGOCD_SERVER', value: 'host', description: 'ArgoCD, https only: argocd.example.com' },
    { name: 'ARGOCD_AUTH_TOKEN', value: 'token', description: 'a token that may get the application' },
  ],
  exitStatus: { 0: 'verified', 1: 'not verified in time or ArgoCD unreadable', 2: 'bad usage' },
};

/** `argocd.example.com` or `https://argocd.example.com`; plain http is refused. */
function serverUrl(value: string): string {
  const url = value.includes('://') ? value : `https://${value}`;
  if (!url.startsWith('https://')) throw new Error(`ARGOCD_SERVER must be https, got "${value}"`);
  return url;
}

runCommand(SPEC, async (commandLine) => {
  const [image, tag] = commandLine.args;
  const timeout = commandLine.value('timeout') ?? '900';
  const timeoutSeconds = Number(timeout);
  if (!(timeoutSeconds > 0))
    throw new UsageError(`--timeout must be a positive number of seconds, got "${timeout}"`);
  const server = process.env.ARGOCD_SERVER ?? '';
  const token = process.env.ARGOCD_AUTH_TOKEN ?? '';
  const missing = [...(server ? [] : ['ARGOCD_SERVER']), ...(token ? [] : ['ARGOCD_AUTH_TOKEN'])];
  if (missing.length > 0) throw new UsageError(`${missing.join(' and ')} must be set`);
  if (!(image in imageRepositories)) {
    throw new UsageError(
      `unknown image "${image}"; the catalog has ${Object.keys(imageRepositories).join(', ')}`,
    );
  }
  const repository = imageRepositories[image as ImageName];
  // A failure is reported by runCommand as `<name> failed: <message>`, exit 1.
  const { applicationName } = await import('../charts/argocd-chart');
  const { environments } = await import('../charts/environments');
  const client = new ArgoCdClient({ server: serverUrl(server), token });
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (const environment of environments) {
    const application = applicationName(image, environment.name);
    const assessment = await waitForRollout({
      client,
      application,
      expected: { repository, tag },
      timeoutMs: Math.max(0, deadline - Date.now()),
    });
    console.log(
      `verified: ${application} is Synced and Healthy at ${assessment.revision ?? 'an unknown revision'}, running ${repository}:${tag}`,
    );
  }
  return 0;
});
