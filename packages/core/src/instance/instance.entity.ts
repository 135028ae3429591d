import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/** The single row that names this PMOS installation. */
export const Instance = defineEntity({
  name: 'Instance',
  tableName: 'instance',
  properties: {
    id: p.uuid().primary(),
    name: p.string().default('PMOS'),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export type InstanceRecord = InferEntity<typeof Instance>;
