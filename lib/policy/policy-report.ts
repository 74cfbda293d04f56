import { isAbsolute, relative, resolve, sep } from 'node:path';
import { formatViolation } from './evaluate';
import { LocatedViolation } from './evaluate-files';
import { ManifestError } from './load-manifests';
import { RuleIdentity } from '../rule/rule-identity';

/** Everything one run of the policy found: what `npm run policy` prints, in any format. */
export interface PolicyReport {
  readonly violations: readonly LocatedViolation[];
  /** Input that could not be read (exit 2). */
  readonly errors: readonly ManifestError[];
  /** Things the run could not do, e.g. schema rules without a schema. */
  readonly notices: readonly string[];
  readonly objectCount: number;
  /** The rules the run evaluated, as SARIF lists them. */
  readonly rules: readonly RuleIdentity[];
}

/** The text report: one line per violation, then the count; errors and notices go to stderr. */
export function textReport(report: PolicyReport): { stdout: string; stderr: string } {
  const lines = report.violations.map(({ violation }) => formatViolation(violation));
  // Input that gave no object at all has nothing to count: the errors say why.
  if (report.objectCount > 0 || report.errors.length === 0) {
    lines.push(`policy: ${report.violations.length} violation(s) in ${report.objectCount} object(s)`);
  }
  const stderr = [
    ...report.errors.map((error) => `policy: ${error.message}`),
    ...report.notices.map((notice) => `policy: note: ${notice}`),
  ];
  return {
    stdout: lines.length > 0 ? `${lines.join('\n')}\n` : '',
    stderr: stderr.length > 0 ? `${stderr.join('\n')}\n` : '',
  };
}

/** The JSON report: the same facts, each violation with file, line and column. */
export function jsonReport(report: PolicyReport): string {
  return `${JSON.stringify(
    {
      objects: report.objectCount,
      violations: report.violations.map(({ violation, file, line, column }) => ({
        ...violation,
        file,
        line,
        column,
      })),
      errors: report.errors.map((error) => ({ location: error.location, message: error.message })),
      notices: report.notices,
    },
    null,
    2,
  )}\n`;
}

/**
 * The rule unreadable input breaks. It is no policy rule (nothing evaluates it), but an error must be a
 * result of some rule for code scanning to show it on the pull request; it never shows notifications.
 */
export const READABLE_INPUT_RULE: RuleIdentity = {
  id: 'FILE001',
  title: 'Every manifest file is readable YAML',
  fix:
    'Make the file UTF-8 YAML whose documents are Kubernetes objects (apiVersion and kind), correcting it ' +
    'at the line the message names, or stop naming it: name YAML manifests only.',
};

/** The base of every relative artifact URI: the working folder of the run. */
const SRCROOT = '%SRCROOT%';

/**
 * One path segment as a URI segment: characters a segment may hold as they are, everything else (space,
 * '#', '%', '?', non-ASCII) percent-encoded. ':' is encoded too: in a relative URI's first segment it
 * would read as a scheme (`a:b.yaml` is not a file but the scheme `a`).
 */
const uriSegment = (segment: string): string =>
  segment.replace(/[^\w\-.~!$&'()*+,;=@]/gu, (char) => encodeURIComponent(char));

const uriPath = (path: string): string => path.split(sep).map(uriSegment).join('/');

/** A folder as the absolute `file:` URI SARIF wants for a base: it ends in '/'. */
export const folderUri = (folder: string): string =>
  `file://${uriPath(resolve(folder)).replace(/\/?$/, '/')}`;

/**
 * Where a file is, as SARIF names it: under `root` (the working folder, which is the checkout in CI)
 * relative to %SRCROOT%, which is what code scanning matches against the repository; elsewhere an
 * absolute `file:` URI, since a `../../tmp/...` path means nothing once resolved against the checkout.
 */
export function artifactLocation(file: string, root: string): { uri: string; uriBaseId?: string } {
  const absolute = resolve(root, file);
  const path = relative(resolve(root), absolute);
  if (path === '..' || path.startsWith(`..${sep}`) || isAbsolute(path))
    return { uri: `file://${uriPath(absolute)}` };
  return { uri: uriPath(path) || '.', uriBaseId: SRCROOT };
}

type SarifLocation = ReturnType<typeof sarifLocation>;

/** A location in SARIF: code scanning needs both the line and the column of the start. */
const sarifLocation = (file: string, root: string, line = 1, column = 1) => ({
  physicalLocation: {
    artifactLocation: artifactLocation(file, root),
    region: { startLine: line, startColumn: column },
  },
});

/**
 * The SARIF 2.1.0 report GitHub code scanning reads (the subset docs.github.com documents for it):
 * one rule per policy rule and one result per violation, at the line and column of the offending field.
 * Unreadable input is a result of rule FILE001 at the file and line the error names, and a failed
 * invocation with one error notification per error. `root` is the working folder, %SRCROOT%.
 */
export function sarifReport(report: PolicyReport, root: string = process.cwd()): string {
  const rules: readonly RuleIdentity[] = [...report.rules, READABLE_INPUT_RULE];
  const index = new Map(rules.map((rule, position) => [rule.id, position]));
  // A violation without a file is of an object no file holds (synth's): its source is a construct path.
  const violationAt = ({ violation, file, line, column }: LocatedViolation): SarifLocation =>
    sarifLocation(file ?? violation.source ?? '.', root, line, column);
  const errorAt = (error: ManifestError): SarifLocation => sarifLocation(error.file, root, error.line);
  // ruleIndex is left out rather than -1 for a rule the list lacks: code scanning accepts 0 and up only.
  const result = (ruleId: string, text: string, location: SarifLocation) => {
    const ruleIndex = index.get(ruleId);
    return {
      ruleId,
      ...(ruleIndex === undefined ? {} : { ruleIndex }),
      level: 'error',
      message: { text },
      locations: [location],
    };
  };
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'prod-gitops-policy',
            informationUri: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/',
            rules: rules.map((rule) => ({
              id: rule.id,
              name: rule.id,
              shortDescription: { text: rule.title },
              // Code scanning requires a full description; the title and the fix together are one.
              fullDescription: { text: `${rule.title}. Fix: ${rule.fix}` },
              help: { text: rule.fix },
              defaultConfiguration: { level: 'error' },
            })),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: folderUri(root) } },
        results: [
          ...report.violations.map((located) =>
            result(
              located.violation.ruleId,
              `${located.violation.object}: ${located.violation.message}. Fix: ${located.violation.fix}`,
              violationAt(located),
            ),
          ),
          ...report.errors.map((error) => result(READABLE_INPUT_RULE.id, error.message, errorAt(error))),
        ],
        invocations: [
          {
            executionSuccessful: report.errors.length === 0,
            toolExecutionNotifications: [
              ...report.errors.map((error) => ({
                level: 'error',
                message: { text: error.message },
                locations: [errorAt(error)],
              })),
              ...report.notices.map((notice) => ({ level: 'warning', message: { text: notice } })),
            ],
          },
        ],
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
