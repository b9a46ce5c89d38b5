/**
 * Last line of defence against orphans: a small detached process that watches its supervisor
 * (`npm start` or Jest). If the supervisor dies without cleaning up (SIGKILL, a crash, a CI
 * timeout), it stops every process group listed in the PID file. It exits on its own once the
 * PID file is removed, which the supervisor does after a normal shutdown.
 *
 * Usage: node reaper.mjs <supervisor-pid> <pid-file>
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';

const [supervisorArg, pidFile] = process.argv.slice(2);
const supervisor = Number(supervisorArg);

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroups(pgids, signal) {
  for (const pgid of pgids) {
    try {
      process.kill(-pgid, signal);
    } catch {
      // Already gone.
    }
  }
}

function listed() {
  if (!existsSync(pidFile)) return [];
  return readFileSync(pidFile, 'utf8')
    .split('\n')
    .map(Number)
    .filter((pid) => Number.isInteger(pid) && pid > 0);
}

const timer = setInterval(() => {
  if (!existsSync(pidFile)) process.exit(0);
  if (alive(supervisor)) return;
  clearInterval(timer);
  const pgids = listed();
  signalGroups(pgids, 'SIGTERM');
  setTimeout(() => {
    signalGroups(pgids, 'SIGKILL');
    rmSync(pidFile, { force: true });
    process.exit(0);
  }, 5000);
}, 500);
