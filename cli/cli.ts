#!/usr/bin/env node
// The `cascade` command: the roles (all | serve | work), the digest, and the
// admin's tools (validate, import, explain, recheck, review), parsed by commander.
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadConfigFile } from '../src/config/load-config-file.js';
import { formatIssues } from '../src/config/config-issues.js';
import { summariseTree } from '../src/strategy/summarise-tree.js';
import { AdminClientError } from './admin-client.js';
import { perTracker, TRACKERS } from '../src/trackers/registry.js';

const program = new Command('cascade')
  .description('Keeps every Linear and Jira ticket tied to a company objective.')
  .showHelpAfterError('(cascade --help lists the commands)')
  .addHelpText('after', `
Environment: REDIS_URL, PORT, ADMIN_TOKEN, DIGEST_TOKEN, LINEAR_API_KEY, JIRA_BASE_URL,
JIRA_EMAIL, JIRA_API_TOKEN, CONFIG_FILE, DIGEST_TZ … (README.md). With no tracker
credentials, \`cascade all\` runs the demo against local sandboxes.

Examples:
  cascade import linear > config/strategy.yaml   a starting tree from Linear's initiatives
  cascade validate --live config/strategy.yaml   check it, and its names against the trackers
  cascade explain linear ENG-123                 why a ticket has its verdict
  cascade recheck --tracker jira --team ENT      re-check open tickets, with progress
  cascade review --days 30                       what ends soon, what the teams propose`);

const role = (name: 'all' | 'serve' | 'work' | 'digest', description: string): void => {
  program.command(name).description(description).action(async () => {
    const { runCommand } = await import('./run-command.js');
    // Ends the process even if a reconnecting client or a closing socket is left: a stopped Cascade must exit.
    process.exit(await runCommand(name, process.env));
  });
};
role('all', 'receiver, with its workers and scheduler in a child process (npm start); the demo without tracker credentials');
role('serve', 'only the webhook receiver and the HTTP API');
role('work', 'only the workers and the scheduler');
role('digest', 'compute this week\'s digest from Redis now and print it');

program
  .command('validate')
  .description('check a strategy file and print its tree; --live also checks its match entries against the trackers')
  .argument('<file>', 'the strategy YAML or JSON')
  .option('--live', 'check initiative, project, label and issue names against the trackers (environment credentials)')
  .action(async (file: string, options: { live?: boolean }) => {
    const result = await loadConfigFile(file);
    if (!result.ok) {
      console.error(`${file}: ${result.issues.length} problem${result.issues.length === 1 ? '' : 's'}\n${formatIssues(result.issues)}`);
      process.exitCode = 1;
      return;
    }
    console.log(`${file} is valid\n${summariseTree(result.config, perTracker((id) => TRACKERS[id].words))}`);
    if (options.live) {
      const { printLiveWarnings } = await import('./tracker-commands.js');
      process.exitCode = await printLiveWarnings(file, result.config);
    }
  });

program
  .command('import')
  .description('print a starting strategy YAML from the tracker: Linear initiatives, or Jira initiatives and epics')
  .addArgument(program.createArgument('<tracker>', 'linear or jira').choices(['linear', 'jira']))
  .action(async (tracker: 'linear' | 'jira') => {
    const { importCommand } = await import('./tracker-commands.js');
    process.exitCode = await importCommand(tracker);
  });

const urlOption = new Option('--url <url>', 'the running Cascade (default CASCADE_URL, or http://127.0.0.1:$PORT)');

program
  .command('explain')
  .description('why a ticket has its verdict: the live lineage trace (asks the running Cascade; ADMIN_TOKEN)')
  .addArgument(program.createArgument('<tracker>', 'linear or jira').choices(['linear', 'jira']))
  .argument('<ticket>', 'the key (ENG-123) or the tracker id')
  .addOption(urlOption)
  .action(async (tracker: string, ticket: string, options: { url?: string }) => {
    const { explainCommand } = await import('./admin-commands.js');
    process.exitCode = await explainCommand(tracker, ticket, options);
  });

program
  .command('recheck')
  .description('re-check open tickets in scope and show the progress (asks the running Cascade; ADMIN_TOKEN)')
  .addOption(new Option('--tracker <tracker>', 'only this tracker').choices(['linear', 'jira']))
  .option('--team <key...>', 'only these Linear teams or Jira projects')
  .option('--no-wait', 'start the re-check and return at once')
  .addOption(urlOption)
  .action(async (options: { tracker?: string; team?: string[]; wait?: boolean; url?: string }) => {
    const { recheckCommand } = await import('./admin-commands.js');
    process.exitCode = await recheckCommand(options);
  });

program
  .command('review')
  .description('objectives ending soon (with their open work), not started yet, and the teams\' proposals (asks the running Cascade)')
  .option('--days <n>', 'the window in days', (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 366) throw new InvalidArgumentError('a whole number of days from 1 to 366');
    return n;
  }, 30)
  .option('--json', 'print the JSON the admin API answers')
  .addOption(urlOption)
  .action(async (options: { days: number; json?: boolean; url?: string }) => {
    const { reviewCommand } = await import('./admin-commands.js');
    process.exitCode = await reviewCommand(options);
  });

program
  .command('link')
  .description('link many tickets to a project, an epic or an objective: the tickets of a digest theme, or keys (asks the running Cascade; ADMIN_TOKEN)')
  .requiredOption('--to <target>', 'a strategy node id (data-portability), a Linear project, or a Jira epic key or summary')
  .option('--theme <theme>', 'the open orphans of this digest theme ("csv export")')
  .option('--ticket <key...>', 'these tickets instead')
  .addOption(new Option('--tracker <tracker>', 'only this tracker').choices(['linear', 'jira']))
  .option('--apply', 'move them (without it: only say what would move and what cannot)')
  .addOption(urlOption)
  .action(async (options: { to: string; theme?: string; ticket?: string[]; tracker?: 'linear' | 'jira'; apply?: boolean; url?: string }) => {
    const { linkCommand } = await import('./link-command.js');
    process.exitCode = await linkCommand(options);
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  // Expected failures (Cascade not running, a bad token) are one line; anything else keeps its stack for a bug report.
  console.error(err instanceof AdminClientError ? `cascade: ${err.message}` : err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
