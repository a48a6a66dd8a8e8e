// The root fields: queries read through the views, mutations change the store
// through the same helpers a person's edit uses, acting as the viewer.
import type { FilterContext } from './filters.js';
import { matchInitiative } from './filters.js';
import { paginate, type PageArgs } from './connection.js';
import { entityNotFound, invalidInput } from './errors.js';
import type { IssuePatch } from './store.js';
import {
  commentView, customerNeedView, initiativeView, issueConnection, issueView, labelView, projectView, teamView, userView,
} from './views.js';

type Vars = Record<string, unknown>;
type Input = Record<string, unknown>;

// Linear reports a sync id with every mutation; clients may ignore it.
let lastSyncId = 1000;
const syncId = () => ++lastSyncId;

function found<T>(row: T | undefined, kind: string): T {
  if (row === undefined) throw entityNotFound(kind);
  return row;
}

export function rootValue() {
  return {
    viewer: (_: Vars, ctx: FilterContext) => userView(ctx, found(ctx.store.users.get(ctx.viewerId), 'User')),
    user: (args: { id: string }, ctx: FilterContext) => userView(ctx, found(ctx.store.users.get(args.id), 'User')),
    organization: (_: Vars, ctx: FilterContext) => ctx.store.organization,
    issue: (args: { id: string }, ctx: FilterContext) => issueView(ctx, found(ctx.store.findIssue(args.id), 'Issue')),
    issues: (args: PageArgs & Vars, ctx: FilterContext) => issueConnection(ctx, () => true, args),
    issueLabels: (args: PageArgs, ctx: FilterContext) =>
      paginate([...ctx.store.labels.values()], args, (l) => labelView(ctx, l)),
    project: (args: { id: string }, ctx: FilterContext) =>
      projectView(ctx, found(ctx.store.projects.get(args.id), 'Project')),
    projects: (args: PageArgs, ctx: FilterContext) =>
      paginate([...ctx.store.projects.values()], args, (p) => projectView(ctx, p)),
    initiative: (args: { id: string }, ctx: FilterContext) =>
      initiativeView(ctx, found(ctx.store.initiatives.get(args.id), 'Initiative')),
    initiatives: (args: PageArgs & { filter?: Input }, ctx: FilterContext) => {
      const rows = [...ctx.store.initiatives.values()].filter((i) => matchInitiative(ctx, args.filter, i));
      return paginate(rows, args, (i) => initiativeView(ctx, i));
    },
    teams: (args: PageArgs, ctx: FilterContext) => paginate([...ctx.store.teams.values()], args, teamView),
    customerNeeds: (args: PageArgs, ctx: FilterContext) =>
      paginate([...ctx.store.customerNeeds.values()], args, (n) => customerNeedView(ctx, n)),

    issueCreate: ({ input }: { input: Input }, ctx: FilterContext) => {
      const { store } = ctx;
      const team = found(store.findTeam(String(input.teamId)), 'Team');
      const issue = store.createIssue({
        team: team.id, title: String(input.title ?? ''), actorId: ctx.viewerId,
        ...(typeof input.description === 'string' ? { description: input.description } : {}),
        ...(typeof input.stateId === 'string' ? { state: found(store.states.get(input.stateId), 'WorkflowState').id } : {}),
        ...(typeof input.parentId === 'string' ? { parent: found(store.findIssue(input.parentId), 'Issue').id } : {}),
        ...(typeof input.projectId === 'string' ? { project: found(store.projects.get(input.projectId), 'Project').id } : {}),
        ...(typeof input.estimate === 'number' ? { estimate: input.estimate } : {}),
        ...(typeof input.priority === 'number' ? { priority: input.priority } : {}),
      });
      if (Array.isArray(input.labelIds)) {
        store.updateIssue(issue.id, { labelIds: checkedLabels(ctx, input.labelIds as string[]) }, ctx.viewerId);
      }
      return { success: true, lastSyncId: syncId(), issue: issueView(ctx, issue) };
    },
    issueUpdate: ({ id, input }: { id: string; input: Input }, ctx: FilterContext) => {
      const issue = found(ctx.store.findIssue(id), 'Issue');
      const updated = ctx.store.updateIssue(issue.id, issuePatch(ctx, issue.labelIds, input), ctx.viewerId);
      return { success: true, lastSyncId: syncId(), issue: issueView(ctx, updated) };
    },
    issueAddLabel: ({ id, labelId }: { id: string; labelId: string }, ctx: FilterContext) => {
      const issue = found(ctx.store.findIssue(id), 'Issue');
      const labelIds = [...new Set([...issue.labelIds, ...checkedLabels(ctx, [labelId])])];
      const updated = ctx.store.updateIssue(issue.id, { labelIds }, ctx.viewerId);
      return { success: true, lastSyncId: syncId(), issue: issueView(ctx, updated) };
    },
    issueRemoveLabel: ({ id, labelId }: { id: string; labelId: string }, ctx: FilterContext) => {
      const issue = found(ctx.store.findIssue(id), 'Issue');
      const labelIds = issue.labelIds.filter((l) => l !== labelId);
      const updated = ctx.store.updateIssue(issue.id, { labelIds }, ctx.viewerId);
      return { success: true, lastSyncId: syncId(), issue: issueView(ctx, updated) };
    },
    issueLabelCreate: ({ input }: { input: Input }, ctx: FilterContext) => {
      const name = String(input.name).trim();
      if (name === '') throw invalidInput('name must not be empty');
      const team = typeof input.teamId === 'string' ? found(ctx.store.findTeam(input.teamId), 'Team') : undefined;
      const duplicate = [...ctx.store.labels.values()].some(
        (l) => l.name.toLowerCase() === name.toLowerCase() && (l.teamId === null || l.teamId === team?.id),
      );
      // Linear refuses a second label of the same name in the same scope.
      if (duplicate) throw invalidInput(`Duplicate label name: ${name}`, 'A label with this name already exists.');
      const label = ctx.store.createLabel({
        name, ...(team ? { team: team.id } : {}),
        ...(typeof input.color === 'string' ? { color: input.color } : {}),
        ...(typeof input.id === 'string' ? { id: input.id } : {}),
      });
      return { success: true, lastSyncId: syncId(), issueLabel: labelView(ctx, label) };
    },
    commentCreate: ({ input }: { input: Input }, ctx: FilterContext) => {
      if (typeof input.issueId !== 'string') throw invalidInput('issueId is required');
      const issue = found(ctx.store.findIssue(input.issueId), 'Issue');
      const comment = ctx.store.createComment({
        issue: issue.id, body: String(input.body ?? ''), userId: ctx.viewerId,
        ...(typeof input.id === 'string' ? { id: input.id } : {}),
      });
      return { success: true, lastSyncId: syncId(), comment: commentView(ctx, comment) };
    },
    commentUpdate: ({ id, input }: { id: string; input: Input }, ctx: FilterContext) => {
      const comment = found(ctx.store.comments.get(id), 'Comment');
      // Linear lets only a comment's author edit its body.
      if (comment.userId !== ctx.viewerId) throw invalidInput('Only the author can edit a comment');
      const updated = typeof input.body === 'string' ? ctx.store.updateComment(id, input.body, ctx.viewerId) : comment;
      return { success: true, lastSyncId: syncId(), comment: commentView(ctx, updated) };
    },
    commentDelete: ({ id }: { id: string }, ctx: FilterContext) => {
      found(ctx.store.comments.get(id), 'Comment');
      ctx.store.deleteComment(id, ctx.viewerId);
      return { success: true, lastSyncId: syncId(), entityId: id };
    },
  };
}

function checkedLabels(ctx: FilterContext, ids: string[]): string[] {
  return ids.map((id) => found(ctx.store.labels.get(id), 'IssueLabel').id);
}

function issuePatch(ctx: FilterContext, current: string[], input: Input): IssuePatch {
  const { store } = ctx;
  const patch: IssuePatch = {};
  if (typeof input.title === 'string') patch.title = input.title;
  if ('description' in input) patch.description = (input.description as string | null) ?? null;
  if ('estimate' in input) patch.estimate = (input.estimate as number | null) ?? null;
  if (typeof input.priority === 'number') patch.priority = input.priority;
  if (typeof input.stateId === 'string') patch.stateId = found(store.states.get(input.stateId), 'WorkflowState').id;
  if (typeof input.teamId === 'string') patch.teamId = found(store.findTeam(input.teamId), 'Team').id;
  if ('parentId' in input) {
    patch.parentId = input.parentId === null ? null : found(store.findIssue(String(input.parentId)), 'Issue').id;
  }
  if ('projectId' in input) {
    patch.projectId = input.projectId === null ? null : found(store.projects.get(String(input.projectId)), 'Project').id;
  }
  let labels = Array.isArray(input.labelIds) ? checkedLabels(ctx, input.labelIds as string[]) : current;
  if (Array.isArray(input.addedLabelIds)) labels = [...new Set([...labels, ...checkedLabels(ctx, input.addedLabelIds as string[])])];
  if (Array.isArray(input.removedLabelIds)) labels = labels.filter((l) => !(input.removedLabelIds as string[]).includes(l));
  if (labels !== current) patch.labelIds = labels;
  return patch;
}
