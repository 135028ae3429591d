// pnpm bench [name…]: runs the named benchmarks (startup, flows, chat, studio), or all of them.
const all = ['startup', 'flows', 'chat', 'studio'];
const names = process.argv.slice(2).filter((a) => a !== '--');
const unknown = names.filter((n) => !all.includes(n));
if (unknown.length > 0) {
  console.error(
    `pnpm bench: no benchmark named ${unknown.join(', ')} (there are: ${all.join(', ')})`,
  );
  process.exit(1);
}
for (const name of names.length > 0 ? names : all) await import(`./${name}.mjs`);
