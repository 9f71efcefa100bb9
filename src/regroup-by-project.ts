import { PushServerError } from './errors/push-server-error.ts';
import { isPlainObject } from './json-value.ts';
import type { PlannedRecipient } from './send-plan.ts';

/** Recipients sorted into one group per project, and those the service's map did not list. */
export interface ProjectGroups {
  readonly groups: PlannedRecipient[][];
  readonly unlisted: PlannedRecipient[];
}

/**
 * When the service refused a request with `PUSH_TOO_MANY_EXPERIENCE_IDS`, sorts its recipients by
 * project using the error's `details` map (project → tokens). Returns `undefined` for any other
 * error, or when the map is missing or does not split the request.
 */
export function regroupByProject(error: unknown, recipients: readonly PlannedRecipient[]): ProjectGroups | undefined {
  if (!(error instanceof PushServerError) || error.code !== 'PUSH_TOO_MANY_EXPERIENCE_IDS') return undefined;
  const details = error.errors[0]?.details;
  if (!isPlainObject(details)) return undefined;
  const projectOf = new Map<string, string>();
  for (const project of Object.keys(details)) {
    const tokens = details[project];
    if (Array.isArray(tokens)) for (const token of tokens) if (typeof token === 'string') projectOf.set(token, project);
  }
  const byProject = new Map<string, PlannedRecipient[]>();
  const unlisted: PlannedRecipient[] = [];
  for (const recipient of recipients) {
    const project = projectOf.get(recipient.token);
    if (project === undefined) unlisted.push(recipient);
    else {
      const group = byProject.get(project);
      if (group) group.push(recipient);
      else byProject.set(project, [recipient]);
    }
  }
  if (byProject.size < 2 && unlisted.length === 0) return undefined;
  return { groups: [...byProject.values()], unlisted };
}
