/** Outgoing SMS. Implementations: SNS direct publish on AWS, a local outbox. */
export interface SmsSender {
  /** Throws SmsSendFailedError when the provider did not take the message. */
  send(message: { to: string; text: string; reportId: string }): Promise<{ providerMessageId: string }>;
}
