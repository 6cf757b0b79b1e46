/** Command groups (`keel sim …`, `keel agents …`) that several command files add to. */
import type { Command } from 'commander';

/** Returns the named subcommand group of `program`, creating it on first use. */
export function commandGroup(program: Command, name: string, description: string): Command {
  const existing = program.commands.find((c) => c.name() === name);
  if (existing) return existing;
  return program.command(name).description(description);
}
