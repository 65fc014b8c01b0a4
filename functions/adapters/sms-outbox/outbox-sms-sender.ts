/**
 * The local SMS "provider": every message is appended to an outbox file under DATA_DIR and printed,
 * so a demo shows exactly what officers would receive. `failFor` lets tests make a number fail.
 */

import { randomUUID } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SmsSendFailedError } from '#core/errors.ts';
import type { SmsSender } from '#ports/messaging.ts';

export interface OutboxOptions {
  file: string;
  print?: (line: string) => void;
  failFor?: (to: string) => boolean;
}

export class OutboxSmsSender implements SmsSender {
  constructor(private readonly options: OutboxOptions) {}

  async send(message: { to: string; text: string; reportId: string }): Promise<{ providerMessageId: string }> {
    if (this.options.failFor?.(message.to)) throw new SmsSendFailedError(`outbox refused ${message.to}`);
    const providerMessageId = `outbox-${randomUUID()}`;
    const entry = { id: providerMessageId, at: new Date().toISOString(), ...message };
    await mkdir(dirname(this.options.file), { recursive: true });
    await appendFile(this.options.file, `${JSON.stringify(entry)}\n`, 'utf8');
    this.options.print?.(`[sms] → ${message.to} ${message.text}`);
    return { providerMessageId };
  }
}
