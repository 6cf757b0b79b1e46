/**
 * Every rule `keel validate` applies, with its stable id and default severity.
 * Ids are part of the public contract (`--json`, docs, editor integrations):
 * add new ones, never rename.
 */
export const RULES = {
  'malformed-yaml': { severity: 'error', summary: 'the YAML cannot be parsed' },
  'malformed-frontmatter': {
    severity: 'error',
    summary: 'an agent file has no valid `---` frontmatter block',
  },
  'missing-config': { severity: 'error', summary: '`.keel/keel.yaml` does not exist' },
  'unknown-key': { severity: 'error', summary: 'a key the format does not define' },
  'missing-field': { severity: 'error', summary: 'a required field is absent' },
  'invalid-type': { severity: 'error', summary: 'a value has the wrong type' },
  'invalid-value': { severity: 'error', summary: 'a value is outside what the field allows' },
  'invalid-duration': { severity: 'error', summary: 'a duration is not like `30s`, `10m`, `2h`' },
  'empty-run': { severity: 'error', summary: 'a command `run` argv is empty' },
  'gate-kind': { severity: 'error', summary: 'a gate must have exactly one check kind' },
  'human-gate-without-role': { severity: 'error', summary: 'a human gate names no role' },
  'unknown-agent': { severity: 'error', summary: 'a reference to an agent that does not exist' },
  'unknown-role': { severity: 'error', summary: 'a reference to a role not in keel.yaml' },
  'unknown-resource': { severity: 'error', summary: 'a reference to a resource not in keel.yaml' },
  'unknown-tier': { severity: 'error', summary: 'a reference to a tier not in keel.yaml' },
  'unknown-provider': { severity: 'error', summary: 'a model names a provider not in keel.yaml' },
  'unknown-pass': { severity: 'error', summary: '`needs` names a pass not in the workflow' },
  'unknown-mode': { severity: 'error', summary: 'a mode not declared by the workflow' },
  'unknown-gate': {
    severity: 'error',
    summary: '`skip_gates`/`add_gates` name a gate not in the workflow',
  },
  'needs-cycle': { severity: 'error', summary: 'passes depend on each other in a cycle' },
  'input-not-produced': { severity: 'error', summary: 'an input no needed pass produces' },
  'self-review': {
    severity: 'error',
    summary: 'a gate is reviewed by the agent that authored the pass',
  },
  'resource-not-permitted': {
    severity: 'error',
    summary: 'a pass reserves a resource its agent may not',
  },
  'budget-limit': { severity: 'error', summary: 'a budget limit is not positive' },
  'budget-threshold': { severity: 'error', summary: '`approaching_at` is outside (0, 1]' },
  'budget-exceeds-parent': {
    severity: 'error',
    summary: 'a budget is larger than its enclosing one',
  },
  'budget-target': { severity: 'error', summary: 'a budget target does not fit its scope' },
  'duplicate-id': { severity: 'error', summary: 'two things share one id or name' },
  'agent-name-mismatch': {
    severity: 'error',
    summary: 'frontmatter `name` differs from the file name',
  },
  'store-driver-field': {
    severity: 'error',
    summary: 'a store field that the driver does not use',
  },
  'resource-kind-field': {
    severity: 'error',
    summary: 'a resource field that its kind does not use',
  },
  'agent-writes-nothing': {
    severity: 'warning',
    summary: 'a code-editing agent may write nothing',
  },
  'empty-instructions': { severity: 'warning', summary: 'an agent file has no instructions' },
  'add-gate-not-optional': {
    severity: 'warning',
    summary: '`add_gates` names a gate that always runs',
  },
  'optional-gate-never-added': {
    severity: 'warning',
    summary: 'an optional gate that no mode adds never runs',
  },
  'ambiguous-selection': {
    severity: 'warning',
    summary: 'two workflows select the same thing at equal priority',
  },
} as const satisfies Record<string, { severity: 'error' | 'warning'; summary: string }>;

export type RuleId = keyof typeof RULES;
