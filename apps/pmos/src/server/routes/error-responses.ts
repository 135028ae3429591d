import { errorBodySchema } from '../../api/schemas.js';

/** The error statuses a route documents, all with the one error body: `errorResponses(400, 404)`. */
export function errorResponses<const S extends number>(
  ...statuses: S[]
): Record<S, typeof errorBodySchema> {
  return Object.fromEntries(statuses.map((status) => [status, errorBodySchema])) as Record<
    S,
    typeof errorBodySchema
  >;
}
