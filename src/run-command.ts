// Placeholder replaced by the runtime wiring.
export async function runCommand(command: string, _env: NodeJS.ProcessEnv): Promise<number> {
  console.error(`cascade ${command}: not available yet`);
  return 1;
}
