import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TemporalSettings } from '../../src/config';
import { TemporalTlsFileError, temporalConnectionOptions } from '../../src/temporal/connection';

const plain: TemporalSettings = {
  address: '127.0.0.1:7233',
  namespace: 'default',
  taskQueue: 'q',
  apiKey: undefined,
  tls: undefined,
  rpcTimeoutMs: 4000,
};

describe('temporalConnectionOptions', () => {
  it('connects without TLS to a local server', () => {
    expect(temporalConnectionOptions(plain)).toMatchObject({
      address: '127.0.0.1:7233',
      tls: undefined,
    });
  });

  it('turns TLS on when an API key is set', () => {
    const options = temporalConnectionOptions({ ...plain, apiKey: 'key' });
    expect(options.tls).toEqual({});
    expect(options.apiKey).toBe('key');
  });

  it('reads the client certificate, key and CA for mTLS', () => {
    const dir = mkdtempSync(join(tmpdir(), 'citrus-tls-'));
    for (const name of ['crt', 'key', 'ca']) writeFileSync(join(dir, name), `${name}-pem`);
    const options = temporalConnectionOptions({
      ...plain,
      tls: { certPath: join(dir, 'crt'), keyPath: join(dir, 'key'), caPath: join(dir, 'ca') },
    });
    expect(options.tls).toEqual({
      serverRootCACertificate: Buffer.from('ca-pem'),
      clientCertPair: { crt: Buffer.from('crt-pem'), key: Buffer.from('key-pem') },
    });
  });

  it('names the variable of a TLS file that cannot be read', () => {
    expect(() =>
      temporalConnectionOptions({
        ...plain,
        tls: { certPath: undefined, keyPath: undefined, caPath: '/nonexistent/ca.pem' },
      }),
    ).toThrow(TemporalTlsFileError);
    expect(() =>
      temporalConnectionOptions({
        ...plain,
        tls: { certPath: undefined, keyPath: undefined, caPath: '/nonexistent/ca.pem' },
      }),
    ).toThrow(/TEMPORAL_TLS_CA_PATH/);
  });
});
