export * from './protected-repository-spec';
export * from './protection-config';
