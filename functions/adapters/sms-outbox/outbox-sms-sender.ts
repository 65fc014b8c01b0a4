/**
 * The local SMS "provider": every message is appended to an outbox file under DATA_DIR, which
 * stands for the recipients' phones (the only place an SMS link lives), and printed with its link
 * and number masked, since a log line is read by people the link is not for. `failFor` lets tests
 * make a number fail, or any message they pick by its text (given with its link masked: a test
 * never holds a link it did not read from the outbox).
 */

import { randomUUID } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Clock } from '#core/deadlines.ts';
import { SmsSendFailedError } from '#core/errors.ts';
import { maskLinks } from '#core/links.ts';
import { maskPhone } from '#core/people.ts';
import type { SmsSender } from '#ports/messaging.ts';

/** Whether the provider refuses this message: the number, and the message with its link masked. */
export type SmsFailFor = (to: string, message: { reportId: string; text: string }) => boolean;

export interface OutboxOptions {
  file: string;
  print?: (line: string) => void;
  failFor?: SmsFailFor;
  clock?: Clock;
}

export class OutboxSmsSender implements SmsSender {
  constructor(private readonly options: OutboxOptions) {}

  async send(message: { to: string; text: string; reportId: string }): Promise<{ providerMessageId: string }> {
    const refused = this.options.failFor?.(message.to, { reportId: message.reportId, text: maskLinks(message.text) });
    if (refused) throw new SmsSendFailedError(`outbox refused ${maskPhone(message.to)}`);
    const providerMessageId = `outbox-${randomUUID()}`;
    const entry = { id: providerMessageId, at: (this.options.clock?.now() ?? new Date()).toISOString(), ...message };
    await mkdir(dirname(this.options.file), { recursive: true });
    await appendFile(this.options.file, `${JSON.stringify(entry)}\n`, 'utf8');
    this.options.print?.(`[sms] → ${maskPhone(message.to)} ${maskLinks(message.text)}`);
    return { providerMessageId };
  }
}
