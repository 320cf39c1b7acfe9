/** A JSON logger whose lines are kept in memory, for tests that read (or scan) what was logged. */
import { Writable } from 'node:stream';
import { type Logger, createLogger } from '../../src/logging';

export function memoryLogger(level = 'debug', options: { showSecrets?: boolean } = {}): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { log: createLogger({ level, format: 'json', destination, ...options }), lines };
}
