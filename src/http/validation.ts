// Turns a zod schema's verdict on a form or JSON body into per-field messages.
import { z } from 'zod';
import type { FieldErrors } from '../lib/errors';

export type Parsed<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown): Parsed<z.output<Schema>> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '_';
    errors[field] ??= issue.message;
  }
  return { ok: false, errors };
}

/** A text form field: trimmed; only the message names the field, so it reads well on the page. */
export const formText = (label: string, max = 200) =>
  z
    .unknown()
    .optional()
    .transform((value) => (typeof value === 'string' ? value.trim() : ''))
    .pipe(z.string().min(1, `Enter your ${label}.`).max(max, `${label[0]!.toUpperCase()}${label.slice(1)} is too long.`));

/** A secret form field (password and the like): never trimmed, a space is a character like any other. */
export const formSecret = (label: string, max = 1024) =>
  z
    .unknown()
    .optional()
    .transform((value) => (typeof value === 'string' ? value : ''))
    .pipe(z.string().min(1, `Enter your ${label}.`).max(max, `${label[0]!.toUpperCase()}${label.slice(1)} is too long.`));

/**
 * An optional phone field, taken as people write it: digits, spaces and + ( ) - . with 8 to 15
 * digits (an E.164 number's length), so a text can reach it; '' when left empty. `emptyHint` ends
 * the message ("leave it empty to remove it").
 */
export const formPhone = (emptyHint = 'leave it empty') =>
  z
    .unknown()
    .optional()
    .transform((value) => (typeof value === 'string' ? value.trim() : ''))
    .pipe(z.string().max(40, 'Use at most 40 characters.').regex(/^[0-9 +().-]*$/, 'Use digits, spaces and + ( ) - only.'))
    .refine((phone) => phone === '' || /^\d{8,15}$/.test(phone.replace(/\D/g, '')), `Enter the whole phone number (8 to 15 digits), or ${emptyHint}.`);

/** Every string a form sent under `name`: once, repeated (checkboxes, multiple selects) or not at all. */
export function formList(body: unknown, name: string): string[] {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return ([] as unknown[]).concat(value ?? []).filter((item): item is string => typeof item === 'string').slice(0, 2000);
}
