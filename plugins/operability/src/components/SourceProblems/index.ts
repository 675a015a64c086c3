export { SourceProblems } from './SourceProblems';
