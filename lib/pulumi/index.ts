export * from './break-glass-access';
export * from './image-admission-policy';
export * from './kube-objects-component';
export * from './protected-repository';
export * from './read-only-access';
export * from './restricted-namespace';
export * from './stack-config';
export * from './sync-access';
