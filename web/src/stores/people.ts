/**
 * The people directory as the console holds it: one page of a filtered listing (cursor paging,
 * with the cursors of the pages before it to go back), the person whose history is open, and the
 * writes (create, edit, deactivate, accounts). A one-time password passes through `createAccount`
 * to the dialog that shows it and is never kept here.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { AuditEntry, HandOver, NewPerson, PeopleQuery, Person, PersonPatch } from '../api/people';
import * as peopleApi from '../api/people';
import { useCursorPages } from './cursor-pages';

export type PeopleFilters = Omit<PeopleQuery, 'cursor' | 'limit'>;

export const PAGE_SIZE = 20;

export const usePeopleStore = defineStore('people', () => {
  const listing = useCursorPages<Person, PeopleFilters>((filters, cursor) =>
    peopleApi.listPeople({ ...filters, cursor, limit: String(PAGE_SIZE) }),
  );
  const { items } = listing;
  const history = ref<AuditEntry[]>([]);
  const historyNextCursor = ref<string | null>(null);

  function replace(person: Person) {
    items.value = items.value.map((p) => (p.id === person.id ? person : p));
  }

  async function create(input: NewPerson): Promise<Person> {
    const { person } = await peopleApi.createPerson(input);
    items.value = [person, ...items.value.filter((p) => p.id !== person.id)];
    return person;
  }

  /** An edit; a transfer or giving up the post hands the person's open reports on (`handOver`). */
  async function update(id: string, patch: PersonPatch): Promise<{ person: Person; handOver: HandOver[] }> {
    const answer = await peopleApi.updatePerson(id, patch);
    replace(answer.person);
    return answer;
  }

  /** What deactivating would do to the person's open reports; nothing changes. */
  async function planDeactivation(id: string): Promise<HandOver[]> {
    return (await peopleApi.deactivatePerson(id, true)).handOver;
  }

  async function deactivate(id: string): Promise<HandOver[]> {
    const answer = await peopleApi.deactivatePerson(id, false);
    replace(answer.person);
    return answer.handOver;
  }

  /** Returns the one-time password for the dialog to show once; only the username stays (on the person). */
  async function createAccount(id: string, username: string): Promise<{ username: string; initialPassword: string }> {
    const answer = await peopleApi.createAccount(id, username);
    const person = items.value.find((p) => p.id === id);
    if (person) replace({ ...person, username: answer.username });
    return { username: answer.username, initialPassword: answer.initialPassword };
  }

  async function loadHistory(id: string) {
    history.value = [];
    historyNextCursor.value = null;
    const answer = await peopleApi.personHistory(id);
    history.value = answer.items;
    historyNextCursor.value = answer.nextCursor;
  }

  async function moreHistory(id: string) {
    if (historyNextCursor.value === null) return;
    const answer = await peopleApi.personHistory(id, historyNextCursor.value);
    history.value = [...history.value, ...answer.items];
    historyNextCursor.value = answer.nextCursor;
  }

  return {
    ...listing,
    history,
    historyNextCursor,
    create,
    update,
    planDeactivation,
    deactivate,
    createAccount,
    loadHistory,
    moreHistory,
  };
});
