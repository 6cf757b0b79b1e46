/** Reference checks shared by the rules: tiers, roles, agents and resources must exist. */
import { suggestion } from '../did-you-mean.ts';
import type { FieldPath } from '../source/yaml-source.ts';
import type { CheckContext, Checked, ConfigNames } from './context.ts';

/** Reports a tier reference that keel.yaml does not declare. */
export function checkTier(
  ctx: CheckContext,
  at: Checked<unknown>,
  path: FieldPath,
  tier: string,
  names: ConfigNames,
): void {
  if (names.tiers.includes(tier)) return;
  ctx.sink.report(at.source, {
    rule: 'unknown-tier',
    path,
    message: `unknown tier \`${tier}\``,
    hint: `${suggestion(tier, names.tiers, 'tier')} (tiers come from \`tiers\` in keel.yaml)`,
  });
}

/** Reports a role reference that keel.yaml does not declare. */
export function checkRole(
  ctx: CheckContext,
  at: Checked<unknown>,
  path: FieldPath,
  role: string,
  names: ConfigNames,
  who: string,
): void {
  if (names.roles.includes(role)) return;
  ctx.sink.report(at.source, {
    rule: 'unknown-role',
    path,
    message: `${who} names unknown role \`${role}\``,
    hint: `${suggestion(role, names.roles, 'role')}; roles are declared under \`roles\` in keel.yaml`,
  });
}

/** Reports an agent reference with no agent file. */
export function checkAgent(
  ctx: CheckContext,
  at: Checked<unknown>,
  path: FieldPath,
  agent: string,
  who: string,
): boolean {
  if (ctx.agentNames.has(agent)) return true;
  ctx.sink.report(at.source, {
    rule: 'unknown-agent',
    path,
    message: `${who} names unknown agent \`${agent}\``,
    hint: `${suggestion(agent, [...ctx.agentNames].sort(), 'agent')}; agents are the files in .keel/agents/<name>.md`,
  });
  return false;
}

/** Reports a resource reference that keel.yaml does not declare. */
export function checkResource(
  ctx: CheckContext,
  at: Checked<unknown>,
  path: FieldPath,
  resource: string,
  names: ConfigNames,
  who: string,
): boolean {
  if (names.resources.has(resource)) return true;
  ctx.sink.report(at.source, {
    rule: 'unknown-resource',
    path,
    message: `${who} names unknown resource \`${resource}\``,
    hint: `${suggestion(resource, [...names.resources.keys()], 'resource')}; resources are declared under \`resources\` in keel.yaml`,
  });
  return false;
}
