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
