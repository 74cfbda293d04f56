/**
 * What `npm run synth` does (build every chart with the policy enforced, render, write atomically), for
 * a catalog of <services> services deployed to <environments> environments, into <out dir>/infra.
 * Service 1 is today's backend; the others are copies of it, each with its own host and a CronJob, each
 * reaching the backend (so its peer policy grows too). Environment 1 is today's prod; the others are
 * production clusters of their own. Used by bench/synth.sh.
 *
 * usage: tsx bench/synth-at-scale.ts <services> <environments> <out dir>
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildModel, renderInfra } from '../charts/app';
import { EnvironmentDeclaration } from '../charts/environment-declaration';
import { production } from '../charts/environments';
import { INFRA_DIR, SYNTH_OWNED_DIRS } from '../charts/paths';
import { ServiceDeclaration } from '../charts/service-declaration';
import { services as catalog } from '../charts/services';
import { writeTreeAtomically } from '../lib';

function servicesOf(count: number): ServiceDeclaration[] {
  const [backend] = catalog as readonly ServiceDeclaration[];
  return Array.from({ length: count }, (_, index) => {
    if (index === 0) return backend;
    const name = `service-${index}`;
    return {
      ...backend,
      name,
      configMapName: undefined,
      ingress: { hostLabel: `api-${index}` },
      cronJobs: (backend.cronJobs ?? []).map((job) => ({ ...job, name: `${name}-cleanup` })),
      reaches: [{ service: backend.name }],
    };
  });
}

const environmentsOf = (count: number): EnvironmentDeclaration[] =>
  Array.from({ length: count }, (_, index) =>
    index === 0
      ? production
      : {
          ...production,
          name: `prod-${index + 1}`,
          domain: `region-${index + 1}.${production.domain}`,
          cluster: { name: `prod-${index + 1}`, server: `https://prod-${index + 1}.k8s.example:6443` },
          settings: production.name,
        },
  );

function main(): void {
  const [serviceCount, environmentCount, out] = [
    Number(process.argv[2]),
    Number(process.argv[3]),
    process.argv[4],
  ];
  if (!(serviceCount >= 1 && environmentCount >= 1 && out)) {
    console.error('usage: tsx bench/synth-at-scale.ts <services> <environments> <out dir>');
    process.exit(2);
  }
  const services = servicesOf(serviceCount);
  const imagePins = Object.fromEntries(services.map((service) => [service.name, 'sha-0a1b2c3']));
  const tree = renderInfra(
    buildModel({ services, environments: environmentsOf(environmentCount), imagePins }),
  );
  mkdirSync(join(out, INFRA_DIR), { recursive: true });
  writeTreeAtomically(join(out, INFRA_DIR), tree, SYNTH_OWNED_DIRS);
  console.error(
    `synth-at-scale: ${serviceCount} services x ${environmentCount} environments, ${Object.keys(tree).length} files`,
  );
}

main();
