/**
 * Picks the scenario rule for a prompt, and fills a rule's templates. Pure:
 * the attempt number is worked out by the caller.
 */
import type { SimRule, SimScenario, SimStep } from './scenario-schema.ts';

/** What a rule is matched against. */
export interface PromptFacts {
  prompt: string;
  /** The `x-keel-pass:` marker, when the prompt has one. */
  pass: string | undefined;
  /** The `x-keel-agent:` marker, when the prompt has one. */
  agent?: string | undefined;
  /** The `x-keel-attempt:` marker, else the count of earlier runs for the same pass, plus one. */
  attempt: number;
}

const PASS_MARKER = /^\s*x-keel-pass:\s*(\S.*?)\s*$/im;
const AGENT_MARKER = /^\s*x-keel-agent:\s*(\S.*?)\s*$/im;
const ATTEMPT_MARKER = /^\s*x-keel-attempt:\s*(\d+)\s*$/im;

/** Reads the `x-keel-pass:`, `x-keel-agent:` and `x-keel-attempt:` marker lines of a prompt. */
export function readMarkers(prompt: string): { pass?: string; agent?: string; attempt?: number } {
  const pass = PASS_MARKER.exec(prompt)?.[1];
  const agent = AGENT_MARKER.exec(prompt)?.[1];
  const attempt = ATTEMPT_MARKER.exec(prompt)?.[1];
  return {
    ...(pass ? { pass } : {}),
    ...(agent ? { agent } : {}),
    ...(attempt ? { attempt: Number(attempt) } : {}),
  };
}

/** The first rule whose conditions all hold, or `undefined`. */
export function matchRule(scenario: SimScenario, facts: PromptFacts): SimRule | undefined {
  return scenario.rules.find((rule) => ruleMatches(rule, facts));
}

function ruleMatches(rule: SimRule, facts: PromptFacts): boolean {
  const m = rule.match;
  if (m.prompt !== undefined && !facts.prompt.toLowerCase().includes(m.prompt.toLowerCase()))
    return false;
  if (m.pattern !== undefined && !new RegExp(m.pattern, 'i').test(facts.prompt)) return false;
  if (m.pass !== undefined && m.pass !== facts.pass) return false;
  if (m.agent !== undefined && m.agent !== facts.agent) return false;
  if (typeof m.attempt === 'number') return m.attempt === facts.attempt;
  if (Array.isArray(m.attempt)) return m.attempt.includes(facts.attempt);
  if (m.attempt !== undefined) {
    if (m.attempt.min !== undefined && facts.attempt < m.attempt.min) return false;
    if (m.attempt.max !== undefined && facts.attempt > m.attempt.max) return false;
  }
  return true;
}

/** Values available to `{{…}}` templates in steps and results. */
export interface TemplateValues {
  prompt: string;
  summary: string;
  pass: string;
  attempt: number;
  session: string;
}

/** Replaces `{{name}}` placeholders; unknown names are left as written. */
export function fillTemplate(template: string, values: TemplateValues): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) =>
    name in values ? String(values[name as keyof TemplateValues]) : whole,
  );
}

/** A step with every string template filled. */
export function fillStep(step: SimStep, values: TemplateValues): SimStep {
  const f = (s: string): string => fillTemplate(s, values);
  if (step.say !== undefined) return { say: f(step.say) };
  if (step.think !== undefined) return { think: f(step.think) };
  if (step.write) return { write: { path: f(step.write.path), content: f(step.write.content) } };
  if (step.edit)
    return {
      edit: { ...step.edit, path: f(step.edit.path), old: f(step.edit.old), new: f(step.edit.new) },
    };
  if (step.delete !== undefined) return { delete: f(step.delete) };
  if (step.run)
    return { run: { ...step.run, command: f(step.run.command), output: f(step.run.output) } };
  return step;
}

/** The first meaningful line of the prompt (markers skipped), shortened. */
export function summarisePrompt(prompt: string): string {
  const line =
    prompt
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '' && !/^x-keel-[\w-]+:/i.test(l)) ?? '';
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}

/** Makes a pass name safe to use as a file name. */
export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'agent'
  );
}
