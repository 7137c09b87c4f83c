export { createXClient, withRequestSignal, X_PUBLIC_API_ROOT, type XClientOptions } from './x-client.js';
export { toPublishError } from './x-errors.js';
export { TwitterApiXPublisher, type TwitterApiXPublisherOptions } from './x-publisher.js';
export { toRateLimitSnapshot } from './x-rate-limit.js';
