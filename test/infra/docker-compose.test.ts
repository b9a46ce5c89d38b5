/**
 * docker-compose.yml cannot run on this machine, so this checks its shape against the config
 * module: the services exist, the ports line up, and the API and worker get exactly the settings
 * they read.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { SETTINGS, type Setting } from '../../src/config/settings';
import { SEARCH_ATTRIBUTES } from '../../workflows/definitions';

interface Service {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  environment?: Record<string, string | number>;
  ports?: string[];
  healthcheck?: { test: unknown };
  depends_on?: Record<string, { condition: string }>;
}

const compose = parse(readFileSync(join(__dirname, '..', '..', 'docker-compose.yml'), 'utf8'), {
  merge: true,
}) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const services = compose.services;
const settings = SETTINGS as readonly Setting[];
const settingNames = new Set(settings.map((s) => s.env));

function service(name: string): Service {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service named ${name}`);
  return found;
}

describe('docker-compose.yml', () => {
  it('runs Temporal on PostgreSQL, its UI, MongoDB, the API and the worker', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining(['postgresql', 'temporal', 'temporal-ui', 'mongo', 'api', 'worker']),
    );
    expect(service('temporal').image).toMatch(/^temporalio\/auto-setup:/);
    expect(service('temporal').environment?.DB).toBe('postgres12');
    expect(service('mongo').image).toMatch(/^mongo:/);
    expect(service('temporal-ui').image).toMatch(/^temporalio\/ui:/);
  });

  it('builds the API and the worker from the project Dockerfile with separate entry points', () => {
    expect(service('api').build).toBe('.');
    expect(service('worker').build).toBe('.');
    expect(service('api').command).toContain('src/api/main.ts');
    expect(service('worker').command).toContain('src/worker/main.ts');
  });

  it('registers every custom search attribute in a one-shot job', () => {
    const script = JSON.stringify(service('temporal-search-attributes').command);
    for (const name of Object.keys(SEARCH_ATTRIBUTES)) expect(script).toContain(name);
    expect(service('worker').depends_on?.['temporal-search-attributes']?.condition).toBe(
      'service_completed_successfully',
    );
  });

  it('publishes the API on its PORT and Temporal on 7233, with health checks and named volumes', () => {
    expect(service('api').ports).toContain(`${service('api').environment?.PORT}:3000`);
    expect(service('temporal').ports).toContain('7233:7233');
    for (const name of ['postgresql', 'temporal', 'mongo', 'api']) {
      expect(service(name).healthcheck?.test).toBeDefined();
    }
    expect(Object.keys(compose.volumes)).toEqual(
      expect.arrayContaining(['temporal-postgres', 'mongo-data']),
    );
  });

  describe.each(['api', 'worker'] as const)('the %s service', (role) => {
    const environment = service(role).environment ?? {};

    it('sets only variables that the config module defines', () => {
      const unknown = Object.keys(environment).filter((name) => !settingNames.has(name));
      expect(unknown).toEqual([]);
    });

    it('provides every required setting that the role reads', () => {
      const required = settings
        .filter((s) => s.required && s.usedBy.includes(role))
        .map((s) => s.env);
      const missing = required.filter((name) => environment[name] === undefined);
      expect(missing).toEqual([]);
    });

    it('points at the compose MongoDB and Temporal, not at localhost', () => {
      expect(environment.MONGODB_URI).toBe('mongodb://mongo:27017/citrus');
      expect(environment.TEMPORAL_ADDRESS).toBe('temporal:7233');
      expect(environment.NODE_ENV).toBe('production');
    });
  });
});
