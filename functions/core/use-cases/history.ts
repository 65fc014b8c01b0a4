/** Reading the audit trail: who changed a node, person, department or category, when, from what to what. */
import { assertCanManageNode, assertCountyAdmin, holdsNode, isOperator } from '../admin-access.ts';
import { type AuditEntry, parseAuditSubject, type Versioned } from '../audit.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import type { Actor } from '../people.ts';
import { historyOf } from './audited.ts';
import type { Deps } from './deps.ts';

/** A subject's history for an admin who manages it, newest first. */
export async function readHistory(
  deps: Pick<Deps, 'directory' | 'audit'>,
  actor: Actor,
  subjectText: string,
  page: { cursor?: string; limit: number },
): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
  const subject = parseAuditSubject(subjectText);
  if (!subject) {
    throw new ValidationError('HISTORY.BAD_SUBJECT', 'subject is node:<code>, person:<id>, department:<code> or category:<code>');
  }
  let current: Versioned | null;
  switch (subject.kind) {
    case 'node': {
      const node = await deps.directory.getNode(subject.id);
      if (!node) throw new NotFoundError('NODE.NOT_FOUND', `node ${subject.id} does not exist`);
      assertCanManageNode(actor, node);
      current = node;
      break;
    }
    case 'person': {
      const person = await deps.directory.getPerson(subject.id);
      if (!person) throw new NotFoundError('PERSON.NOT_FOUND', `person ${subject.id} does not exist`);
      const scopeNode = person.role === 'department_officer' ? null : await deps.directory.getNode(person.scope);
      const mayRead = isOperator(actor) || (scopeNode ? holdsNode(actor, scopeNode) : actor.role === 'county_admin');
      if (!mayRead) throw new ForbiddenError('PEOPLE.OUT_OF_SCOPE', `person ${subject.id} is outside your scope`);
      current = person;
      break;
    }
    case 'department':
      assertCountyAdmin(actor, 'departments');
      current = await deps.directory.getDepartment(subject.id);
      break;
    case 'category':
      assertCountyAdmin(actor, 'categories');
      current = await deps.directory.getCategory(subject.id);
      break;
  }
  return historyOf(deps, `${subject.kind}:${subject.id}`, current, page);
}
