/**
 * Types, annotation keys and permissions shared by the operability plugins.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './entityRef';
export * from './levels';
export * from './calendarDate';
export * from './annotations';
export * from './schedule';
export * from './permissions';
export * from './handoffs';
