/**
 * Budget consistency: owners are roles, targets fit their scope, and a budget
 * never allows more than the budget enclosing it for the same period (a
 * project cannot spend more in a month than its team may).
 */
import type { BudgetInput, KeelConfigFile } from '../schemas/index.ts';
import { type CheckContext, type Checked, type ConfigNames, reportDuplicates } from './context.ts';
import { checkRole } from './references.ts';

/** How deep each scope sits; engineers' learning budgets sit directly under the org. */
const SCOPE_PARENTS: Record<BudgetInput['scope'], BudgetInput['scope'][]> = {
  org: [],
  team: ['org'],
  project: ['team', 'org'],
  work_item: ['project', 'team', 'org'],
  engineer: ['org'],
};

/** Checks ids, owners, targets and nesting of the budgets in keel.yaml. */
export function checkBudgets(
  ctx: CheckContext,
  config: Checked<KeelConfigFile>,
  names: ConfigNames,
): void {
  const { source, data } = config;
  const budgets = data.budgets ?? [];
  reportDuplicates(
    ctx,
    source,
    budgets.map((b, i) => ({ id: b.id, path: ['budgets', i, 'id'] })),
    'budget',
  );
  const ownName: Partial<Record<BudgetInput['scope'], string>> = {
    org: data.org,
    team: data.team,
    project: data.project,
  };
  budgets.forEach((budget, i) => {
    if (budget.owner !== undefined) {
      checkRole(
        ctx,
        config,
        ['budgets', i, 'owner'],
        budget.owner,
        names,
        `budget \`${budget.id}\``,
      );
    }
    const expected = ownName[budget.scope];
    if (budget.scope === 'work_item' && budget.target !== undefined) {
      ctx.sink.report(source, {
        rule: 'budget-target',
        path: ['budgets', i, 'target'],
        anchor: 'key',
        message: `budget \`${budget.id}\` has scope work_item, which applies to each work item; it takes no target`,
        hint: 'remove `target`',
      });
    }
    if (expected !== undefined && budget.target !== undefined && budget.target !== expected) {
      ctx.sink.report(source, {
        rule: 'budget-target',
        path: ['budgets', i, 'target'],
        message: `budget \`${budget.id}\` targets ${budget.scope} \`${budget.target}\`, but this repository's ${budget.scope} is \`${expected}\``,
        hint: `set \`target: ${expected}\` or omit it`,
      });
    }
  });

  // Compare each budget with every enclosing-scope budget of the same period.
  budgets.forEach((child, i) => {
    for (const parentScope of SCOPE_PARENTS[child.scope]) {
      for (const parent of budgets) {
        if (parent.scope !== parentScope || parent.period !== child.period) continue;
        if (child.limit_usd <= parent.limit_usd) continue;
        ctx.sink.report(source, {
          rule: 'budget-exceeds-parent',
          path: ['budgets', i, 'limit_usd'],
          message: `budget \`${child.id}\` (${child.scope}, ${child.period}) allows $${child.limit_usd}, more than the enclosing ${parent.scope} budget \`${parent.id}\` ($${parent.limit_usd})`,
          hint: `lower \`limit_usd\` to at most ${parent.limit_usd}, or raise \`${parent.id}\``,
        });
        return;
      }
    }
  });
}
