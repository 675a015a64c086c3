export { WhoOwnsSearch } from './WhoOwnsSearch';
export { parseWhoOwnsQuery } from './parseWhoOwnsQuery';
export type { WhoOwnsQuery } from './parseWhoOwnsQuery';
