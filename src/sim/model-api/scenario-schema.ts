/**
 * The wind tunnel's scenario format: rules that match model-API requests and
 * say how to answer them (text, JSON, tool call, or an injected fault).
 * Validated once at the edge with zod; the rest of the simulator trusts it.
 */
import { z } from 'zod';

/** The wire protocols the wind tunnel speaks. */
export const SIM_PROVIDERS = ['openai', 'anthropic'] as const;
export type SimProvider = (typeof SIM_PROVIDERS)[number];

/** Faults the wind tunnel can inject instead of (or while) answering. */
export const FAULT_KINDS = [
  'rate-limit',
  'server-error',
  'overloaded',
  'timeout',
  'malformed-json',
  'truncated-stream',
  'stream-error',
  'stall',
  'bad-request',
  'unauthorized',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const nonNegativeInt = z.number().int().min(0);

/** Token counts in keel's normalised convention (input excludes cache reads and writes). */
export const usageSpecSchema = z.strictObject({
  input: nonNegativeInt.optional(),
  output: nonNegativeInt.optional(),
  cacheRead: nonNegativeInt.optional(),
  cacheWrite: nonNegativeInt.optional(),
  reasoning: nonNegativeInt.optional(),
});
export type UsageSpec = z.infer<typeof usageSpecSchema>;

export const toolCallSpecSchema = z.strictObject({
  name: z.string().min(1),
  input: z.record(z.string(), z.unknown()).default({}),
});

/** One answer: exactly one of text / json / toolCall / fault, plus timing and usage. */
export const replySpecSchema = z
  .strictObject({
    text: z.string().optional(),
    json: z.unknown().optional(),
    toolCall: toolCallSpecSchema.optional(),
    fault: z.enum(FAULT_KINDS).optional(),
    /** For `rate-limit`: the `retry-after` header, in seconds. */
    retryAfterSeconds: z.number().min(0).optional(),
    /** For `truncated-stream`, `stream-error` and `stall`: how many content chunks are sent first. */
    afterChunks: nonNegativeInt.optional(),
    /** Error message put in a fault's error body. */
    message: z.string().optional(),
    usage: usageSpecSchema.optional(),
    /** Waits this long before answering (a slow, but not dead, provider). */
    delayMs: nonNegativeInt.optional(),
    /** Waits this long between streamed chunks (a slow stream). */
    chunkDelayMs: nonNegativeInt.optional(),
    /** Approximate characters per streamed text chunk. */
    chunkChars: z.number().int().min(1).optional(),
    finishReason: z.enum(['stop', 'length']).optional(),
  })
  .superRefine((reply, ctx) => {
    const kinds = (['text', 'json', 'toolCall', 'fault'] as const).filter(
      (k) => reply[k] !== undefined,
    );
    const answering = kinds.filter((k) => k !== 'fault');
    if (answering.length > 1) {
      ctx.addIssue({
        code: 'custom',
        message: `a reply gives one answer, but this one has ${answering.join(' and ')}`,
      });
    }
    if (
      reply.fault === undefined &&
      (reply.retryAfterSeconds !== undefined || reply.afterChunks !== undefined)
    ) {
      ctx.addIssue({
        code: 'custom',
        message: 'retryAfterSeconds and afterChunks only apply to a fault',
      });
    }
  });
export type ReplySpec = z.infer<typeof replySpecSchema>;

/** `"/regex/flags"` is a regular expression; any other string must match exactly. */
const stringMatcherSchema = z.string().min(1);
const regexSchema = z
  .string()
  .min(1)
  .refine(isValidRegex, { message: 'not a valid regular expression' });

export const matchSpecSchema = z.strictObject({
  provider: z.enum(SIM_PROVIDERS).optional(),
  model: stringMatcherSchema.refine(isValidMatcher, { message: 'not a valid /regex/' }).optional(),
  agent: stringMatcherSchema.refine(isValidMatcher, { message: 'not a valid /regex/' }).optional(),
  pass: stringMatcherSchema.refine(isValidMatcher, { message: 'not a valid /regex/' }).optional(),
  workItem: stringMatcherSchema
    .refine(isValidMatcher, { message: 'not a valid /regex/' })
    .optional(),
  attempt: z.union([z.number().int().min(1), z.array(z.number().int().min(1)).min(1)]).optional(),
  /** Regular expression searched in the system prompt. */
  system: regexSchema.optional(),
  /** Regular expression searched in the text of the last user message. */
  content: regexSchema.optional(),
  /** Whether the request asked for structured output (a JSON schema or JSON object). */
  structured: z.boolean().optional(),
  stream: z.boolean().optional(),
});
export type MatchSpec = z.infer<typeof matchSpecSchema>;

/** Request facts a rule's call count can be kept apart by. */
export const COUNT_KEYS = ['provider', 'model', 'agent', 'pass', 'workItem', 'attempt'] as const;
export type CountKey = (typeof COUNT_KEYS)[number];

export const ruleSpecSchema = z
  .strictObject({
    name: z.string().min(1).optional(),
    match: matchSpecSchema.default({}),
    /** The rule stops matching after this many calls; later calls fall through to the next rule. */
    times: z.number().int().min(1).optional(),
    /**
     * Counts calls (for `times` and `replies`) separately per value of these
     * request facts, e.g. `[workItem]` so each work item sees the sequence anew.
     */
    per: z.array(z.enum(COUNT_KEYS)).min(1).optional(),
    reply: replySpecSchema.optional(),
    /** A sequence: the n-th matching call gets the n-th reply; the last one repeats. */
    replies: z.array(replySpecSchema).min(1).optional(),
  })
  .superRefine((rule, ctx) => {
    if ((rule.reply === undefined) === (rule.replies === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'a rule needs exactly one of `reply` or `replies`' });
    }
  });
export type RuleSpec = z.infer<typeof ruleSpecSchema>;

export const scenarioSchema = z.strictObject({
  version: z.literal(1).default(1),
  description: z.string().optional(),
  /** Whether requests without an API key are refused with 401, as the real APIs do. */
  requireAuth: z.boolean().default(true),
  /** Added to every rule's reply unless the reply sets its own. */
  defaults: z
    .strictObject({
      delayMs: nonNegativeInt.optional(),
      chunkDelayMs: nonNegativeInt.optional(),
      chunkChars: z.number().int().min(1).optional(),
    })
    .default({}),
  rules: z.array(ruleSpecSchema).default([]),
});
/** A validated scenario. */
export type Scenario = z.infer<typeof scenarioSchema>;

/** Parses a matcher string: `/…/flags` is a regex, anything else an exact value. */
export function compileMatcher(matcher: string): (value: string | undefined) => boolean {
  const regex = asRegex(matcher);
  if (regex) return (value) => value !== undefined && regex.test(value);
  return (value) => value === matcher;
}

function asRegex(matcher: string): RegExp | undefined {
  const m = /^\/(.*)\/([a-z]*)$/s.exec(matcher);
  if (!m) return undefined;
  return new RegExp(m[1] ?? '', m[2]);
}

function isValidMatcher(matcher: string): boolean {
  try {
    asRegex(matcher);
    return true;
  } catch {
    return false;
  }
}

function isValidRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}
