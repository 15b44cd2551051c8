import { readFileSync } from 'node:fs';
import {
  InterceptingCall,
  Metadata,
  status as GrpcStatus,
  type Interceptor,
  type NextCall,
} from '@grpc/grpc-js';
import {
  Client,
  Connection,
  defaultGrpcRetryOptions,
  makeGrpcRetryInterceptor,
  type TLSConfig,
} from '@temporalio/client';
import type { Config } from '../config';

export type TemporalSecurityConfig = Partial<
  Pick<
    Config,
    | 'TEMPORAL_TLS'
    | 'TEMPORAL_TLS_CERT_PATH'
    | 'TEMPORAL_TLS_KEY_PATH'
    | 'TEMPORAL_TLS_CA_PATH'
    | 'TEMPORAL_TLS_SERVER_NAME'
    | 'TEMPORAL_API_KEY'
  >
>;

export interface TemporalSecurity {
  tls?: TLSConfig;
  apiKey?: string;
}

/**
 * TLS and API-key options for the Temporal frontend (Temporal Cloud, or a self-hosted cluster behind mTLS), the same
 * for the client and the workers' native connection. Plain text when nothing is set (the local dev server).
 * A certificate without its key (or the reverse) is a configuration error, said at start-up.
 */
export function temporalSecurity(config: TemporalSecurityConfig): TemporalSecurity {
  const { TEMPORAL_TLS_CERT_PATH: cert, TEMPORAL_TLS_KEY_PATH: key, TEMPORAL_TLS_CA_PATH: ca } = config;
  if (!!cert !== !!key) {
    throw new Error('TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH go together (mTLS needs both)');
  }
  const wantsTls =
    !!config.TEMPORAL_TLS || !!cert || !!ca || !!config.TEMPORAL_TLS_SERVER_NAME || !!config.TEMPORAL_API_KEY;
  if (!wantsTls) return {};
  const tls: TLSConfig = {};
  if (cert && key) tls.clientCertPair = { crt: readFileSync(cert), key: readFileSync(key) };
  if (ca) tls.serverRootCACertificate = readFileSync(ca);
  if (config.TEMPORAL_TLS_SERVER_NAME) tls.serverNameOverride = config.TEMPORAL_TLS_SERVER_NAME;
  return { tls, ...(config.TEMPORAL_API_KEY ? { apiKey: config.TEMPORAL_API_KEY } : {}) };
}

const CHANNEL_SHUT_DOWN = 'Channel has been shut down';

/**
 * The SDK's gRPC retry interceptor schedules each retry with `setTimeout`, and `Connection.close()` does not clear
 * those timers: a retry that fires after the close throws "Channel has been shut down" inside the timer, where
 * nothing can catch it, and the process dies (a bot or worker shutting down while Temporal is unreachable; the test
 * run that closed a client mid-retry). Placed after the retry interceptor, this answers such a retry with
 * CANCELLED instead: the waiting call fails like any other call, and the retry interceptor stops retrying. A call
 * started after the close fails the same way.
 */
export function closedChannelGuard(): Interceptor {
  return (options, nextCall) => {
    try {
      return new InterceptingCall(nextCall(options));
    } catch (err) {
      if (!(err instanceof Error) || err.message !== CHANNEL_SHUT_DOWN) throw err;
      const closed: ReturnType<NextCall> = {
        // As a failed call on a live channel does: an empty message, then the status (the retry interceptor
        // forwards the message it saved before the status; without one it throws).
        start: (_metadata, listener) =>
          setImmediate(() => {
            listener?.onReceiveMessage?.(null);
            listener?.onReceiveStatus?.({
              code: GrpcStatus.CANCELLED,
              details: 'the Temporal connection was closed',
              metadata: new Metadata(),
            });
          }),
        cancelWithStatus: () => undefined,
        getPeer: () => '',
        sendMessageWithContext: () => undefined,
        sendMessage: () => undefined,
        startRead: () => undefined,
        halfClose: () => undefined,
        getAuthContext: () => null,
      };
      return new InterceptingCall(closed);
    }
  };
}

/** The SDK's default retries, with the guard above behind them. */
export function temporalInterceptors(): Interceptor[] {
  return [makeGrpcRetryInterceptor(defaultGrpcRetryOptions()), closedChannelGuard()];
}

/** The one place that builds the Temporal connection and client. */
export async function createTemporalClient(
  options: { address: string; namespace: string } & TemporalSecurityConfig,
): Promise<Client> {
  const connection = await Connection.connect({
    address: options.address,
    interceptors: temporalInterceptors(),
    ...temporalSecurity(options),
  });
  return new Client({ connection, namespace: options.namespace });
}
