/** Collects located diagnostics while definitions are checked, all at once. */
import type { Diagnostic } from '../core/index.ts';
import { RULES, type RuleId } from './rule-ids.ts';
import type { Anchor, FieldPath, YamlSource } from './source/yaml-source.ts';

export interface Finding {
  rule: RuleId;
  path: FieldPath;
  message: string;
  hint?: string;
  /** Point at the key rather than its value (unknown keys, missing fields). */
  anchor?: Anchor;
}

/** Formats a field path the way users write it: `passes[2].gates[0].review.agent`. */
export function formatPath(path: FieldPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/** Accumulates diagnostics; severity comes from the rule table. */
export class DiagnosticSink {
  readonly diagnostics: Diagnostic[] = [];

  /** Records one finding at its location in `source`. */
  report(source: YamlSource, finding: Finding): void {
    const diagnostic: Diagnostic = {
      severity: RULES[finding.rule].severity,
      rule: finding.rule,
      message: finding.message,
      location: source.locate(finding.path, finding.anchor),
      path: formatPath(finding.path),
    };
    if (finding.hint !== undefined) diagnostic.hint = finding.hint;
    this.diagnostics.push(diagnostic);
  }

  /** Records a diagnostic whose location is already known (syntax errors). */
  push(diagnostic: Diagnostic): void {
    this.diagnostics.push(diagnostic);
  }

  get errorCount(): number {
    return this.diagnostics.filter((d) => d.severity === 'error').length;
  }
}

/** Orders diagnostics by file, line, column, for stable output. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      a.location.file.localeCompare(b.location.file) ||
      a.location.line - b.location.line ||
      a.location.column - b.location.column ||
      a.rule.localeCompare(b.rule),
  );
}
