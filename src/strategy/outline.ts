// What a tracker holds that a strategy tree can match, read once for the whole
// workspace: the containers at the top (Linear initiatives; Jira initiatives
// and epics), the project and label names. The config check (warnings) and the
// import (a starting config) both work from it. Plain data, no API shapes.
import type { TrackerId } from './types.js';

export interface OutlineNode {
  /** Linear initiative id; Jira issue key. */
  id: string;
  /** Initiative name; Jira issue summary. */
  name: string;
  /** The parent's `id` (parent initiative, parent issue), or null at the top. */
  parentId: string | null;
  /** Linear: "initiative"; Jira: the issue type (Initiative, Epic…). */
  kind: string;
  /** Jira hierarchy level (2 initiative, 1 epic); Linear: absent. */
  level?: number;
  description?: string;
  /** Linear initiative status (Active, Completed…). */
  status?: string;
  /** YYYY-MM-DD. */
  startDate?: string;
  targetDate?: string;
  /** Names of the Linear projects under this initiative. */
  projects?: string[];
}

export interface TrackerOutline {
  tracker: TrackerId;
  nodes: OutlineNode[];
  /** Linear: { id, name } of every project. Jira: none. */
  projects: Array<{ id: string; name: string }>;
  labels: string[];
  /** Jira: keys confirmed to exist beyond `nodes` (the keys asked for by `issueKeys`). */
  issueKeys: string[];
}

export interface OutlineOptions {
  /** Jira: issue keys to confirm one by one (a config's `jira.issues` below the epic level). */
  issueKeys?: string[];
}
