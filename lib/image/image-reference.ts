/** The parts of a container image reference such as `ghcr.io/acme/backend:sha-0a1b2c3`. */
export interface ImageReference {
  /** Registry host, `docker.io` when the reference names none. */
  readonly registry: string;
  /** Repository path inside the registry, e.g. `acme/backend`. */
  readonly path: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** A content digest, `sha256:` and 64 lowercase hex digits. (`sha-` tags: `shaTagPattern` in sha-tag.) */
export const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

/** Splits an image reference the way container runtimes read it. */
export function parseImageReference(image: string): ImageReference {
  const [nameAndTag, digest] = image.split('@', 2);
  const lastSlash = nameAndTag.lastIndexOf('/');
  const lastColon = nameAndTag.lastIndexOf(':');
  const hasTag = lastColon > lastSlash;
  const name = hasTag ? nameAndTag.slice(0, lastColon) : nameAndTag;
  const tag = hasTag ? nameAndTag.slice(lastColon + 1) : undefined;
  const [first, ...rest] = name.split('/');
  const firstIsHost =
    rest.length > 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  return {
    registry: firstIsHost ? first : 'docker.io',
    path: firstIsHost ? rest.join('/') : name,
    tag,
    digest,
  };
}

/** `registry/path`, with Docker Hub's implicit host written out. */
export function repositoryOf(reference: ImageReference): string {
  return `${reference.registry}/${reference.path}`;
}
