import { relative, sep } from 'node:path';
import { formatViolation } from './evaluate';
import { LocatedViolation } from './evaluate-files';
import { ManifestError } from './load-manifests';
import { PolicyRule } from './types';

/** Everything one run of the policy found: what `npm run policy` prints, in any format. */
export interface PolicyReport {
  readonly violations: readonly LocatedViolation[];
  /** Input that could not be read (exit 2). */
  readonly errors: readonly ManifestError[];
  /** Things the run could not do, e.g. schema rules without a schema. */
  readonly notices: readonly string[];
  readonly objectCount: number;
  readonly rules: readonly PolicyRule[];
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

/** A path as a SARIF artifact URI: relative to the working directory, forward slashes. */
const uriOf = (file: string): string => relative(process.cwd(), file).split(sep).join('/');

const fileAndLine = (location: string): { file: string; line?: number } => {
  const match = /^(.*?):(\d+)(\s.*)?$/.exec(location);
  return match ? { file: match[1], line: Number(match[2]) } : { file: location };
};

/**
 * The SARIF 2.1.0 report GitHub code scanning reads: one rule per policy rule, one result per
 * violation at the line and column of the offending field; unreadable input is a failed invocation
 * with one error notification per file.
 */
export function sarifReport(report: PolicyReport): string {
  const index = new Map(report.rules.map((rule, position) => [rule.id, position]));
  const region = (line?: number, column?: number) => ({
    startLine: line ?? 1,
    ...(column ? { startColumn: column } : {}),
  });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'prod-gitops-policy',
            informationUri: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/',
            rules: report.rules.map((rule) => ({
              id: rule.id,
              name: rule.id,
              shortDescription: { text: rule.title },
              help: { text: rule.fix },
              defaultConfiguration: { level: 'error' },
            })),
          },
        },
        results: report.violations.map(({ violation, file, line, column }) => {
          return {
            ruleId: violation.ruleId,
            ruleIndex: index.get(violation.ruleId) ?? -1,
            level: 'error',
            message: { text: `${violation.object}: ${violation.message}. Fix: ${violation.fix}` },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: uriOf(file ?? violation.source ?? '.') },
                  region: region(line, column),
                },
              },
            ],
          };
        }),
        invocations: [
          {
            executionSuccessful: report.errors.length === 0,
            toolExecutionNotifications: [
              ...report.errors.map((error) => {
                const { file, line } = fileAndLine(error.location);
                return {
                  level: 'error',
                  message: { text: error.message },
                  locations: [
                    { physicalLocation: { artifactLocation: { uri: uriOf(file) }, region: region(line) } },
                  ],
                };
              }),
              ...report.notices.map((notice) => ({ level: 'warning', message: { text: notice } })),
            ],
          },
        ],
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
