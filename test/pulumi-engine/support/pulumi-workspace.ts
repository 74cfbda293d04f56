import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  accessSync,
  appendFileSync,
  constants,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { REPO_ROOT } from '../../helpers/tools';
import { clusterTestEnv } from '../../cluster/support/cluster-env';
import { EXISTING_VARIABLE, RECORDING_VARIABLE, RecordedCall } from './fake-github-provider';

/** The folder of this suite's plugin executables (language host, FAKE GitHub provider): first on PATH. */
export const PLUGIN_BIN = join(__dirname, 'bin');

/** Where tools/pulumi/build.sh put pulumi and its Kubernetes provider: TOOLS_BIN, which run.sh exports. */
function pulumiTools(): string {
  const tools = process.env.TOOLS_BIN;
  if (!tools)
    throw new Error(
      'TOOLS_BIN is not set: run the suite with npm run test:pulumi (test/pulumi-engine/run.sh)',
    );
  return tools;
}
/** Everything but these is linked into a workspace's project folder; the project file is copied. */
const NOT_LINKED = new Set(['.git', 'Pulumi.yaml']);
/** The context of the kubeconfig test/cluster/run.sh writes. */
const KUBE_CONTEXT = 'cluster-test';

/** What one CLI run printed and how it ended. */
export interface PulumiRun {
  readonly command: string;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface WorkspaceOptions {
  /** The stack's name: its configuration is written to `Pulumi.<stack>.yaml` of the project copy. */
  readonly stack: string;
  /** The stack file's `config:` map. */
  readonly config: Readonly<Record<string, unknown>>;
  /**
   * Files of the project replaced by a real copy, each changed by `edit` (e.g. the program without one
   * of its options); the rest of the project is linked.
   * @default - none: the program is the repository's own
   */
  readonly edits?: Readonly<Record<string, (text: string) => string>>;
  /**
   * What already exists on the FAKE GitHub (`FAKE_GITHUB_EXISTING`).
   * @default - nothing
   */
  readonly existingOnGitHub?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /**
   * The project the copy is made of (a work clone with an edit of its own, for example).
   * @default - this repository
   */
  readonly source?: string;
  /**
   * The API server the program's Kubernetes provider talks to, and the folder the workspace is made in.
   * @default - the cluster suite's (test/cluster/run.sh)
   */
  readonly cluster?: WorkspaceCluster;
}

/** An API server for the workspace: an administrator's kubeconfig (context `cluster-test`) and a scratch folder. */
export interface WorkspaceCluster {
  readonly kubeconfig: string;
  readonly scratch: string;
}

/**
 * A copy of the project for the real Pulumi CLI: `Pulumi.yaml` copied, the stack file written from
 * `config`, everything else (stacks/, lib/, charts/, node_modules, package.json...) linked to the
 * repository, so the engine runs the repository's program and never writes into the repository. Its
 * own local file backend, PULUMI_HOME and passphrase (random, made here), all in a fresh folder below
 * the control plane's scratch folder (deleted with it).
 */
export class PulumiWorkspace {
  readonly root: string;
  readonly project: string;
  readonly recording: string;
  private readonly env: Record<string, string>;

  constructor(readonly options: WorkspaceOptions) {
    const cluster = options.cluster ?? clusterTestEnv();
    const source = options.source ?? REPO_ROOT;
    this.root = mkdtempSync(join(cluster.scratch, `pulumi-${options.stack}-`));
    this.project = join(this.root, 'project');
    this.recording = join(this.root, 'fake-github.jsonl');
    const state = join(this.root, 'state');
    const home = join(this.root, 'home');
    for (const dir of [this.project, state, home]) mkdirSync(dir, { recursive: true });
    writeFileSync(this.recording, '');

    for (const entry of readdirSync(source)) {
      if (NOT_LINKED.has(entry) || /^Pulumi\..+\.yaml$/.test(entry)) continue;
      if (options.edits && Object.keys(options.edits).some((path) => path.split('/')[0] === entry)) continue;
      symlinkSync(join(source, entry), join(this.project, entry));
    }
    copyFileSync(join(source, 'Pulumi.yaml'), join(this.project, 'Pulumi.yaml'));
    this.copyEdited(source, options.edits ?? {});
    writeFileSync(join(this.project, `Pulumi.${options.stack}.yaml`), stringify({ config: options.config }));

    const tools = pulumiTools();
    accessSync(join(tools, 'pulumi'), constants.X_OK);
    this.env = {
      PATH: [PLUGIN_BIN, tools, process.env.PATH ?? ''].join(':'),
      HOME: home,
      PULUMI_HOME: home,
      PULUMI_BACKEND_URL: `file://${state}`,
      // A test value made now, never written anywhere but this run's environment.
      PULUMI_CONFIG_PASSPHRASE: randomBytes(18).toString('hex'),
      PULUMI_SKIP_UPDATE_CHECK: 'true',
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
      PULUMI_SKIP_CONFIRMATIONS: 'true',
      NO_COLOR: '1',
      ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
      KUBECONFIG: cluster.kubeconfig,
      PRODUCTION_KUBE_CONTEXT: KUBE_CONTEXT,
      // Obviously not a token: the FAKE GitHub provider never reads it, the program only checks it is set.
      GITHUB_TOKEN: 'not-a-real-token-fake-github',
      [RECORDING_VARIABLE]: this.recording,
      [EXISTING_VARIABLE]: JSON.stringify(options.existingOnGitHub ?? {}),
    };
    this.must(['stack', 'init']);
  }

  /** Runs `pulumi <args> --stack <stack>` in the project copy (`onStack` false: without `--stack`). */
  run(args: readonly string[], onStack = true): PulumiRun {
    const full = onStack ? [...args, '--stack', this.options.stack, '--non-interactive'] : [...args];
    const started = Date.now();
    const result = spawnSync(join(pulumiTools(), 'pulumi'), full, {
      cwd: this.project,
      env: this.env,
      encoding: 'utf8',
      timeout: 180_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    if (result.error) throw result.error;
    if (process.env.PULUMI_ENGINE_TIMINGS) {
      appendFileSync(
        process.env.PULUMI_ENGINE_TIMINGS,
        `${Date.now() - started} ms pulumi ${args.join(' ')}\n`,
      );
    }
    return {
      command: `pulumi ${full.join(' ')}`,
      status: result.status,
      stdout: result.stdout,
      stderr: result.stderr,
    };
  }

  /** Runs the command; throws with its output unless it exits 0. */
  must(args: readonly string[], onStack = true): PulumiRun {
    const run = this.run(args, onStack);
    if (run.status !== 0) {
      throw new Error(
        `${run.command} exited ${run.status}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`,
      );
    }
    return run;
  }

  /** Every call the FAKE GitHub provider recorded, in order. */
  recorded(): RecordedCall[] {
    return readFileSync(this.recording, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as RecordedCall);
  }

  /** The resources of the stack's state (`pulumi stack export`). */
  stateResources(): StateResource[] {
    const exported = JSON.parse(this.must(['stack', 'export']).stdout) as {
      deployment: { resources?: StateResource[] };
    };
    return exported.deployment.resources ?? [];
  }

  /** The resource changes of the last update, e.g. `{ same: 18 }` (`pulumi stack history`). */
  lastChanges(): Record<string, number> {
    const history = JSON.parse(this.must(['stack', 'history', '--json']).stdout) as {
      resourceChanges?: Record<string, number>;
    }[];
    return history[0]?.resourceChanges ?? {};
  }

  private copyEdited(source: string, edits: Readonly<Record<string, (text: string) => string>>): void {
    const copied = new Set<string>();
    for (const path of Object.keys(edits)) {
      const top = path.split('/')[0];
      if (copied.has(top)) continue;
      copied.add(top);
      copyTree(join(source, top), join(this.project, top));
    }
    for (const [path, edit] of Object.entries(edits)) {
      const file = join(this.project, path);
      const before = readFileSync(file, 'utf8');
      const after = edit(before);
      if (after === before)
        throw new Error(`the edit of ${path} changed nothing: update the test to the program`);
      writeFileSync(file, after);
    }
  }
}

/** One resource of `pulumi stack export`. */
export interface StateResource {
  readonly urn: string;
  readonly type: string;
  readonly id?: string;
  readonly inputs?: Record<string, unknown>;
  readonly outputs?: Record<string, unknown>;
  readonly protect?: boolean;
}

function copyTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.isDirectory()) copyTree(join(from, entry.name), join(to, entry.name));
    else copyFileSync(join(from, entry.name), join(to, entry.name));
  }
}

/** The type and name of a URN, `type name`. */
export const typeAndName = (urn: string): string => {
  const [, , types = '', name = ''] = urn.split('::');
  return `${types.split('$').at(-1)} ${name}`;
};
