/** Resolves a validated agent file: runtime as an object, lists defaulted, escalation tagged. */
import type { SourceLocation } from '../../core/index.ts';
import type { AgentFrontmatter } from '../schemas/index.ts';
import type { Agent } from '../types.ts';
import { escalation, runtime } from './resolve-common.ts';

/** Builds the resolved agent from its frontmatter and markdown body. */
export function resolveAgent(
  file: AgentFrontmatter,
  instructions: string,
  source: SourceLocation,
): Agent {
  return {
    name: file.name,
    version: file.version,
    category: file.category,
    description: file.description,
    capabilities: [...(file.capabilities ?? [])],
    context: {
      paths: [...(file.context?.paths ?? [])],
      artifacts: [...(file.context?.artifacts ?? [])],
    },
    access: {
      write: [...(file.access?.write ?? [])],
      resources: [...(file.access?.resources ?? [])],
    },
    runtime: runtime(file.runtime),
    tier: file.tier,
    escalation: file.escalation ? escalation(file.escalation) : undefined,
    instructions,
    source,
  };
}
