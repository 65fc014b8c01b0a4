/** The county's policies: the list, one policy's draft with its dry-run preview, and its version history. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { DryRun, Policy, PolicyBody, Urgency } from '../api/policies';
import * as policiesApi from '../api/policies';

export type PolicyListItem = Awaited<ReturnType<typeof policiesApi.listPolicies>>['items'][number];
/** What the editor changes: everything a save sends but the version it read. */
export type PolicyDraft = Omit<PolicyBody, 'expectedVersion'>;

/** The editable part of a stored policy. */
export function draftOf(policy: Policy): PolicyDraft {
  return {
    tiers: structuredClone(policy.tiers) as PolicyDraft['tiers'],
    basis: policy.basis ?? 'elapsed',
    reminderFractions: policy.reminderFractions ?? [0.5, 0.8],
    ...(policy.startTier && policy.startTier !== 'supervision' ? { startTier: policy.startTier } : {}),
    whistleDepartments: policy.whistleDepartments ?? [],
  };
}

export const usePoliciesStore = defineStore('policies', () => {
  const countyCode = ref('');
  const items = ref<PolicyListItem[]>([]);
  const loading = ref(false);
  /** The policy open in the editor, its history (newest first) and the preview of the draft. */
  const current = ref<Policy | null>(null);
  const versions = ref<Policy[]>([]);
  const preview = ref<DryRun | null>(null);
  const previewing = ref(false);
  const saving = ref(false);

  async function load(county: string) {
    countyCode.value = county;
    loading.value = true;
    try {
      items.value = (await policiesApi.listPolicies(county)).items;
    } finally {
      loading.value = false;
    }
  }

  async function open(category: string, urgency: Urgency) {
    preview.value = null;
    const answer = await policiesApi.getPolicy(countyCode.value, category, urgency);
    current.value = answer.policy;
    versions.value = answer.versions;
  }

  /** The dry run of a draft: what a sample report nobody acts on would go through. */
  async function previewDraft(draft: PolicyDraft) {
    const policy = current.value;
    if (!policy) return;
    previewing.value = true;
    try {
      preview.value = await policiesApi.dryRun({
        countyCode: countyCode.value,
        policy: { category: policy.category, urgency: policy.urgency, ...draft },
      });
    } finally {
      previewing.value = false;
    }
  }

  async function save(draft: PolicyDraft): Promise<Policy | null> {
    const policy = current.value;
    if (!policy) return null;
    saving.value = true;
    try {
      const urgency = policy.urgency as Urgency;
      const { policy: saved } = await policiesApi.savePolicy(countyCode.value, policy.category, urgency, {
        expectedVersion: policy.version ?? 1,
        ...draft,
      });
      await Promise.all([open(policy.category, urgency), load(countyCode.value)]);
      return saved;
    } finally {
      saving.value = false;
    }
  }

  function close() {
    current.value = null;
    versions.value = [];
    preview.value = null;
  }

  return { countyCode, items, loading, current, versions, preview, previewing, saving, load, open, previewDraft, save, close };
});
