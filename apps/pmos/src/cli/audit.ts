import { verifyAuditChains } from '@pmos/core';
import { withCliDatabase } from './database.js';

/** `pmos audit verify`: exit 0 when every chain holds, 1 naming the first broken link. */
export function runAuditVerify(): Promise<void> {
  return withCliDatabase(async ({ orm }) => {
    const chains = await verifyAuditChains(orm.em.fork());
    let broken = 0;
    for (const { chain, events, firstBroken } of chains) {
      const name = chain === 'instance' ? 'instance' : `workspace ${chain}`;
      if (firstBroken) {
        broken++;
        process.stdout.write(
          `BROKEN ${name}: event #${firstBroken.seq} (id ${firstBroken.id}) ${firstBroken.reason}\n`,
        );
      } else {
        process.stdout.write(`ok     ${name}: ${events} events\n`);
      }
    }
    const events = chains.reduce((sum, chain) => sum + chain.events, 0);
    process.stdout.write(
      broken
        ? `${broken} of ${chains.length} chains are broken.\n`
        : `All ${chains.length} chains intact (${events} events).\n`,
    );
    if (broken) process.exitCode = 1;
  });
}
