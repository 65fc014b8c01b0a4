/**
 * The SMS page's list: its columns, its filters (status; a node code, the reader's scope by default)
 * and cursor paging. The API decides who may read the log: a reader it refuses (403, a department
 * officer or grid worker) sees its translated reason in place of the table, not a toast.
 */
import { storeToRefs } from 'pinia';
import { computed, onMounted, reactive, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ApiError } from '../../api/client';
import type { SmsLogEntry, SmsStatus } from '../../api/sms';
import { useAuthStore } from '../../stores/auth';
import { type SmsFilters, useSmsStore } from '../../stores/sms';
import { isNodeCode } from '../people/personRules';
import { showError } from '../people/showError';

export interface SmsColumn {
  key: 'at' | 'recipient' | 'to' | 'status' | 'attempts' | 'text' | 'report';
  label: string;
  minWidth?: number;
  width?: number;
}

/** Element Plus tag types: failed is the one an admin must see at a glance. */
export const STATUS_TAG: Record<SmsStatus, 'warning' | 'success' | 'danger'> = { sending: 'warning', sent: 'success', failed: 'danger' };

/** One SMS per (report, assignment, reminder, recipient): what the API keys it by. */
export const rowKey = (row: SmsLogEntry) => `${row.report.id}/${row.tierSeq}/${row.reminder}/${row.toId}`;

export function useSmsList() {
  const { t } = useI18n();
  const store = useSmsStore();
  const { items, loading, page, hasPrevious, hasNext } = storeToRefs(store);
  const { user } = storeToRefs(useAuthStore());

  // A department officer's scope is a department, not a node: no default node, and the API answers.
  const ownNode = () => (isNodeCode(user.value?.scope ?? '') ? (user.value?.scope ?? '') : '');
  const filters = reactive({ node: ownNode(), status: '' as SmsStatus | '' });
  const nodeError = computed(() => {
    const code = filters.node.trim();
    return code !== '' && !isNodeCode(code) ? t('people.filters.nodeInvalid') : '';
  });
  const statusOptions = computed(() => (['sent', 'failed', 'sending'] as const).map((s) => ({ value: s, label: t(`sms.status.${s}`) })));

  const columns = computed<SmsColumn[]>(() => [
    { key: 'at', label: t('sms.columns.at'), minWidth: 150 },
    { key: 'recipient', label: t('sms.columns.recipient'), minWidth: 170 },
    { key: 'to', label: t('sms.columns.to'), minWidth: 170 },
    { key: 'status', label: t('sms.columns.status'), minWidth: 150 },
    { key: 'attempts', label: t('sms.columns.attempts'), width: 90 },
    { key: 'text', label: t('sms.columns.text'), minWidth: 260 },
    { key: 'report', label: t('sms.columns.report'), minWidth: 200 },
  ]);

  function query(): SmsFilters {
    const q: SmsFilters = {};
    if (filters.node.trim()) q.node = filters.node.trim();
    if (filters.status) q.status = filters.status;
    return q;
  }

  /** The API's reason when it refuses this reader the log (null: not refused). */
  const refusal = ref<string | null>(null);

  async function search() {
    if (nodeError.value) return;
    try {
      await store.search(query());
      refusal.value = null;
    } catch (error) {
      if (error instanceof ApiError && error.status === 403) refusal.value = error.message;
      else showError(error);
    }
  }

  async function reset() {
    Object.assign(filters, { node: ownNode(), status: '' });
    await search();
  }

  const nextPage = () => store.nextPage().catch(showError);
  const previousPage = () => store.previousPage().catch(showError);

  onMounted(search);

  return {
    items,
    loading,
    page,
    hasPrevious,
    hasNext,
    columns,
    filters,
    nodeError,
    statusOptions,
    refusal,
    search,
    reset,
    nextPage,
    previousPage,
  };
}
