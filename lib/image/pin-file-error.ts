import { RuleIdentity } from '../rule/rule-identity';
import { IMAGE_TAG_RULE } from './image-tag-rule';
import { ReleaseError } from './release-error';

/** The file is a JSON object. */
export const PIN_FILE_FORMAT: RuleIdentity = {
  id: 'PIN001',
  title: 'The release file is a JSON object of image name → tag',
  fix:
    'Restore the release file from the production branch (git checkout origin/main -- <file>); pins ' +
    'change only through npm run release.',
};

/** No pin without a catalog entry. */
export const PIN_KNOWN_IMAGE: RuleIdentity = {
  id: 'PIN002',
  title: 'Every pin names an image of the catalog',
  fix: 'Declare the image in the image catalog in the same pull request, or remove its pin.',
};

/** No catalog entry without a pin. */
export const PIN_PRESENT: RuleIdentity = {
  id: 'PIN003',
  title: 'Every image of the catalog has a pin',
  fix:
    'Add the image with the sha- tag CI built for it in a reviewed pull request, or restore the ' +
    'release file from the production branch.',
};

/**
 * The same rule as in manifests (IMG002): a pin is the tag every workload of the image runs, so it is
 * held to it at the source. Of its forms only the `sha-` tag is a pin; a digest is not.
 */
export const PIN_SHA_TAG: RuleIdentity = IMAGE_TAG_RULE;

/** The rules the release file is held to, in id order (IMG002 is the manifests' rule). */
export const PIN_FILE_RULES: readonly RuleIdentity[] = [
  PIN_SHA_TAG,
  PIN_FILE_FORMAT,
  PIN_KNOWN_IMAGE,
  PIN_PRESENT,
];

export interface PinFileErrorProps {
  /** The rule the file breaks: its id starts the message. */
  readonly rule: RuleIdentity;
  /** Path of the release file, relative to the repository root. */
  readonly file: string;
  /** What is wrong, with the offending value. */
  readonly problem: string;
  /** How to repair the file, for this case: more precise than the rule's own `fix`. */
  readonly fix: string;
  /**
   * The image the problem is about.
   * @default - the file as a whole (it is not valid JSON, or not an object)
   */
  readonly image?: string;
}

/**
 * The release file cannot be used: synth, release and diff stop before writing anything. A
 * `ReleaseError`, so every command reports it as a refusal with its message, never as a crash. The
 * message reads `[<rule>] <file>: <problem>. Fix: <fix>`.
 */
export class PinFileError extends ReleaseError {
  public readonly ruleId: string;
  public readonly file: string;
  public readonly image?: string;

  constructor(props: PinFileErrorProps) {
    super(`[${props.rule.id}] ${props.file}: ${props.problem}. Fix: ${props.fix}`);
    this.name = 'PinFileError';
    this.ruleId = props.rule.id;
    this.file = props.file;
    this.image = props.image;
  }
}
