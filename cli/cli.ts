#!/usr/bin/env node
// cascade all | serve | work | validate <file> | digest
import { loadConfigFile } from '../src/config/load-config-file.js';
import { formatIssues } from '../src/config/config-issues.js';
import { summariseTree } from '../src/strategy/summarise-tree.js';

const USAGE = `usage: cascade <command>
  all              receiver, workers and scheduler in one process (npm start)
  serve            only the webhook receiver and the HTTP API
  work             only the workers and the scheduler
  validate <file>  check a strategy file and print its tree
  digest           compute the digest now and print it`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'validate':
      return validate(rest[0]);
    case 'all':
    case 'serve':
    case 'work':
    case 'digest': {
      const { runCommand } = await import('./run-command.js');
      return runCommand(command, process.env);
    }
    default:
      console.error(USAGE);
      return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
}

async function validate(file: string | undefined): Promise<number> {
  if (!file) {
    console.error('usage: cascade validate <file>');
    return 2;
  }
  const result = await loadConfigFile(file);
  if (!result.ok) {
    console.error(`${file}: ${result.issues.length} problem${result.issues.length === 1 ? '' : 's'}\n${formatIssues(result.issues)}`);
    return 1;
  }
  console.log(`${file} is valid\n${summariseTree(result.config)}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);
