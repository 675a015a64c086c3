import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// On a loaded CI machine, debounced inputs and remote tables take longer than
// testing-library's default second to settle.
configure({ asyncUtilTimeout: 5_000 });
