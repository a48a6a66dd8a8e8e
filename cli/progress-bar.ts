// A one-line progress bar on a terminal (redrawn in place), or plain lines
// when the output is not a terminal, so logs of a CI run stay readable.
export class ProgressBar {
  private lastLine = '';

  constructor(private readonly out: NodeJS.WriteStream, private readonly width = 30) {}

  draw(done: number, total: number, label: string, indeterminate = false): void {
    const share = total > 0 ? Math.min(1, done / total) : 0;
    const cells = indeterminate ? 0 : Math.round(share * this.width);
    const bar = `[${'#'.repeat(cells)}${(indeterminate ? '?' : '-').repeat(this.width - cells)}]`;
    const line = `${bar} ${indeterminate ? '' : `${Math.round(share * 100)}% `}${label}`;
    if (line === this.lastLine) return;
    this.lastLine = line;
    if (this.out.isTTY) this.out.write(`\r${line}\u001b[K`);
    else this.out.write(`${line}\n`);
  }

  done(): void {
    if (this.out.isTTY) this.out.write('\n');
  }
}
