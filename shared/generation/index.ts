/** Generation types, model capabilities, prices and request validation shared by client and server. */
export * from './types.js';
export * from './prices.js';
export * from './price-input.js';
export * from './frame-sizes.js';
export * from './validate.js';
export * from './jobs.js';
export * from './send-plan.js';
export * from './prompt-tags.js';
export * from './eta.js';
export * from './review-note.js';
export * from './chain-batch.js';
