// The read-only data types shared by every stage; nothing else is shared between stages.
export * from './anomaly.js';
export * from './credential.js';
export * from './credential-names.js';
export * from './errors.js';
export * from './exchange-place.js';
export * from './finding.js';
export * from './frame.js';
export * from './http.js';
export * from './secret.js';
export * from './tcp.js';
export * from './time.js';
export * from './judgement.js';
export * from './jwt-in-text.js';
