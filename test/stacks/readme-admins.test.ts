import { existsSync, readFileSync } from 'node:fs';
import * as github from '@pulumi/github';
import { ADMIN_ENVIRONMENT } from '../../stacks/admin-environment';
import { STACK_FILE } from '../../stacks/settings';
import { adminCommandProblems, adminCommands, adminsSection, settingsTableProblems } from './readme-admins';

const section = adminsSection(readFileSync('README.md', 'utf8'));

/** A minimal Admins section that agrees with the program, to break one line at a time. */
const GOOD = `## Admins

| setting | where it lives |
| --- | --- |
| \`releaseAppId\`, \`requiredChecks\`, \`requiredApprovals\` | \`${STACK_FILE}\`, by pull request |
| \`developersGroup\`, \`oncallGroup\`, \`breakGlassGroup\`, \`breakGlassUser\`, \`argocdServiceAccount\` | \`${STACK_FILE}\` |
| \`organisation\`, \`repository\`, \`github:owner\`, \`pulumi:disable-default-providers\` | \`${STACK_FILE}\` |
| \`GITHUB_TOKEN\`, \`PRODUCTION_KUBE_CONTEXT\`, \`KUBECONFIG\` | your shell |

\`\`\`sh
export GITHUB_TOKEN=<token>
export PRODUCTION_KUBE_CONTEXT=<context>   # kubectl config get-contexts
pulumi config set releaseAppId <id> --stack prod
pulumi import --file stacks/adopt-existing.json --stack prod
\`\`\`
`;

describe('the Admins section of README.md, against the program', () => {
  test('every command it gives agrees with the program: keys, variables, stack and files', () => {
    // given the section as committed
    // when
    const problems = adminCommandProblems(section, existsSync);
    // then
    expect(problems).toEqual([]);
    expect(adminCommands(section).map((c) => c.line)).toContain(
      'pulumi config set releaseAppId <numeric App ID> --stack prod',
    );
  });

  test('its settings table puts every setting where the program reads it, and misses none', () => {
    // given / when / then
    expect(settingsTableProblems(section)).toEqual([]);
  });

  test('the variables it exports are read: the GitHub provider reads GITHUB_TOKEN', () => {
    // given the token in the shell, as the section sets it
    const saved = process.env.GITHUB_TOKEN;
    process.env.GITHUB_TOKEN = 'not-a-token-from-the-shell';
    try {
      // when
      const token = github.config.token;
      // then
      expect(token).toBe('not-a-token-from-the-shell');
      expect(ADMIN_ENVIRONMENT.GITHUB_TOKEN.required).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.GITHUB_TOKEN;
      else process.env.GITHUB_TOKEN = saved;
    }
  });

  test('a section that agrees with the program has no problem (the cases below each break one line)', () => {
    // given / when / then
    expect(adminCommandProblems(GOOD, existsSync)).toEqual([]);
    expect(settingsTableProblems(GOOD)).toEqual([]);
  });

  test.each([
    [
      'fails when it writes the kubeconfig context into the stack file',
      'pulumi config set kubernetes:context my-laptop --stack prod',
      'kubernetes:context is set in Pulumi.prod.yaml, but it is per admin and must not be committed',
    ],
    [
      'fails when it writes the token into the stack file',
      'pulumi config set --secret github:token not-a-token --stack prod',
      'writes ciphertext into Pulumi.prod.yaml, which holds no secret',
    ],
    [
      'fails when it sets a key the program rejects',
      'pulumi config set allowForcePushes true --stack prod',
      'the protection of main cannot be weakened by configuration',
    ],
    [
      'fails when it sets a key the program does not know',
      'pulumi config set ciServiceAccount ci/ci-image-updater --stack prod',
      'production-infra:ciServiceAccount is not a key the program reads from Pulumi.prod.yaml',
    ],
    [
      'fails when it writes another stack',
      'pulumi config set releaseAppId 1 --stack staging',
      'writes stack staging, not prod (Pulumi.prod.yaml)',
    ],
    [
      'fails when it exports a variable nothing reads',
      'export KUBE_CONTEXT=prod',
      'KUBE_CONTEXT is read by neither the program nor its providers',
    ],
    [
      'fails when it names a file that does not exist',
      'pulumi import --file stacks/adopt.json --stack prod',
      'stacks/adopt.json does not exist',
    ],
  ])('%s', (_case, command, problem) => {
    // given the good section with one more command
    const broken = GOOD.replace('```sh\n', `\`\`\`sh\n${command}\n`);
    // when
    const problems = adminCommandProblems(broken, existsSync);
    // then
    expect(problems).toContainEqual(expect.stringContaining(problem));
  });

  test('fails when it never exports a variable the program requires', () => {
    // given
    const broken = GOOD.replace('export PRODUCTION_KUBE_CONTEXT=<context>', '');
    // when / then
    expect(adminCommandProblems(broken, existsSync)).toEqual([
      'PRODUCTION_KUBE_CONTEXT is required by the program, but the section never exports it',
    ]);
  });

  test.each([
    [
      'puts a shell variable in the stack file',
      '| `KUBECONFIG` | `Pulumi.prod.yaml` |',
      'KUBECONFIG: read from the shell',
    ],
    [
      'puts a committed key in the shell',
      '| `releaseAppId` | your shell |',
      'releaseAppId: read from Pulumi.prod.yaml',
    ],
    [
      'names a setting that does not exist',
      '| `kubernetes:context` | your shell |',
      'kubernetes:context: neither a key',
    ],
  ])('fails when the settings table %s', (_case, row, problem) => {
    // given the good table with one more row
    const broken = GOOD.replace('| --- | --- |\n', `| --- | --- |\n${row}\n`);
    // when / then
    expect(settingsTableProblems(broken)).toEqual([expect.stringContaining(problem)]);
  });

  test('fails when the settings table leaves a setting out', () => {
    // given
    const broken = GOOD.replace(', `KUBECONFIG`', '');
    // when / then
    expect(settingsTableProblems(broken)).toEqual(['KUBECONFIG: the table does not say where it lives']);
  });
});
