import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { temporalSecurity } from '../../src/temporal/client';

// Temporal Cloud and secured clusters: the options the client and the workers' native connection are built with.
describe('Temporal TLS and API key options', () => {
  const dir = mkdtempSync(join(tmpdir(), 'temporal-tls-'));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it('connects in plain text when nothing is set (the local dev server)', () => {
    expect(temporalSecurity(loadConfig({}))).toEqual({});
  });

  it('reads the mTLS client pair, the CA and the server name from the files named', () => {
    const config = loadConfig({
      TEMPORAL_TLS_CERT_PATH: file('client.pem', 'CERT'),
      TEMPORAL_TLS_KEY_PATH: file('client.key', 'KEY'),
      TEMPORAL_TLS_CA_PATH: file('ca.pem', 'CA'),
      TEMPORAL_TLS_SERVER_NAME: 'ns.acct.tmprl.cloud',
    });
    const { tls, apiKey } = temporalSecurity(config);
    expect(apiKey).toBeUndefined();
    expect(Buffer.from(tls!.clientCertPair!.crt).toString()).toBe('CERT');
    expect(Buffer.from(tls!.clientCertPair!.key).toString()).toBe('KEY');
    expect(Buffer.from(tls!.serverRootCACertificate!).toString()).toBe('CA');
    expect(tls!.serverNameOverride).toBe('ns.acct.tmprl.cloud');
  });

  it('an API key turns TLS on (Temporal Cloud requires it)', () => {
    expect(temporalSecurity(loadConfig({ TEMPORAL_API_KEY: 'k' }))).toEqual({ tls: {}, apiKey: 'k' });
    expect(temporalSecurity(loadConfig({ TEMPORAL_TLS: 'true' }))).toEqual({ tls: {} });
  });

  it('refuses a certificate without its key', () => {
    expect(() => temporalSecurity(loadConfig({ TEMPORAL_TLS_CERT_PATH: file('c.pem', 'C') }))).toThrow(
      /TEMPORAL_TLS_KEY_PATH/,
    );
  });
});
