/**
 * Import jobs on AWS: the api function invokes the importer function asynchronously
 * (InvocationType Event), so the job runs for as long as it needs (up to the importer's 15
 * minutes) while the HTTP request, which API Gateway ends after 30 s, has long been answered.
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { ImportQueue } from '#ports/imports.ts';

/** What the importer function receives. */
export interface ImportInvocation {
  importId: string;
}

export class LambdaImportQueue implements ImportQueue {
  constructor(private readonly options: { client: LambdaClient; functionName: string }) {}

  async enqueue(id: string): Promise<void> {
    const payload: ImportInvocation = { importId: id };
    await this.options.client.send(
      new InvokeCommand({
        FunctionName: this.options.functionName,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify(payload)),
      }),
    );
  }
}
