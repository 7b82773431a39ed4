import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { LOCALES, type Locale, type LocalizedText } from '../../platform/i18n/locales.ts';
import { canonical } from '../../platform/canonical.ts';
import { type AgreementDocument, AgreementFileSchema, type AgreementTextFile, AgreementTextFileSchema } from './schemas.ts';

export const AGREEMENTS_DIR = fileURLToPath(new URL('../../../data/agreements/', import.meta.url));

export interface AreaContent {
  number: number;
  label: LocalizedText;
  heading: LocalizedText;
  title: LocalizedText;
  commitments: { number: number; text: LocalizedText }[];
}

/** An agreement's whole content, in the shape it is stored in: every language side by side. */
export interface AgreementContent {
  id: string;
  title: LocalizedText;
  signedOn: string;
  signedPlace: LocalizedText;
  effectiveFrom: string;
  expiresOn: string;
  renewable: boolean;
  officialLocales: Locale[];
  custodians: { key: string; name: LocalizedText }[];
  texts: Partial<Record<Locale, { authority: 'official' | 'unofficial-translation'; document: AgreementDocument }>>;
  areas: AreaContent[];
}

class AgreementSourceError extends Error {}

function readJson<S extends TSchema>(file: string, schema: S): unknown {
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AgreementSourceError(`${file}: ${(error as Error).message}`);
  }
  const first = Value.Errors(schema, value).First();
  if (first) throw new AgreementSourceError(`${file}: ${first.path || '/'} ${first.message}`);
  return value;
}

/** Reads data/agreements/<id>/ and checks that every language has the same structure. */
export function readAgreementSource(dir: string): AgreementContent {
  const meta = readJson(path.join(dir, 'agreement.json'), AgreementFileSchema) as import('./schemas.ts').AgreementFile;
  const files: Partial<Record<Locale, AgreementTextFile>> = {};
  for (const [locale, entry] of Object.entries(meta.texts)) {
    if (!(LOCALES as readonly string[]).includes(locale)) throw new AgreementSourceError(`${dir}: unknown language ${locale}`);
    const file = readJson(path.join(dir, entry.file), AgreementTextFileSchema) as AgreementTextFile;
    if (file.locale !== locale) throw new AgreementSourceError(`${entry.file}: says locale ${file.locale}, listed as ${locale}`);
    files[locale as Locale] = file;
  }
  const present = LOCALES.filter((l) => files[l]);
  const reference = files[present[0] as Locale];
  if (!reference) throw new AgreementSourceError(`${dir}: no texts`);
  const shape = (f: AgreementTextFile) =>
    JSON.stringify({
      areas: f.areas.map((a) => [a.number, a.commitments.map((c) => c.number)]),
      parties: f.parties.map((p) => p.key),
      clauses: f.closing.clauses.map((c) => [c.key, c.paragraph]),
      signatories: f.signature.parties.map((p) => p.key),
    });
  for (const locale of present) {
    if (shape(files[locale] as AgreementTextFile) !== shape(reference)) {
      throw new AgreementSourceError(`${dir}: the ${locale} text is not structured like the ${present[0]} text`);
    }
  }
  reference.areas.forEach((area, i) => {
    if (area.number !== i + 1) throw new AgreementSourceError(`${dir}: areas must be numbered 1, 2, 3 … (found ${area.number})`);
    area.commitments.forEach((c, j) => {
      if (c.number !== j + 1) throw new AgreementSourceError(`${dir}: area ${area.number} commitments must be numbered 1, 2, 3 …`);
    });
  });
  const localized = (get: (f: AgreementTextFile) => string): LocalizedText => Object.fromEntries(present.map((l) => [l, get(files[l] as AgreementTextFile)]));
  return {
    id: meta.id,
    title: meta.title,
    signedOn: meta.signedOn,
    signedPlace: meta.signedPlace,
    effectiveFrom: meta.effectiveFrom,
    expiresOn: meta.expiresOn,
    renewable: meta.renewable,
    officialLocales: meta.officialLocales,
    custodians: meta.custodians,
    texts: Object.fromEntries(
      present.map((l) => {
        const { locale: _locale, areas: _areas, ...document } = files[l] as AgreementTextFile;
        return [l, { authority: meta.texts[l]?.authority ?? 'official', document }];
      }),
    ),
    areas: reference.areas.map((area, i) => ({
      number: area.number,
      label: localized((f) => f.areas[i]?.label ?? ''),
      heading: localized((f) => f.areas[i]?.heading ?? ''),
      title: localized((f) => f.areas[i]?.title ?? ''),
      commitments: area.commitments.map((c, j) => ({
        number: c.number,
        text: localized((f) => f.areas[i]?.commitments[j]?.text ?? ''),
      })),
    })),
  };
}

/** Every agreement under data/agreements/. */
export function readAllAgreementSources(root = AGREEMENTS_DIR): AgreementContent[] {
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => readAgreementSource(path.join(root, entry.name)));
}

export function contentHash(content: AgreementContent): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(content)))
    .digest('hex');
}

/** Every string of the content by a readable path: 'areas.1.commitments.7.text.en' -> '…'. */
export function flattenContent(content: AgreementContent): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (value: unknown, at: string): void => {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      out.set(at, String(value));
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => {
        const key = item && typeof item === 'object' && 'number' in item ? item.number : item && typeof item === 'object' && 'key' in item ? item.key : i;
        walk(item, `${at}.${String(key)}`);
      });
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, at ? `${at}.${k}` : k);
    }
  };
  walk(canonical(content), '');
  return out;
}

/** The paths whose text differs between two versions of an agreement. */
export function changedPaths(before: AgreementContent, after: AgreementContent): string[] {
  const a = flattenContent(before);
  const b = flattenContent(after);
  const paths = new Set([...a.keys(), ...b.keys()]);
  return [...paths].filter((p) => a.get(p) !== b.get(p)).sort();
}
