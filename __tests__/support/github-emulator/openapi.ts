/** Request and response validation against the extracted OpenAPI fixture (ajv). */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { locateFromRoot } from './locate.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const FIXTURE_FROM_ROOT = join('__tests__', 'support', 'github-emulator', 'openapi-fixture.json');

/** OpenAPI 3.0 `nullable: true` → JSON Schema (type arrays / anyOf with null). */
function translate(node: Json): Json {
  if (Array.isArray(node)) return node.map(translate);
  if (!node || typeof node !== 'object') return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'nullable' || key === 'example' || key === 'examples') continue;
    // Property maps hold names, not keywords: translate each value but keep the keys.
    if (key === 'properties' && value && typeof value === 'object' && !Array.isArray(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, translate(schema)]));
    } else {
      out[key] = translate(value);
    }
  }
  if (node.nullable === true) {
    if (typeof out.type === 'string' && !('$ref' in out)) {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
      return out;
    }
    return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

interface Operation {
  parameters?: Json[];
  requestBody?: { content?: Record<string, { schema?: Json }> };
  responses: Record<string, Json>;
}

export interface ParameterSpec {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
}

export interface OperationValidator {
  parameters: ParameterSpec[];
  /** Validates (and coerces, in place) path + query parameters; returns a GitHub-style message or null. */
  checkParams(params: Record<string, unknown>): string | null;
  /** Validates the JSON body; returns a GitHub-style message or null. */
  checkBody(body: unknown): string | null;
  /** Validates a response body; returns a description of the mismatch or null. Undocumented status → message. */
  checkResponse(status: number, body: unknown): string | null;
}

class Spec {
  readonly doc: JsonObject;
  private readonly strictAjv: Ajv;
  private readonly coercingAjv: Ajv;
  private readonly validators = new Map<string, OperationValidator>();

  constructor() {
    this.doc = translate(
      JSON.parse(readFileSync(locateFromRoot(FIXTURE_FROM_ROOT), 'utf8')) as Json,
    ) as JsonObject;
    const addFormats =
      (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
    const make = (coerceTypes: boolean) => {
      const ajv = new Ajv({
        strict: false,
        allErrors: true,
        coerceTypes,
        useDefaults: false,
        logger: false,
        validateSchema: false,
        verbose: true,
      });
      (addFormats as unknown as (a: Ajv) => void)(ajv);
      // GitHub sends "" for unset URL fields typed `format: uri` (e.g. deployment status log_url).
      const uri = ajv.formats.uri as
        { validate?: (s: string) => boolean } | ((s: string) => boolean) | undefined;
      const checkUri = typeof uri === 'function' ? uri : uri?.validate;
      if (checkUri) ajv.addFormat('uri', (s: string) => s === '' || checkUri(s));
      ajv.addFormat('int64', {
        type: 'number',
        validate: (n: number) => Number.isInteger(n),
      });
      ajv.addFormat('repo.nwo', /^[^/]+\/[^/]+$/);
      ajv.addSchema(this.doc as object, 'openapi');
      return ajv;
    };
    this.strictAjv = make(false);
    this.coercingAjv = make(true);
  }

  private resolve(node: Json): JsonObject {
    let current = node as JsonObject;
    while (current && typeof current.$ref === 'string') {
      const parts = current.$ref.replace(/^#\//, '').split('/');
      current = parts.reduce<Json>((at, part) => (at as JsonObject)[part] as Json, this.doc) as JsonObject;
    }
    return current;
  }

  /** A schema fragment of the fixture, referenced so that its internal `#/…` refs resolve. */
  private pointer(path: string[]): object {
    return {
      $ref: `openapi#/${path.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`,
    };
  }

  validator(method: string, path: string): OperationValidator {
    const key = `${method} ${path}`;
    const cached = this.validators.get(key);
    if (cached) return cached;
    const pathItem = (this.doc.paths as JsonObject)[path] as JsonObject | undefined;
    const operation = pathItem?.[method.toLowerCase()] as Operation | undefined;
    if (!pathItem || !operation) throw new Error(`github-emulator: ${key} is not in the OpenAPI fixture`);

    const parameters: ParameterSpec[] = [];
    const properties: Record<string, object> = {};
    const required: string[] = [];
    const rawParams = [...((pathItem.parameters as Json[]) ?? []), ...(operation.parameters ?? [])];
    rawParams.forEach((raw, index) => {
      const param = this.resolve(raw);
      const name = param.name as string;
      const location = param.in as ParameterSpec['in'];
      if (location !== 'path' && location !== 'query') return;
      const isRequired = param.required === true || location === 'path';
      parameters.push({ name, in: location, required: isRequired });
      const fromPathItem = index < ((pathItem.parameters as Json[]) ?? []).length;
      const rawIsRef = typeof (raw as JsonObject).$ref === 'string';
      const schemaPath = rawIsRef
        ? [...((raw as JsonObject).$ref as string).replace(/^#\//, '').split('/'), 'schema']
        : fromPathItem
          ? ['paths', path, 'parameters', String(index), 'schema']
          : [
              'paths',
              path,
              method.toLowerCase(),
              'parameters',
              String(index - ((pathItem.parameters as Json[]) ?? []).length),
              'schema',
            ];
      properties[name] = this.pointer(schemaPath);
      if (isRequired) required.push(name);
    });
    const paramsValidate = this.coercingAjv.compile({
      type: 'object',
      properties,
      required,
    });

    const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
    const bodyValidate = bodySchema
      ? this.strictAjv.compile(
          this.pointer([
            'paths',
            path,
            method.toLowerCase(),
            'requestBody',
            'content',
            'application/json',
            'schema',
          ]),
        )
      : null;

    const responseValidators = new Map<string, ValidateFunction | null>();
    const responseValidator = (status: string): ValidateFunction | null | undefined => {
      if (responseValidators.has(status)) return responseValidators.get(status);
      const raw = operation.responses[status];
      if (raw === undefined) return undefined;
      let schemaPath: string[];
      const ref = (raw as JsonObject).$ref;
      if (typeof ref === 'string') schemaPath = ref.replace(/^#\//, '').split('/');
      else schemaPath = ['paths', path, method.toLowerCase(), 'responses', status];
      const response = this.resolve(raw);
      const hasSchema = (response.content as JsonObject | undefined)?.['application/json'] as
        JsonObject | undefined;
      const validate = hasSchema?.schema
        ? this.strictAjv.compile(this.pointer([...schemaPath, 'content', 'application/json', 'schema']))
        : null;
      responseValidators.set(status, validate);
      return validate;
    };

    const validator: OperationValidator = {
      parameters,
      checkParams: (params) =>
        paramsValidate(params) ? null : describe(paramsValidate.errors ?? [], 'params'),
      checkBody: (body) => {
        if (!bodyValidate) return null;
        return bodyValidate(body) ? null : describe(bodyValidate.errors ?? [], 'body');
      },
      checkResponse: (status, body) => {
        const validate = responseValidator(String(status));
        if (validate === undefined) {
          return status < 300 ? `status ${status} is not documented for ${key}` : null;
        }
        if (validate === null) return null;
        return validate(body)
          ? null
          : (validate.errors ?? [])
              .slice(0, 5)
              .map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword} (${e.schemaPath})`)
              .join('; ');
      },
    };
    this.validators.set(key, validator);
    return validator;
  }
}

/** GitHub's wording for request validation failures ("Invalid request.\n\n…"). */
function describe(errors: ErrorObject[], what: 'params' | 'body'): string {
  const lines = new Set<string>();
  for (const error of errors) {
    const field = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
    const where = field ? `For '${what === 'body' ? 'properties/' : ''}${field.replace(/\./g, '/')}', ` : '';
    const value = JSON.stringify(field ? lookup(error, field) : undefined);
    switch (error.keyword) {
      case 'required':
        lines.add(`"${(error.params as { missingProperty: string }).missingProperty}" wasn't supplied.`);
        break;
      case 'type':
        lines.add(`${where}${value} is not ${article((error.params as { type: string }).type)}.`);
        break;
      case 'enum':
        lines.add(
          `${where}${value} is not a member of ${JSON.stringify((error.params as { allowedValues: unknown[] }).allowedValues)}.`,
        );
        break;
      case 'oneOf':
      case 'anyOf':
        lines.add(`${where}No subschema in "${error.keyword}" matched.`);
        break;
      default:
        lines.add(`${where}${error.message ?? 'is invalid'}.`);
    }
  }
  return `Invalid request.\n\n${[...lines].join('\n')}`;
}

function lookup(error: ErrorObject, _field: string): unknown {
  return (error as ErrorObject & { data?: unknown }).data;
}

function article(type: string): string {
  const name = type.split(',')[0] ?? type;
  return /^[aeiou]/.test(name) ? `an ${name}` : `a ${name}`;
}

let spec: Spec | undefined;
/** The parsed fixture and compiled validators, cached per process. */
export function openapi(): Spec {
  spec ??= new Spec();
  return spec;
}

export function fixtureDir(): string {
  return resolve(dirname(locateFromRoot(FIXTURE_FROM_ROOT)));
}
