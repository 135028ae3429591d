import { defineAction, prop } from '@pmos/sdk/server';

/** The mapping was not a JSON object. */
export class MappingError extends Error {
  readonly code = 'invalid_mapping';
  constructor(message: string) {
    super(message);
    this.name = 'MappingError';
  }
}

export const dataMapper = defineAction({
  id: 'data_mapper',
  displayName: 'Map data',
  description:
    'Builds one object from earlier steps: write the shape you want, with {{step_1.field}} ' +
    'references where values come from; the output is that object, references filled in.',
  risk: 'read',
  props: {
    mapping: prop.json({
      displayName: 'Mapping',
      description:
        'A JSON object, e.g. {"customer": "{{trigger.body.email}}", "total": "{{step_2.body.amount}}"}. ' +
        'Objects and lists can be nested.',
      required: true,
    }),
  },
  sampleOutput: { customer: 'ada@example.com', total: 129.5, items: [{ sku: 'A-1', qty: 2 }] },
  async run(ctx): Promise<Record<string, unknown>> {
    // PMOS resolves the {{…}} references in props before the step runs: the mapping as given
    // is already the answer.
    const mapping = ctx.props.mapping;
    if (mapping === null || typeof mapping !== 'object' || Array.isArray(mapping)) {
      throw new MappingError(
        `The mapping must be a JSON object like {"name": "{{trigger.body.name}}"} (got ${
          Array.isArray(mapping) ? 'a list' : mapping === null ? 'null' : `a ${typeof mapping}`
        }).`,
      );
    }
    return mapping as Record<string, unknown>;
  },
});
