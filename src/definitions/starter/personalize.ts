/**
 * Writes the chosen org/team/project names into the starter keel.yaml by
 * replacing exactly the scalar values that hold them, so the file's comments and
 * layout stay as reviewed.
 */
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { KeelError } from '../../core/index.ts';
import type { StarterNames } from './names.ts';

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Returns `source` (a keel.yaml) with its names and the matching budget targets set to `names`. */
export function personalizeSettings(source: string, names: StarterNames): string {
  const doc = parseDocument(source, { keepSourceTokens: false });
  if (doc.errors.length > 0 || !isMap(doc.contents)) {
    throw new KeelError('the starter keel.yaml does not parse', {
      hint: 'this is a bug in keel; please report it',
    });
  }
  const edits: Edit[] = [];
  const replace = (node: unknown, value: string): void => {
    if (!isScalar(node) || node.range === undefined || node.range === null) return;
    edits.push({ start: node.range[0], end: node.range[1], text: yamlScalar(value) });
  };
  for (const key of ['org', 'team', 'project'] as const) replace(doc.get(key, true), names[key]);
  // Budgets at org, team and project scope name those same values as their target.
  const budgets = doc.get('budgets', true);
  if (isSeq(budgets)) {
    for (const budget of budgets.items) {
      if (!isMap(budget)) continue;
      const scope = budget.get('scope');
      if (scope === 'org' || scope === 'team' || scope === 'project') {
        replace(budget.get('target', true), names[scope]);
      }
    }
  }
  let out = source;
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  }
  return out;
}

/** Renders a string as a YAML scalar that reads back as the same string. */
export function yamlScalar(value: string): string {
  const plain = /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value);
  if (plain && parseDocument(value).toJS() === value) return value;
  return JSON.stringify(value);
}
