// Cascade's Jira Cloud adapter.
export { JiraTracker, type JiraTrackerOptions } from './jira-tracker.js';
export { renderAdf, type AdfDoc } from './render-adf.js';
export { adfToText } from './adf-text.js';
