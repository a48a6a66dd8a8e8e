// Human-readable log lines for the demo and a terminal: "10:42:07 INFO ENG-12 is orphan…".
// Production keeps pino's JSON (LOG_FORMAT=json), which log pipelines parse.
import { Writable } from 'node:stream';

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
/** Fields already said by the message, or noise for a person reading along. */
const HIDDEN = new Set(['level', 'time', 'msg', 'service', 'pid', 'hostname', 'reqId', 'ticket', 'tracker', 'verdict', 'writes', 'reason', 'dryRun', 'configVersion', 'action']);

export function prettyStream(out: NodeJS.WritableStream = process.stdout): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line) out.write(`${format(line)}\n`);
      }
      done();
    },
  });
}

function format(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 19) : '';
  const level = LEVELS[entry.level as number] ?? 'INFO ';
  const extras = Object.entries(entry)
    .filter(([k]) => !HIDDEN.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  return `${time} ${level} ${String(entry.msg ?? '')}${extras.length ? `  (${extras.join(' ')})` : ''}`;
}
