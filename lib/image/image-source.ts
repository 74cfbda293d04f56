/** The two places the source of an image can live. */
export enum ImageSourceKind {
  /** A folder of this repository, built by this repository's release workflow. */
  FOLDER = 'folder',
  /** Another repository, whose own CI builds and pushes the image, then asks for its release. */
  EXTERNAL_REPOSITORY = 'external-repository',
}

/** A relative folder path: no leading or trailing slash, no `.`/`..` segment, no glob character. */
const FOLDER = /^(?!.*(?:^|\/)\.{1,2}(?:\/|$))[\w.-]+(?:\/[\w.-]+)*$/;
/** `owner/name` as GitHub spells repositories. */
const GITHUB_REPOSITORY = /^[A-Za-z0-9-]+\/[\w.-]+$/;

/**
 * Where the source of a catalog image lives, and so how a release of it starts: a push that changes its
 * folder here, or a dispatch from the repository that built it. Create with `ImageSource.folder()` or
 * `ImageSource.externalRepository()`.
 */
export class ImageSource {
  /**
   * The image is built from `path`, a folder of this repository holding its Dockerfile: the folder is the
   * docker build context, and a push to the production branch that changes it releases the image.
   */
  public static folder(path: string): ImageSource {
    if (!FOLDER.test(path)) {
      throw new Error(
        `image source folder "${path}" is not a folder of this repository; write it relative to the root, e.g. services/worker`,
      );
    }
    return new ImageSource(ImageSourceKind.FOLDER, path);
  }

  /**
   * The image's source lives in the GitHub repository `repository` (`owner/name`), whose CI builds the
   * image, pushes it with its `sha-` tag and then asks this repository to release it (a
   * `repository_dispatch` with the image name and the full commit id).
   */
  public static externalRepository(repository: string): ImageSource {
    if (!GITHUB_REPOSITORY.test(repository)) {
      throw new Error(
        `image source repository "${repository}" is not a GitHub owner/name, e.g. acme/backend`,
      );
    }
    return new ImageSource(ImageSourceKind.EXTERNAL_REPOSITORY, repository);
  }

  private constructor(
    /** Which of the two places. */
    public readonly kind: ImageSourceKind,
    /** The folder (relative to the repository root) or the `owner/name` of the other repository. */
    public readonly location: string,
  ) {}

  /** True when this repository builds the image. */
  public get builtHere(): boolean {
    return this.kind === ImageSourceKind.FOLDER;
  }

  /** The docker build context, relative to the repository root; `undefined` when another repository builds it. */
  public get buildContext(): string | undefined {
    return this.builtHere ? this.location : undefined;
  }

  /** The `paths:` glob of the release workflow's push trigger; `undefined` when a dispatch starts the release. */
  public get triggerPath(): string | undefined {
    return this.builtHere ? `${this.location}/**` : undefined;
  }

  /** `folder services/worker` or `repository acme/backend`, for messages. */
  public toString(): string {
    return this.builtHere ? `folder ${this.location}` : `repository ${this.location}`;
  }
}
