// Wire types read from the generated OpenAPI types (openapi.d.ts, `npm run api:types`): what the API's Zod schemas
// declare, so a field renamed or added on the server shows up here at type-check time, not in a screen.
import type { components, paths } from './openapi';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
type Json<R> = R extends { content: { 'application/json': infer B } } ? B : undefined;
type Success<Responses> = {
  [S in keyof Responses]: S extends 200 | 201 | 202 | 204 ? Json<Responses[S]> : never;
}[keyof Responses];

/** A named schema of the document's components (`Problem`). */
export type Schema<N extends keyof components['schemas']> = components['schemas'][N];

/** The JSON body of an operation's success answer (200, 201, 202 or 204: undefined). */
export type Reply<P extends keyof paths, M extends Method = 'get'> = Success<Operation<P, M>['responses']>;

/** The JSON request body an operation accepts. */
export type Body<P extends keyof paths, M extends Method = 'post'> =
  Operation<P, M> extends {
    requestBody?: { content: { 'application/json': infer B } };
  }
    ? B
    : never;

/** An operation's query-string parameters. */
export type Query<P extends keyof paths, M extends Method = 'get'> = NonNullable<
  Operation<P, M>['parameters']['query']
>;

/** The element type of an array type. */
export type Item<A> = A extends readonly (infer T)[] ? T : never;
