/**
 * The work-item events this module writes to the ledger, and their payloads.
 * Payloads are plain JSON; `version` lets later keel versions read older ones.
 */
import type { Priority } from '../core/index.ts';

export const WORK_ITEM_SUBMITTED = 'work_item.submitted';
export const WORK_ITEM_PLANNED = 'work_item.planned';

export interface WorkItemSubmitted {
  version: 1;
  id: string;
  number: number;
  title: string;
  body: string;
  type: string;
  priority: Priority;
  org: string;
  project: string;
  team: string;
  owner: string;
  labels: string[];
  source: string | null;
  budgetUsd: number | null;
}

export interface PlannedGate {
  id: string;
  kind: string;
}

export interface PlannedPassRecord {
  id: string;
  agent: string;
  needs: string[];
  inputs: string[];
  outputs: string[];
  actions: string[];
  tier: string | null;
  gates: PlannedGate[];
}

export interface WorkItemPlanned {
  version: 1;
  workflow: { name: string; version: number; file: string };
  mode: string;
  reason: string;
  passes: PlannedPassRecord[];
}

/** The part of a ledger event the work-item projections read. */
export interface RecordedEvent {
  seq: number;
  type: string;
  at: string;
  actor: string;
  workItemId: string | null;
  data: unknown;
}
