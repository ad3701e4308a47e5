/** `GET /v1/openapi.json`: the OpenAPI 3.1 description, generated from the routes' zod schemas. */
import { z } from 'zod';
import type { Route } from './router';

function toOpenApiPath(pattern: string): string {
  return pattern.replace(/:(\w+)/g, '{$1}');
}

const problemSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
    },
  },
};

/**
 * A route schema as JSON Schema 2020-12 (what OpenAPI 3.1 uses). Named schemas (`.meta({id})`)
 * go to `components.schemas` and are referenced from there.
 */
function jsonSchema(schema: z.ZodType, components: Record<string, unknown>): Record<string, unknown> {
  const generated = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const { $schema: _dialect, $defs, ...rest } = generated;
  const rewrite = (value: unknown): unknown =>
    JSON.parse(JSON.stringify(value).replace(/"#\/\$defs\//g, '"#/components/schemas/')) as unknown;
  for (const [name, definition] of Object.entries(($defs ?? {}) as Record<string, unknown>)) components[name] = rewrite(definition);
  return rewrite(rest) as Record<string, unknown>;
}

/** Builds the document for these routes. */
export function openApiDocument(routes: readonly Route[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas: Record<string, unknown> = { Problem: problemSchema };
  for (const route of routes) {
    const path = toOpenApiPath(route.pattern);
    const parameters = [...route.pattern.matchAll(/:(\w+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    if (route.query !== undefined) {
      const schema = jsonSchema(route.query, schemas) as { properties?: Record<string, unknown> };
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        parameters.push({ name, in: 'query', required: false, schema: property as { type: string } });
      }
    }
    const errorStatuses = route.auth ? ['400', '401', '403', '404', '409', '413', '422'] : ['400'];
    paths[path] = {
      ...paths[path],
      [route.method.toLowerCase()]: {
        summary: route.summary,
        description: `Who: ${route.who}.`,
        ...(route.auth ? { security: [{ firebaseIdToken: [] }] } : {}),
        ...(parameters.length > 0 ? { parameters } : {}),
        ...(route.body === undefined
          ? {}
          : {
              requestBody: {
                required: true,
                content: { 'application/json': { schema: jsonSchema(route.body, schemas) } },
              },
            }),
        responses: {
          [String(route.successStatus)]: { description: 'Success', content: { 'application/json': {} } },
          ...Object.fromEntries(
            Object.entries(route.alsoAnswers ?? {}).map(([status, description]) => [status, { description, content: { 'application/json': {} } }]),
          ),
          ...Object.fromEntries(
            errorStatuses.map((status) => [
              status,
              { description: 'Problem', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
            ]),
          ),
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'tuki API', version, description: 'Customer-support backend: tickets, tiers, SLA clocks, redaction.' },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: { firebaseIdToken: { type: 'http', scheme: 'bearer', bearerFormat: 'Firebase ID token (JWT)' } },
      schemas,
    },
  };
}
