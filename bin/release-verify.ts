import { ArgoCdClient, waitForRollout } from '../lib';
import { PRODUCTION_APPLICATION } from '../charts/argocd-chart';
import { ImageName, imageRepositories } from '../charts/config';

const USAGE =
  'usage: ARGOCD_SERVER=<host> ARGOCD_AUTH_TOKEN=<token> npm run release:verify -- <image> <tag> [--timeout <seconds>]';

/** `argocd.example.com` or `https://argocd.example.com`; plain http is refused. */
function serverUrl(value: string): string {
  const url = value.includes('://') ? value : `https://${value}`;
  if (!url.startsWith('https://')) throw new Error(`ARGOCD_SERVER must be https, got "${value}"`);
  return url;
}

/**
 * CI only: waits until ArgoCD reports the production application Synced and Healthy with every workload
 * and running pod on <image>:<tag>. 0: verified; 1: not verified in time or ArgoCD unreadable; 2: bad usage.
 */
async function main(args: readonly string[]): Promise<number> {
  const timeoutFlag = args.indexOf('--timeout');
  const timeoutSeconds = timeoutFlag >= 0 ? Number(args[timeoutFlag + 1]) : 900;
  const positional =
    timeoutFlag >= 0 ? args.filter((_, i) => i !== timeoutFlag && i !== timeoutFlag + 1) : args;
  const server = process.env.ARGOCD_SERVER ?? '';
  const token = process.env.ARGOCD_AUTH_TOKEN ?? '';
  if (positional.length !== 2 || !(timeoutSeconds > 0) || !server || !token) {
    console.error(USAGE);
    return 2;
  }
  const [image, tag] = positional;
  if (!(image in imageRepositories)) {
    console.error(
      `release:verify: unknown image "${image}"; the catalog has ${Object.keys(imageRepositories).join(', ')}`,
    );
    return 2;
  }
  const repository = imageRepositories[image as ImageName];
  try {
    const assessment = await waitForRollout({
      client: new ArgoCdClient({ server: serverUrl(server), token }),
      application: PRODUCTION_APPLICATION,
      expected: { repository, tag },
      timeoutMs: timeoutSeconds * 1000,
    });
    console.log(
      `verified: ${PRODUCTION_APPLICATION} is Synced and Healthy at ${assessment.revision ?? 'an unknown revision'}, running ${repository}:${tag}`,
    );
    return 0;
  } catch (error) {
    console.error(`release:verify failed: ${(error as Error).message}`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => (process.exitCode = code));
