export { DebouncedTextField } from './DebouncedTextField';
