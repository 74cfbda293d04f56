import { ReleaseError } from './release-error';

/** A rule the release file (image name → `sha-` tag) must follow: data with a stable id, like the policy rules. */
export interface PinFileRule {
  /** Stable identifier, e.g. `PIN001`. Never reused for another meaning. */
  readonly id: string;
  /** One-line statement of what the rule requires. */
  readonly title: string;
}

/** The file is a JSON object. */
export const PIN_FILE_FORMAT: PinFileRule = {
  id: 'PIN001',
  title: 'The release file is a JSON object of image name → tag',
};

/** No pin without a catalog entry. */
export const PIN_KNOWN_IMAGE: PinFileRule = {
  id: 'PIN002',
  title: 'Every pin names an image of the catalog',
};

/** No catalog entry without a pin. */
export const PIN_PRESENT: PinFileRule = {
  id: 'PIN003',
  title: 'Every image of the catalog has a pin',
};

/**
 * The same rule as in manifests (IMG002, "images are pinned to a sha- tag"): a pin is the tag every
 * workload of the image runs, so it is held to it at the source.
 */
export const PIN_SHA_TAG: PinFileRule = {
  id: 'IMG002',
  title: 'Images are pinned to a sha- tag',
};

export interface PinFileErrorProps {
  readonly rule: PinFileRule;
  /** Path of the release file, relative to the repository root. */
  readonly file: string;
  /** What is wrong, with the offending value. */
  readonly problem: string;
  /** How to repair the file. */
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
