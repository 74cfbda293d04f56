/**
 * A release that cannot be made, with the reason and what to do instead. Nothing was modified. Commands
 * report it as a refusal (its message), never as a crash. It lives with the images because a release is
 * the change of one image's pin, and an unusable pin file (`PinFileError`) is one such refusal.
 */
export class ReleaseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReleaseError';
  }
}
