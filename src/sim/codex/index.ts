/** The Codex fake of keel's wind tunnel (scenario machinery shared with the Claude Code fake). */

export { processIO } from '../claude-code/index.ts';
export {
  type CodexFlags,
  effectiveSandbox,
  parseCodexFlags,
  SANDBOX_MODES,
} from './codex-flags.ts';
export { runCodexSim, uuidV7 } from './codex-sim.ts';
