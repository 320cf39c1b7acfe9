/**
 * `npm run staff -- <command>`: staff accounts of the console (src/services/staff.ts).
 *
 *   add <username> --name "Display Name" --role agent|supervisor|admin   the password is read from stdin
 *   list [--json]                                                        accounts, roles, disabled/locked
 *   disable <username>                                                   and ends its sessions
 *   reset-password <username>                                            the new password from stdin; unlocks
 *
 * The password is never an argument (it would stay in the shell history and the process list): it is typed
 * at a prompt that does not echo, or piped (`printf '%s\n' "$PW" | npm run -s staff -- add siti ...`).
 * Every change is written to the staff audit (as "cli").
 */
import '../config/envFile';
import readline from 'node:readline';
import { loadConfigOrExit } from '../config';
import { openDatabase } from '../db';
import { createLogger } from '../logging';
import { STAFF_ROLES, StaffError, StaffService } from '../services/staff';
import { UsageError, parseArgs } from './tickets';

const USAGE = `usage: npm run staff -- add <username> --name "Display Name" --role <${STAFF_ROLES.join('|')}>   (password from stdin)
       npm run staff -- list [--json]
       npm run staff -- disable <username>
       npm run staff -- reset-password <username>   (password from stdin)`;

const CLI = { id: null, username: 'cli' };

export async function runStaffCommand(
  args: string[],
  service: StaffService,
  write: (s: string) => void,
  readPassword: () => Promise<string>,
): Promise<void> {
  const { positional, options } = parseArgs(args);
  const [command, username] = positional;
  const opt = (k: string) => {
    const v = options.get(k);
    return typeof v === 'string' ? v : undefined;
  };
  switch (command) {
    case 'add': {
      if (!username) throw new UsageError('add needs a user name');
      const name = opt('name');
      const role = opt('role');
      if (!name || !role) throw new UsageError('add needs --name and --role');
      const member = await service.add({ username, displayName: name, role, password: await readPassword() });
      await service.audit(CLI, 'staff-add', member.username, `role ${member.role}`);
      write(`added ${member.username} (${member.role})`);
      return;
    }
    case 'list': {
      const members = await service.list();
      if (options.has('json')) {
        write(JSON.stringify(members, null, 2));
        return;
      }
      if (members.length === 0) write('no staff accounts');
      for (const m of members) {
        const state = m.disabled ? 'disabled' : m.lockedUntil && Date.parse(m.lockedUntil) > Date.now() ? `locked until ${m.lockedUntil}` : 'active';
        write(`${m.username.padEnd(20)} ${m.role.padEnd(11)} ${state.padEnd(10)} ${m.displayName}`);
      }
      return;
    }
    case 'disable': {
      if (!username) throw new UsageError('disable needs a user name');
      await service.disable(username);
      await service.audit(CLI, 'staff-disable', username);
      write(`disabled ${username}`);
      return;
    }
    case 'reset-password': {
      if (!username) throw new UsageError('reset-password needs a user name');
      await service.resetPassword(username, await readPassword());
      await service.audit(CLI, 'staff-reset-password', username);
      write(`password reset for ${username}`);
      return;
    }
    default:
      throw new UsageError(command ? `unknown command "${command}"` : 'no command');
  }
}

/** The password from a prompt without echo (a terminal), or the first line of stdin (a pipe). */
function readPasswordFromStdin(): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    return new Promise((resolve, reject) => {
      let data = '';
      input.setEncoding('utf8');
      input.on('data', (chunk: string) => {
        data += chunk;
        if (data.length > 4096) input.destroy();
      });
      input.on('end', () => resolve(data.split(/\r?\n/)[0] ?? ''));
      input.on('error', reject);
    });
  }
  // a muted readline: what is typed is not written back to the terminal
  return new Promise((resolve) => {
    process.stderr.write('Password: ');
    const rl = readline.createInterface({ input, output: process.stderr, terminal: true });
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
    rl.question('', (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
  });
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const log = createLogger({ level: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, format: config.logFormat });
  const database = await openDatabase(config.database);
  try {
    const service = new StaffService({
      db: database.db,
      log,
      lockoutAttempts: config.STAFF_LOCKOUT_ATTEMPTS,
      lockoutMinutes: config.STAFF_LOCKOUT_MINUTES,
      sessionHours: config.STAFF_SESSION_HOURS,
    });
    await runStaffCommand(process.argv.slice(2), service, (s) => process.stdout.write(`${s}\n`), readPasswordFromStdin);
  } finally {
    await database.close();
  }
}

if (require.main === module) {
  main().catch((err) => {
    if (err instanceof UsageError) process.stderr.write(`${err.message}\n${USAGE}\n`);
    else if (err instanceof StaffError) process.stderr.write(`${err.message}\n`);
    else process.stderr.write(`${(err as Error).message}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  });
}
