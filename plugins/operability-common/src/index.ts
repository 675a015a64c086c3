/**
 * Types, annotation keys and permissions shared by the operability plugins.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './annotations';
export * from './schedule';
export * from './permissions';
