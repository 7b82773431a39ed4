/**
 * Reading submitted forms. Forms are never rejected wholesale: every field is checked, and the page is
 * shown again with what the person typed and a message beside each field to fix.
 */
export type FieldError = 'required' | 'too_long' | 'invalid_email' | 'invalid_choice' | (string & {});

export interface FieldRule {
  required?: boolean;
  maxLength?: number;
  email?: boolean;
  oneOf?: readonly string[];
  /** Passwords and codes keep their spaces; everything else is trimmed. */
  raw?: boolean;
}

export interface FormResult<F extends string> {
  values: Record<F, string>;
  errors: Partial<Record<F, FieldError>>;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function readForm<F extends string>(body: unknown, rules: Record<F, FieldRule>): FormResult<F> {
  const input = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const values = {} as Record<F, string>;
  const errors: Partial<Record<F, FieldError>> = {};
  for (const [name, rule] of Object.entries(rules) as [F, FieldRule][]) {
    const given = input[name];
    const text = typeof given === 'string' ? given : Array.isArray(given) && typeof given[0] === 'string' ? given[0] : '';
    const value = rule.raw ? text : text.trim();
    values[name] = value;
    if (!value) {
      if (rule.required) errors[name] = 'required';
    } else if (rule.maxLength !== undefined && value.length > rule.maxLength) errors[name] = 'too_long';
    else if (rule.email && (!EMAIL.test(value) || value.length > 254)) errors[name] = 'invalid_email';
    else if (rule.oneOf && !rule.oneOf.includes(value)) errors[name] = 'invalid_choice';
  }
  return { values, errors };
}

export function hasErrors(errors: Partial<Record<string, FieldError>>): boolean {
  return Object.values(errors).some(Boolean);
}
