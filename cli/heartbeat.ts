// A file the worker role touches while its event loop runs, for container
// health checks (docker-compose.yml): workers serve no HTTP to probe, and a
// stuck event loop stops the touches. Only with CASCADE_HEARTBEAT_FILE set.
import { writeFileSync } from 'node:fs';

export function startHeartbeat(path: string | undefined, everyMs = 5000): () => void {
  if (!path) return () => undefined;
  const beat = (): void => {
    try {
      writeFileSync(path, `${Date.now()}\n`);
    } catch {
      // an unwritable path shows as an unhealthy container, which says enough
    }
  };
  beat();
  const timer = setInterval(beat, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
