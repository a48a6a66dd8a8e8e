export { LinearTracker, type LinearTrackerOptions, type LinearTrackerLog, type LinearTokenSource } from './linear-tracker.js';
export { renderMarkdown } from './render-markdown.js';
export { toTrackerError } from './linear-errors.js';
