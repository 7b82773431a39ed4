import { describe, expect, it } from 'vitest';
import { Choice, Day, Email, type FieldsOf, Fields, localizedFields, Optional, readForm, Secret, Text } from './forms.ts';

/** A form with a field of every kind, each required and each optional. */
const FORM = Fields({
  name: Text(10),
  note: Optional(Text(10)),
  any: Optional(Text()),
  email: Email(20),
  otherEmail: Optional(Email()),
  level: Choice(['low', 'high']),
  otherLevel: Optional(Choice(['low', 'high'])),
  on: Day(),
  until: Optional(Day()),
  password: Secret(12),
  ...localizedFields('title', 5),
});

/** A body that passes: every required field filled in rightly. */
const GOOD = { name: 'Chan', email: 'chan@example.hk', level: 'high', on: '2026-03-01', password: 'secret' };

describe('reading a form', () => {
  it('takes a body that is right, without errors, every field of the form given ("" when left blank)', () => {
    const { values, errors } = readForm(GOOD, FORM);
    expect(errors).toEqual({});
    expect(values).toEqual({
      name: 'Chan',
      note: '',
      any: '',
      email: 'chan@example.hk',
      otherEmail: '',
      level: 'high',
      otherLevel: '',
      on: '2026-03-01',
      until: '',
      password: 'secret',
      titleHant: '',
      titleHans: '',
      titleEn: '',
    });
  });

  it('says a required field left blank is required, however it is blank, and leaves an optional one be', () => {
    for (const blank of [undefined, '', '   ', [], ['']]) {
      const { values, errors } = readForm({ ...GOOD, name: blank, level: blank, on: blank, email: blank, note: blank, until: blank, otherLevel: blank, otherEmail: blank }, FORM);
      expect(errors, String(blank)).toEqual({ name: 'required', level: 'required', on: 'required', email: 'required' });
      expect(values.note).toBe('');
      expect(values.until).toBe('');
    }
    expect(readForm({}, FORM).errors).toEqual({ name: 'required', email: 'required', level: 'required', on: 'required', password: 'required' });
    expect(readForm(undefined, FORM).errors.name).toBe('required');
  });

  it('says text longer than its field takes is too long, counting after trimming', () => {
    expect(readForm({ ...GOOD, name: 'x'.repeat(11), note: 'y'.repeat(11), password: 'z'.repeat(13) }, FORM).errors).toEqual({ name: 'too_long', note: 'too_long', password: 'too_long' });
    expect(readForm({ ...GOOD, name: `  ${'x'.repeat(10)}  ` }, FORM).errors).toEqual({});
    expect(readForm({ ...GOOD, any: 'x'.repeat(100_000) }, FORM).errors).toEqual({});
    expect(readForm({ ...GOOD, email: `${'a'.repeat(10)}@example.hk` }, FORM).errors).toEqual({ email: 'too_long' });
  });

  it('says an address that is not one is an invalid email', () => {
    for (const email of ['chan', 'chan@', '@example.hk', 'chan@example', 'chan tai@example.hk']) {
      expect(readForm({ ...GOOD, email, otherEmail: email }, FORM).errors, email).toEqual({ email: 'invalid_email', otherEmail: 'invalid_email' });
    }
  });

  it('says a value not among the choices is an invalid choice', () => {
    expect(readForm({ ...GOOD, level: 'medium', otherLevel: 'HIGH' }, FORM).errors).toEqual({ level: 'invalid_choice', otherLevel: 'invalid_choice' });
    expect(readForm({ ...GOOD, level: ' low ', otherLevel: 'high' }, FORM)).toMatchObject({ errors: {}, values: { level: 'low', otherLevel: 'high' } });
  });

  it('says a date that is not a real one in YYYY-MM-DD is an invalid date', () => {
    for (const date of ['tomorrow', '2026-02-29', '2027-13-01', '2026-3-1', '01/03/2026', '1899-12-31']) {
      expect(readForm({ ...GOOD, on: date, until: date }, FORM).errors, date).toEqual({ on: 'invalid_date', until: 'invalid_date' });
    }
    expect(readForm({ ...GOOD, on: '2028-02-29', until: '2199-12-31' }, FORM).errors).toEqual({});
  });

  it('keeps a secret as typed, spaces and all, and trims text', () => {
    const { values, errors } = readForm({ ...GOOD, name: '  Chan Tai ', password: '  pass word ', email: ' chan@example.hk\n' }, FORM);
    expect(errors).toEqual({});
    expect(values.name).toBe('Chan Tai');
    expect(values.password).toBe('  pass word ');
    expect(values.email).toBe('chan@example.hk');
  });

  it('takes the first value of a field sent more than once', () => {
    const { values, errors } = readForm({ ...GOOD, name: ['Chan', 'Wong'], level: ['low', 'medium'], note: [] }, FORM);
    expect(errors).toEqual({});
    expect(values.name).toBe('Chan');
    expect(values.level).toBe('low');
    expect(values.note).toBe('');
  });

  it('says a field holding a character no field may carry has invalid characters, and gives its value without them', () => {
    const { values, errors } = readForm({ ...GOOD, name: 'Ch\u0000an', note: 'a\u0007b', password: 'pa\u001bss ', level: 'hi\u0000gh' }, FORM);
    expect(errors).toEqual({ name: 'invalid_characters', note: 'invalid_characters', password: 'invalid_characters', level: 'invalid_characters' });
    expect(values).toMatchObject({ name: 'Chan', note: 'ab', password: 'pass ', level: 'high' });
    // Only the characters: a tab and a line break are text.
    expect(readForm({ ...GOOD, note: 'a\tb\r\nc' }, FORM)).toMatchObject({ errors: {}, values: { note: 'a\tb\r\nc' } });
  });

  it('makes a text in three languages three optional fields', () => {
    const fields = localizedFields('title', 5);
    expect(Object.keys(fields)).toEqual(['titleHant', 'titleHans', 'titleEn']);
    const form = Fields({ ...fields });
    expect(form.required ?? []).toEqual([]);
    expect(readForm({}, form)).toEqual({ values: { titleHant: '', titleHans: '', titleEn: '' }, errors: {} });
    expect(readForm({ titleHant: '標題', titleHans: '标题', titleEn: 'Longer' }, form)).toEqual({
      values: { titleHant: '標題', titleHans: '标题', titleEn: 'Longer' },
      errors: { titleEn: 'too_long' },
    });
  });

  it('names the fields of a form by their names', () => {
    const names: FieldsOf<typeof FORM>[] = ['name', 'note', 'titleEn'];
    expect(names.every((name) => name in FORM.properties)).toBe(true);
  });
});
