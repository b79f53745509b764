// The choices on the card request forms: each value with the label a person reads. The form, the
// validation and the review step all take them from here, so the review says what the form said.

/** [value, label] pairs in the order the form offers them. */
export type Options = ReadonlyArray<readonly [string, string]>;

export const CANCEL_REASONS = [
  ['no_longer_needed', 'No longer needed'], ['employee_left', 'Employee left the company'], ['other', 'Other'],
] as const;
export const SUSPEND_REASONS = [['temporary_leave', 'Cardmember on leave'], ['under_review', 'Spending under review'], ['other', 'Other']] as const;
export const REPLACE_REASONS = [['lost', 'Lost'], ['stolen', 'Stolen']] as const;
export const DELIVERY_SPEEDS = [['standard', 'Standard (3 business days)'], ['rush', 'Rush (1 business day)']] as const;
export const LIMIT_KINDS = [['permanent', 'Permanent'], ['temporary', 'Temporary, until an end date']] as const;
export const DISPUTE_REASONS = [
  ['not_recognised', 'I do not recognise this charge'], ['duplicate', 'Charged twice'],
  ['not_received', 'Goods or services not received'], ['wrong_amount', 'Wrong amount'],
] as const;

/** The values of a list of options, for z.enum. */
export function optionValues<T extends readonly (readonly [string, string])[]>(options: T): [T[number][0], ...T[number][0][]] {
  return options.map(([value]) => value) as [T[number][0], ...T[number][0][]];
}

/** The label of `value`, or the value itself should an option ever be missing one. */
export function optionLabel(options: Options, value: string): string {
  return options.find(([candidate]) => candidate === value)?.[1] ?? value;
}
