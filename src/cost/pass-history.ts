/**
 * Pass outcomes read from a file (JSON array or JSON Lines), for explaining the
 * learned router over a given history until the engine's ledger provides one.
 * Each record: `{ category, model: "provider/model", accepted, cost_usd }`
 * (or `cost_micros`); every problem is reported with its record number.
 */
import { z } from 'zod';
import { InvalidInputError } from '../core/index.ts';
import type { PassOutcome } from './learned-router.ts';
import { usdToMicros } from './money.ts';

const recordSchema = z
  .strictObject({
    category: z.string().min(1),
    model: z.string().regex(/^[^/\s]+\/\S+$/, 'must be provider/model'),
    accepted: z.boolean(),
    cost_usd: z.number().finite().nonnegative().optional(),
    cost_micros: z.number().int().nonnegative().optional(),
  })
  .refine((r) => (r.cost_usd === undefined) !== (r.cost_micros === undefined), {
    message: 'give exactly one of cost_usd and cost_micros',
  });

/** Parses a pass history; throws InvalidInputError naming every bad record. */
export function parsePassHistory(text: string, file: string): PassOutcome[] {
  const trimmed = text.trim();
  let items: { where: string; value: unknown }[];
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (error) {
      throw new InvalidInputError(`${file} is not valid JSON: ${(error as Error).message}`);
    }
    items = (parsed as unknown[]).map((value, i) => ({ where: `record ${i + 1}`, value }));
  } else {
    items = [];
    const problems: string[] = [];
    trimmed.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        items.push({ where: `line ${i + 1}`, value: JSON.parse(line) });
      } catch {
        problems.push(`${file}: line ${i + 1}: not a JSON object`);
      }
    });
    if (problems.length > 0)
      throw new InvalidInputError(problems.join('\n'), { hint: 'one JSON object per line' });
  }
  const problems: string[] = [];
  const out: PassOutcome[] = [];
  for (const { where, value } of items) {
    const r = recordSchema.safeParse(value);
    if (!r.success) {
      for (const issue of r.error.issues)
        problems.push(`${file}: ${where}: ${issue.path.join('.') || '(record)'}: ${issue.message}`);
      continue;
    }
    out.push({
      category: r.data.category,
      model: r.data.model,
      accepted: r.data.accepted,
      costMicros: r.data.cost_micros ?? usdToMicros(r.data.cost_usd ?? 0),
    });
  }
  if (problems.length > 0)
    throw new InvalidInputError(`invalid pass history:\n  ${problems.join('\n  ')}`, {
      hint: 'each record is { "category", "model": "provider/model", "accepted", "cost_usd" }',
    });
  return out;
}
