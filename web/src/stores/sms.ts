/** The SMS log of the reader's subtree: one page of it, with the cursors of the pages before. */
import { defineStore } from 'pinia';
import type { SmsLogEntry, SmsQuery } from '../api/sms';
import * as smsApi from '../api/sms';
import { useCursorPages } from './cursor-pages';

export type SmsFilters = Omit<SmsQuery, 'cursor' | 'limit'>;

export const PAGE_SIZE = 20;

export const useSmsStore = defineStore('sms', () =>
  useCursorPages<SmsLogEntry, SmsFilters>((filters, cursor) => smsApi.listSms({ ...filters, cursor, limit: String(PAGE_SIZE) })),
);
