import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManifestError } from '../../../lib/policy/load-manifests';
import { PolicyReport, artifactLocation, folderUri, sarifReport } from '../../../lib/policy/policy-report';
import { RULES } from '../../../lib/policy/rules';
import { PolicyRule, Violation } from '../../../lib/policy/types';

const SECRET_RULE: PolicyRule = {
  id: 'SEC001',
  title: 'No Secret values in Git',
  fix: 'Create the Secret outside Git.',
  check: () => [],
};

const secretViolation = (object: string): Violation => ({
  ruleId: 'SEC001',
  title: SECRET_RULE.title,
  fix: SECRET_RULE.fix,
  message: 'Secret carries plaintext values',
  object,
});

const report = (overrides: Partial<PolicyReport>): PolicyReport => ({
  violations: [],
  errors: [],
  notices: [],
  objectCount: 0,
  rules: [SECRET_RULE],
  ...overrides,
});

const FILE001 = {
  id: 'FILE001',
  name: 'FILE001',
  shortDescription: { text: 'Every manifest file is readable YAML' },
  fullDescription: {
    text:
      'Every manifest file is readable YAML. Fix: Make the file UTF-8 YAML whose documents are Kubernetes ' +
      'objects (apiVersion and kind), correcting it at the line the message names, or stop naming it: ' +
      'name YAML manifests only.',
  },
  help: {
    text:
      'Make the file UTF-8 YAML whose documents are Kubernetes objects (apiVersion and kind), correcting ' +
      'it at the line the message names, or stop naming it: name YAML manifests only.',
  },
  defaultConfiguration: { level: 'error' },
};

describe('sarifReport', () => {
  test('a violation inside and one outside the working folder, a parse error and a binary file', () => {
    // given: a working folder, a folder outside it, and a binary file whose name ends like a line number
    // (its error holds no line: a report never parses one out of the name)
    const root = mkdtempSync(join(tmpdir(), 'policy-report-root-'));
    const outside = mkdtempSync(join(tmpdir(), 'policy-report-outside-'));
    mkdirSync(join(root, 'apps'));
    const given = report({
      violations: [
        {
          violation: secretViolation('Secret production/db'),
          file: join(root, 'apps', 'web app#1.yaml'),
          line: 4,
          column: 7,
        },
        {
          violation: secretViolation('Secret production/tmp'),
          file: join(outside, '100%.yaml'),
          line: 2,
          column: 1,
        },
      ],
      errors: [
        new ManifestError('broken.yaml', 'unexpected end of the stream', 3),
        new ManifestError('dump:12', 'not a text file (it holds NUL bytes): name YAML manifests only'),
      ],
      objectCount: 2,
    });
    // when
    const sarif: unknown = JSON.parse(sarifReport(given, root));
    // then
    const at = (uri: string, startLine: number, startColumn: number, uriBaseId?: string) => [
      {
        physicalLocation: {
          artifactLocation: uriBaseId ? { uri, uriBaseId } : { uri },
          region: { startLine, startColumn },
        },
      },
    ];
    expect(sarif).toEqual({
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: 'prod-gitops-policy',
              informationUri: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/',
              rules: [
                {
                  id: 'SEC001',
                  name: 'SEC001',
                  shortDescription: { text: 'No Secret values in Git' },
                  fullDescription: { text: 'No Secret values in Git. Fix: Create the Secret outside Git.' },
                  help: { text: 'Create the Secret outside Git.' },
                  defaultConfiguration: { level: 'error' },
                },
                FILE001,
              ],
            },
          },
          originalUriBaseIds: { '%SRCROOT%': { uri: `file://${root}/` } },
          results: [
            {
              ruleId: 'SEC001',
              ruleIndex: 0,
              level: 'error',
              message: {
                text: 'Secret production/db: Secret carries plaintext values. Fix: Create the Secret outside Git.',
              },
              locations: at('apps/web%20app%231.yaml', 4, 7, '%SRCROOT%'),
            },
            {
              ruleId: 'SEC001',
              ruleIndex: 0,
              level: 'error',
              message: {
                text: 'Secret production/tmp: Secret carries plaintext values. Fix: Create the Secret outside Git.',
              },
              locations: at(`file://${outside}/100%25.yaml`, 2, 1),
            },
            {
              ruleId: 'FILE001',
              ruleIndex: 1,
              level: 'error',
              message: { text: 'broken.yaml:3: unexpected end of the stream' },
              locations: at('broken.yaml', 3, 1, '%SRCROOT%'),
            },
            {
              ruleId: 'FILE001',
              ruleIndex: 1,
              level: 'error',
              message: { text: 'dump:12: not a text file (it holds NUL bytes): name YAML manifests only' },
              locations: at('dump%3A12', 1, 1, '%SRCROOT%'),
            },
          ],
          invocations: [
            {
              executionSuccessful: false,
              toolExecutionNotifications: [
                {
                  level: 'error',
                  message: { text: 'broken.yaml:3: unexpected end of the stream' },
                  locations: at('broken.yaml', 3, 1, '%SRCROOT%'),
                },
                {
                  level: 'error',
                  message: {
                    text: 'dump:12: not a text file (it holds NUL bytes): name YAML manifests only',
                  },
                  locations: at('dump%3A12', 1, 1, '%SRCROOT%'),
                },
              ],
            },
          ],
        },
      ],
    });
  });

  test('a result of a rule the list lacks has no ruleIndex (code scanning refuses -1)', () => {
    // given
    const given = report({
      violations: [{ violation: secretViolation('Secret production/db'), file: '/tmp/a.yaml', line: 1 }],
      rules: [],
    });
    // when
    const [result] = (JSON.parse(sarifReport(given, '/work')) as SarifLog).runs[0].results;
    // then
    expect(result).not.toHaveProperty('ruleIndex');
    expect(result.ruleId).toBe('SEC001');
  });

  test('every policy rule has the descriptions code scanning requires, within its limits', () => {
    // when
    const { rules } = (JSON.parse(sarifReport(report({ rules: RULES }), '/work')) as SarifLog).runs[0].tool
      .driver;
    // then: required texts are non-empty (code scanning refuses ""), names at most 255, texts 1024
    const tooLong = rules.filter(
      (rule) =>
        rule.name.length > 255 ||
        [rule.shortDescription.text, rule.fullDescription.text, rule.help.text].some(
          (text) => text.length === 0 || text.length > 1024,
        ),
    );
    expect(tooLong).toEqual([]);
    expect(rules.map((rule) => rule.id)).toEqual([...RULES.map((rule) => rule.id), 'FILE001']);
  });
});

describe('artifactLocation', () => {
  test.each([
    [
      'a file under the working folder is relative to %SRCROOT%',
      'infra/app.yaml',
      { uri: 'infra/app.yaml', uriBaseId: '%SRCROOT%' },
    ],
    [
      'an absolute path under it too',
      '/work/repo/infra/app.yaml',
      { uri: 'infra/app.yaml', uriBaseId: '%SRCROOT%' },
    ],
    ['a file outside is an absolute file: URI', '../other/app.yaml', { uri: 'file:///work/other/app.yaml' }],
    ['a name starting with .. is still inside', '..app.yaml', { uri: '..app.yaml', uriBaseId: '%SRCROOT%' }],
    ["':' is encoded, lest it read as a scheme", 'a:b.yaml', { uri: 'a%3Ab.yaml', uriBaseId: '%SRCROOT%' }],
    [
      "'?', non-ASCII and '%' are encoded",
      'q?/é/50%.yaml',
      { uri: 'q%3F/%C3%A9/50%25.yaml', uriBaseId: '%SRCROOT%' },
    ],
    ['the working folder itself is .', '.', { uri: '.', uriBaseId: '%SRCROOT%' }],
  ])('%s', (_name, file, expected) => {
    expect(artifactLocation(file, '/work/repo')).toEqual(expected);
  });

  test('the working folder is a file: URI ending in /', () => {
    expect([folderUri('/work/my repo'), folderUri('/')]).toEqual(['file:///work/my%20repo/', 'file:///']);
  });
});

describe('where SARIF places an unreadable file: its file and line as the error holds them', () => {
  test.each<[string, ManifestError, { uri: string; startLine: number }]>([
    ['a file', new ManifestError('app.yaml', 'r'), { uri: 'app.yaml', startLine: 1 }],
    ['a file and line', new ManifestError('app.yaml', 'r', 3), { uri: 'app.yaml', startLine: 3 }],
    [
      'an item of a List',
      new ManifestError('list.yaml', 'r', 7, ' items[2]'),
      { uri: 'list.yaml', startLine: 7 },
    ],
    [
      'an item of a List in a List',
      new ManifestError('list.yaml', 'r', 9, ' items[0].items[3]'),
      { uri: 'list.yaml', startLine: 9 },
    ],
    [
      "a file name with ':' and a line",
      new ManifestError('a:1:b.yaml', 'r', 3),
      { uri: 'a%3A1%3Ab.yaml', startLine: 3 },
    ],
    [
      "a file name with ':' and no line",
      new ManifestError('a:b.yaml', 'r'),
      { uri: 'a%3Ab.yaml', startLine: 1 },
    ],
    [
      "a file name with ':' and a space",
      new ManifestError('a:1 b.yaml', 'r'),
      { uri: 'a%3A1%20b.yaml', startLine: 1 },
    ],
    [
      'a file whose name ends like a line',
      new ManifestError('dump:12', 'r'),
      { uri: 'dump%3A12', startLine: 1 },
    ],
  ])('%s', (_name, error, { uri, startLine }) => {
    // given
    const root = mkdtempSync(join(tmpdir(), 'policy-report-root-'));
    // when
    const sarif = JSON.parse(
      sarifReport(report({ violations: [], errors: [error], objectCount: 0 }), root),
    ) as {
      runs: { results: { locations: unknown[] }[] }[];
    };
    // then
    expect(sarif.runs[0].results.map((result) => result.locations)).toEqual([
      [
        {
          physicalLocation: {
            artifactLocation: { uri, uriBaseId: '%SRCROOT%' },
            region: { startLine, startColumn: 1 },
          },
        },
      ],
    ]);
  });
});

interface SarifLog {
  runs: {
    tool: {
      driver: {
        rules: {
          id: string;
          name: string;
          shortDescription: { text: string };
          fullDescription: { text: string };
          help: { text: string };
        }[];
      };
    };
    results: { ruleId: string; ruleIndex?: number }[];
  }[];
}
