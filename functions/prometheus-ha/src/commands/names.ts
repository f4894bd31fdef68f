/**
 * The command words of the command line, and whether each reads stdin. Any other single argument is
 * the kustomize legacy plugin's config file; no argument is the KRM function (both read stdin).
 * Import-free on purpose: the launcher (entry/launcher.ts, a few lines that must start fast) bundles
 * it to choose between the light and the full bundle, entry/main.ts to know whether to read stdin,
 * and run.ts maps each word to its command.
 */
export const COMMANDS = {
  help: { stdin: false },
  '--help': { stdin: false },
  '-h': { stdin: false },
  '--version': { stdin: false },
  check: { stdin: true },
  chart: { stdin: false },
  'install-kustomize-plugin': { stdin: false },
  'install-helm-plugin': { stdin: false },
} as const;

export type CommandName = keyof typeof COMMANDS;

export const isCommand = (word: string): word is CommandName => Object.hasOwn(COMMANDS, word);

/**
 * Whether this command line reads stdin: the KRM function, the legacy plugin and `check` without
 * arguments do (`check FILE...` reads its files, `check --help` nothing).
 */
export const readsStdin = (argv: readonly string[]): boolean => argv[0] === undefined || !isCommand(argv[0]) || (COMMANDS[argv[0]].stdin && argv.length === 1);
