/** Writes an imported agent as a keel agent file: YAML frontmatter, then the original body. */
import { Document, isSeq, visit } from 'yaml';
import type { ImportedAgent } from './mapping.ts';

/** Renders the agent file text; `source` is named in a comment for provenance. */
export function renderAgentFile(agent: ImportedAgent, body: string, source: string): string {
  const doc = new Document(agent);
  // Short lists read best inline, as in the hand-written agents.
  visit(doc, {
    Seq(_, node) {
      if (isSeq(node)) node.flow = true;
    },
  });
  const yaml = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  const comment = `# Imported from ${source} by \`keel agents import\`. Review category, tier and access.write.`;
  return `---\n${comment}\n${yaml}---\n${body}`;
}
