import { defineTrigger, prop } from '@pmos/sdk/server';

export const manual = defineTrigger({
  id: 'manual',
  displayName: 'Run by hand',
  description:
    'Starts the flow when someone runs it from PMOS (or the chat asks to). The sample payload ' +
    'is what the flow receives when no other payload is given.',
  strategy: 'manual',
  props: {
    samplePayload: prop.json({
      displayName: 'Sample payload',
      description: 'A JSON value the flow starts with, e.g. {"customer": "ada@example.com"}.',
    }),
  },
  sampleOutput: { customer: 'ada@example.com' },
  async run(ctx): Promise<unknown[]> {
    return [ctx.payload ?? ctx.props.samplePayload ?? {}];
  },
});
