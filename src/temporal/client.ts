import { Client, Connection } from '@temporalio/client';

/** The one place that builds the Temporal connection and client. */
export async function createTemporalClient(options: { address: string; namespace: string }): Promise<Client> {
  const connection = await Connection.connect({ address: options.address });
  return new Client({ connection, namespace: options.namespace });
}
