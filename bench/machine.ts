/** What the figures were measured on: machine, load and versions. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg, totalmem } from 'node:os';
import type { Stack } from './stack';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  ramGb: number;
  node: string;
  temporal: string;
  mongoServer: string;
  sdk: string;
  autocannon: string;
}

function firstLine(command: string, args: string[]): string {
  try {
    return (
      execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
        .split('\n')[0]
        ?.trim() ?? 'unknown'
    );
  } catch {
    return 'unknown';
  }
}

function packageVersion(name: string): string {
  const file = join(__dirname, '..', 'node_modules', name, 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

export function machineInfo(stack: Stack): MachineInfo {
  const mongo = stack.mongo;
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    ramGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    temporal: stack.temporalBin ? firstLine(stack.temporalBin, ['--version']) : 'external',
    mongoServer:
      mongo && mongo.kind !== 'external'
        ? `${mongo.kind} ${firstLine(mongo.bin, ['--version'])}`
        : 'external',
    sdk: `@temporalio/worker ${packageVersion('@temporalio/worker')}`,
    autocannon: packageVersion('autocannon'),
  };
}

export function load(): string {
  return loadavg()
    .map((v) => v.toFixed(2))
    .join(' / ');
}
