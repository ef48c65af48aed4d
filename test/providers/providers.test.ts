/** Every hosted adapter against its fake server, through the one contract suite. */
import { describe } from 'vitest';
import { CASES } from './cases.js';
import { providerContract } from './contract.js';

describe.each(CASES)('$name adapter', (c) => {
  providerContract(c);
});
