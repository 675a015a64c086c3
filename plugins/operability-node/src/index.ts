/**
 * Extension points and types for operability backend modules.
 *
 * @packageDocumentation
 */
export * from './providers';
export * from './extensions';
export * from './facts';
export * from './checks';
export * from './events';
export * from './pages';
