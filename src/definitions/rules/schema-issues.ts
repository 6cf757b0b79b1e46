/**
 * Turns zod issues into located diagnostics with stable rule ids. zod says what
 * is wrong at which field path; this module decides which rule that is, finds
 * the closest allowed key for "did you mean", and unwraps union failures to the
 * branch the author was evidently writing.
 */
import type { z } from 'zod';
import type { DiagnosticSink, Finding } from '../diagnostics.ts';
import { closest, suggestion } from '../did-you-mean.ts';
import { DURATION_PATTERN } from '../duration.ts';
import type { FieldPath, PathSegment, YamlSource } from '../source/yaml-source.ts';

type Issue = z.core.$ZodIssue;

const FORMAT_HINT = 'see docs/definitions.md for what this field accepts';

/** Validates `data` against `schema`, reporting every issue; returns the typed value when valid. */
export function checkSchema<T>(
  schema: z.ZodType<T>,
  source: YamlSource,
  sink: DiagnosticSink,
): T | undefined {
  const result = schema.safeParse(source.data ?? {});
  if (result.success) return result.data;
  for (const issue of flattenIssues(result.error.issues, [], source.data)) {
    for (const finding of toFindings(issue, schema, source.data)) sink.report(source, finding);
  }
  return undefined;
}

interface LocatedIssue {
  issue: Issue;
  path: PathSegment[];
}

/** Replaces each union failure by the issues of the branch that fits the value's shape. */
function flattenIssues(
  issues: readonly Issue[],
  base: PathSegment[],
  data: unknown,
): LocatedIssue[] {
  const out: LocatedIssue[] = [];
  for (const issue of issues) {
    const path = [...base, ...(issue.path as PathSegment[])];
    if (issue.code !== 'invalid_union' || issue.errors.length === 0) {
      out.push({ issue, path });
      continue;
    }
    // A branch that failed on the value's own type (a string where an object was
    // expected) is not the one the author meant; keep the others.
    const viable = issue.errors.filter(
      (branch) =>
        !branch.some(
          (i) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value'),
        ),
    );
    viable.sort((a, b) => a.length - b.length);
    const best = viable[0];
    const unique =
      best !== undefined && (viable.length === 1 || (viable[1]?.length ?? 0) > best.length);
    if (best && unique) out.push(...flattenIssues(best, path, data));
    else if (
      viable.length > 0 &&
      viable.every((b) => b.some((i) => i.code === 'unrecognized_keys' && i.path.length === 0))
    ) {
      const keys = viable.flatMap((b) =>
        b.flatMap((i) => (i.code === 'unrecognized_keys' && i.path.length === 0 ? i.keys : [])),
      );
      out.push({
        issue: { ...issue, code: 'unrecognized_keys', keys: [...new Set(keys)], path: [] } as Issue,
        path,
      });
    } else out.push({ issue, path });
  }
  return out;
}

function toFindings({ issue, path }: LocatedIssue, schema: z.ZodType, data: unknown): Finding[] {
  const where = describe(path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = objectKeysAt(schema, path, data);
      // Keys valid in some branch of a union but not together (`{ rework: 1, human: x }`) are a conflict, not a typo.
      const conflicting = issue.keys.filter((key) => allowed.includes(key));
      if (conflicting.length > 0 && conflicting.length === issue.keys.length) {
        const present = Object.keys((valueAt(data, path) as object | undefined) ?? {});
        return [
          {
            rule: 'invalid-value',
            path,
            message: `${where || 'this entry'} combines ${present.map((k) => `\`${k}\``).join(' and ')}, which cannot go together`,
            hint: 'each entry takes exactly one of them: split it into separate entries',
          },
        ];
      }
      return issue.keys.map((key) => {
        const near = closest(key, allowed);
        return {
          rule: 'unknown-key',
          path: [...path, key],
          anchor: 'key',
          message: `unknown key \`${key}\`${where ? ` in ${where}` : ''}`,
          hint: near ? `did you mean \`${near}\`?` : `allowed keys: ${allowed.join(', ')}`,
        };
      });
    }
    case 'invalid_type': {
      const value = valueAt(data, path);
      const isHumanGate =
        path.at(-1) === 'human' || (path.at(-2) === 'human' && path.at(-1) === 'role');
      if (isHumanGate && path.includes('gates') && (value === undefined || value === null)) {
        return [
          {
            rule: 'human-gate-without-role',
            path: path.at(-1) === 'role' ? path.slice(0, -1) : path,
            anchor: 'key',
            message: 'a human gate must name the role that approves it',
            hint: 'add `role: <a role from keel.yaml roles>`, e.g. `human: { role: tech-lead }`',
          },
        ];
      }
      if (value === undefined) return [missingField(path, yamlType(issue.expected))];
      if (path.length === 0) {
        return [
          {
            rule: 'invalid-type',
            path,
            message: `the file must be a mapping of keys to values, not ${typeName(value)}`,
            hint: 'start with `key: value` lines; see docs/definitions.md',
          },
        ];
      }
      return [
        {
          rule: 'invalid-type',
          path,
          message: `\`${formatField(path)}\` must be ${article(yamlType(issue.expected))}, not ${typeName(value)}`,
          hint: `write ${article(yamlType(issue.expected))} here; ${FORMAT_HINT}`,
        },
      ];
    }
    case 'invalid_value': {
      const value = valueAt(data, path);
      const allowed = issue.values.map(String);
      if (value === undefined) return [missingField(path, allowed.join(' | '))];
      return [
        {
          rule: 'invalid-value',
          path,
          message: `\`${formatField(path)}\` is ${JSON.stringify(value)}; allowed: ${allowed.join(', ')}`,
          hint:
            typeof value === 'string'
              ? suggestion(value, allowed, 'value')
              : `use one of ${allowed.join(', ')}`,
        },
      ];
    }
    case 'invalid_format': {
      const isDuration = issue.format === 'regex' && issue.pattern === String(DURATION_PATTERN);
      return [
        {
          rule: isDuration ? 'invalid-duration' : 'invalid-value',
          path,
          message: `\`${formatField(path)}\` ${JSON.stringify(valueAt(data, path))} ${issue.message}`,
          hint: isDuration
            ? 'write a number and a unit: ms, s, m, h or d (e.g. 90s, 10m, 1h30m)'
            : FORMAT_HINT,
        },
      ];
    }
    case 'invalid_union':
      return [unionFinding(issue, path, data)];
    case 'too_small':
    case 'too_big':
      return [rangeFinding(issue, path, data)];
    case 'custom': {
      const rule =
        (issue.params as { rule?: Finding['rule'] } | undefined)?.rule ?? 'invalid-value';
      return [
        { rule, path, message: `\`${formatField(path)}\` ${issue.message}`, hint: FORMAT_HINT },
      ];
    }
    default:
      return [
        {
          rule: 'invalid-value',
          path,
          message: `\`${formatField(path)}\` ${issue.message}`,
          hint: FORMAT_HINT,
        },
      ];
  }
}

function missingField(path: FieldPath, expected: string): Finding {
  const field = String(path.at(-1));
  const parent = path.slice(0, -1);
  return {
    rule: 'missing-field',
    path: parent,
    anchor: 'key',
    message: `missing required field \`${field}\`${parent.length > 0 ? ` in ${describe(parent)}` : ''}`,
    hint: `add \`${field}:\` (${expected})`,
  };
}

/** A union no branch of which fits: a bad discriminator, or a value matching no alternative. */
function unionFinding(
  issue: Issue & { code: 'invalid_union' },
  path: FieldPath,
  data: unknown,
): Finding {
  const value = valueAt(data, path);
  const options = (issue as { options?: unknown[] }).options?.map(String);
  if (options && (issue as { discriminator?: string }).discriminator !== undefined) {
    // `path` already ends at the discriminator (`runtime.kind`).
    if (value === undefined) return missingField(path, options.join(' | '));
    return {
      rule: 'invalid-value',
      path,
      message: `\`${formatField(path)}\` is ${JSON.stringify(value)}; allowed: ${options.join(', ')}`,
      hint:
        typeof value === 'string'
          ? suggestion(value, options, 'value')
          : `use one of ${options.join(', ')}`,
    };
  }
  // A string where a union accepts some strings: suggest the nearest accepted one.
  const literals = issue.errors.flatMap((branch) =>
    branch.flatMap((i) =>
      i.code === 'invalid_value' && i.path.length === 0 ? i.values.map(String) : [],
    ),
  );
  const near = typeof value === 'string' ? closest(value, literals) : undefined;
  return {
    rule: 'invalid-value',
    path,
    message: `\`${formatField(path)}\` is ${JSON.stringify(value)}: it ${issue.message}`,
    hint: near ? `did you mean \`${near}\`?` : FORMAT_HINT,
  };
}

function rangeText(issue: Issue & { code: 'too_small' | 'too_big' }): string {
  const bound = Number(
    (issue as { minimum?: unknown; maximum?: unknown }).minimum ??
      (issue as { maximum?: unknown }).maximum,
  );
  const small = issue.code === 'too_small';
  if (issue.origin === 'array')
    return `must have at ${small ? 'least' : 'most'} ${bound} item${bound === 1 ? '' : 's'}`;
  if (issue.origin === 'string' && small && bound === 1) return 'must not be empty';
  return issue.message.replace(/^Too (small|big): expected \w+ to (be|have) /, 'must be ');
}

/** zod's type names in the words of YAML authors. */
function yamlType(expected: string): string {
  const names: Record<string, string> = {
    object: 'mapping',
    record: 'mapping',
    array: 'list',
    int: 'whole number',
    nan: 'number',
  };
  return names[expected] ?? expected;
}

function rangeFinding(
  issue: Issue & { code: 'too_small' | 'too_big' },
  path: FieldPath,
  data: unknown,
): Finding {
  const value = valueAt(data, path);
  const inBudget = path[0] === 'budgets';
  if (path.at(-1) === 'run' && Array.isArray(value)) {
    return {
      rule: 'empty-run',
      path,
      message: '`run` is empty: a command needs at least the program to run',
      hint: 'write the argv as an array, e.g. `run: [npm, test]`',
    };
  }
  if (inBudget && path.at(-1) === 'limit_usd') {
    return {
      rule: 'budget-limit',
      path,
      message: `budget limit must be positive, got ${JSON.stringify(value)}`,
      hint: 'set `limit_usd` to an amount in USD greater than 0, or remove the budget',
    };
  }
  if (inBudget && path.at(-1) === 'approaching_at') {
    return {
      rule: 'budget-threshold',
      path,
      message: `\`approaching_at\` must be a fraction in (0, 1], got ${JSON.stringify(value)}`,
      hint: 'e.g. 0.8 notifies the owner at 80% of the limit',
    };
  }
  return {
    rule: 'invalid-value',
    path,
    message: `\`${formatField(path)}\` ${rangeText(issue)}`,
    hint: FORMAT_HINT,
  };
}

/** The value at a field path in plain data. */
export function valueAt(data: unknown, path: FieldPath): unknown {
  let current = data;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PathSegment, unknown>)[segment];
  }
  return current;
}

interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  valueType?: z.ZodType;
  in?: z.ZodType;
}

function defOf(schema: z.ZodType): SchemaDef {
  return (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
}

/** The keys an object schema allows at `path`, choosing union branches by the data's `kind`. */
export function objectKeysAt(schema: z.ZodType, path: FieldPath, data: unknown): string[] {
  const keys = new Set<string>();
  const visit = (node: z.ZodType, depth: number): void => {
    const def = defOf(node);
    const here = valueAt(data, path.slice(0, depth));
    switch (def.type) {
      case 'optional':
      case 'nullable':
      case 'default':
      case 'nonoptional':
      case 'readonly':
        if (def.innerType) visit(def.innerType, depth);
        return;
      case 'pipe':
        if (def.in) visit(def.in, depth);
        return;
      case 'union': {
        const options = def.options ?? [];
        const kind =
          here && typeof here === 'object' ? (here as { kind?: unknown }).kind : undefined;
        const matching = options.filter((o) => literalKind(o) === kind);
        for (const option of matching.length > 0 ? matching : options) visit(option, depth);
        return;
      }
      case 'object':
        if (depth === path.length) {
          for (const key of Object.keys(def.shape ?? {})) keys.add(key);
          return;
        }
        if (def.shape && typeof path[depth] === 'string') {
          const next = def.shape[path[depth] as string];
          if (next) visit(next, depth + 1);
        }
        return;
      case 'array':
        if (def.element && depth < path.length) visit(def.element, depth + 1);
        return;
      case 'record':
        if (def.valueType && depth < path.length) visit(def.valueType, depth + 1);
        return;
      default:
        return;
    }
  };
  visit(schema, 0);
  return [...keys];
}

function literalKind(option: z.ZodType): unknown {
  const def = defOf(option);
  const kind = def.type === 'object' ? def.shape?.kind : undefined;
  if (!kind) return undefined;
  const values = (defOf(kind) as { values?: unknown[] }).values;
  return values?.[0];
}

function formatField(path: FieldPath): string {
  let out = '';
  for (const segment of path)
    out += typeof segment === 'number' ? `[${segment}]` : out ? `.${segment}` : segment;
  return out || '(document)';
}

function describe(path: FieldPath): string {
  return path.length === 0 ? '' : `\`${formatField(path)}\``;
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}
