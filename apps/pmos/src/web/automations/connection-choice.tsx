import { FormField, Select } from '@pmos/ui';
import type { Connection } from '../api-types.js';

/** Which Activepieces connection to use: a select when there are several, a line otherwise. */
export function ConnectionChoice({
  connections,
  chosen,
  onChoose,
}: {
  connections: Connection[];
  chosen: string;
  onChoose: (connectionId: string) => void;
}) {
  if (connections.length === 1) {
    return <p className="muted small">Through the connection {connections[0]?.displayName}.</p>;
  }
  return (
    <FormField label="Connection">
      <Select value={chosen} onChange={(event) => onChoose(event.target.value)}>
        {connections.map((c) => (
          <option key={c.id} value={c.id}>
            {c.displayName}
          </option>
        ))}
      </Select>
    </FormField>
  );
}
