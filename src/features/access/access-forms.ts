// The Access Center's forms: enrolling an administrator, their rights, their scope. A right or a
// control account comes as one value or several of the same name, as checkboxes and multiple
// selects send them.
import { z } from 'zod';
import { formList, formPhone, formText } from '../../http/validation';
import { isPermission, type Permission } from '../permissions/permissions';

const rights = z.array(z.string()).refine((list) => list.every(isPermission), 'Choose rights from the list.')
  .transform((list) => [...new Set(list)].sort() as Permission[]);

const scopeFields = {
  scopeKind: z.unknown().transform((v) => (typeof v === 'string' ? v : '')).pipe(z.enum(['company', 'accounts'], { error: 'Choose the whole company or control accounts.' })),
  scope: z.array(z.string().trim().max(40)).transform((numbers) => numbers.filter((number) => number !== '')),
};

/** "Control accounts" needs at least one. */
function oneAccountAtLeast(choice: { scopeKind: string; scope: string[] }, issues: z.RefinementCtx): void {
  if (choice.scopeKind === 'accounts' && choice.scope.length === 0) {
    issues.addIssue({ code: 'custom', path: ['scope'], message: 'Choose at least one control account.' });
  }
}

/** The scope chosen: null for the whole company, otherwise the control-account numbers. */
export const chosenScope = (choice: { scopeKind: 'company' | 'accounts'; scope: string[] }): string[] | null =>
  (choice.scopeKind === 'company' ? null : choice.scope);

export const scopeForm = z.object(scopeFields).superRefine(oneAccountAtLeast);

export const rightsForm = z.object({ permissions: rights });

/** The phone as E.164 ("+" and its digits), or null when left empty. */
const optionalPhone = formPhone().transform((phone) => (phone === '' ? null : `+${phone.replace(/\D/g, '')}`));

export const enrollmentForm = z.object({
  firstName: formText('first name', 60),
  lastName: formText('last name', 60),
  email: formText('e-mail address', 320).pipe(z.email('Enter a valid e-mail address.')),
  phone: optionalPhone,
  permissions: rights.refine((list) => list.length > 0, 'Choose at least one right.'),
  ...scopeFields,
  verificationPin: formText('Verification PIN', 4).pipe(z.string().regex(/^\d{4}$/, 'Use exactly 4 digits.')),
  verificationWord: formText('Verification Word', 30).pipe(z.string().regex(/^[A-Za-z]{3,30}$/, 'Use one word of 3 to 30 letters.')),
}).superRefine(oneAccountAtLeast);

/** The form's body with its lists as arrays, ready for the schemas above. */
export function formInput(body: unknown): Record<string, unknown> {
  return { ...(body ?? {}) as Record<string, unknown>, permissions: formList(body, 'permissions'), scope: formList(body, 'scope') };
}

/** What the enrollment form showed, to show it again with its errors: never more than a field's length. */
export function sentValues(body: unknown): Record<string, string> {
  const sent = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(['firstName', 'lastName', 'email', 'phone', 'scopeKind', 'verificationPin', 'verificationWord']
    .map((field) => [field, typeof sent[field] === 'string' ? (sent[field] as string).slice(0, 320) : '']));
}
