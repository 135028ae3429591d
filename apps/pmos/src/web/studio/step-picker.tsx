import { Dialog, Input } from '@pmos/ui';
import { type KeyboardEvent, useId, useMemo, useState } from 'react';
import type { Catalog, CatalogAction, CatalogConnector, CatalogTrigger } from '../api-types.js';
import { StepIcon } from './step-icon.js';

export type StepChoice =
  | { kind: 'action'; connector: CatalogConnector; action: CatalogAction }
  | { kind: 'trigger'; connector: CatalogConnector; trigger: CatalogTrigger }
  | { kind: 'builtin'; type: 'LOOP_ON_ITEMS' | 'ROUTER' | 'CODE' };

interface Option {
  id: string;
  group: string;
  groupId: string;
  pluginId?: string;
  title: string;
  description: string;
  choice: StepChoice;
}

const builtIns: Option[] = [
  {
    id: 'builtin-loop',
    group: 'Flow logic',
    groupId: 'logic',
    title: 'Loop on items',
    description: 'Repeat steps for each item of a list.',
    choice: { kind: 'builtin', type: 'LOOP_ON_ITEMS' },
  },
  {
    id: 'builtin-router',
    group: 'Flow logic',
    groupId: 'logic',
    title: 'Router',
    description: 'Take a different branch depending on conditions.',
    choice: { kind: 'builtin', type: 'ROUTER' },
  },
  {
    id: 'builtin-code',
    group: 'Flow logic',
    groupId: 'logic',
    title: 'Code',
    description: 'Run a few lines of JavaScript on the data so far.',
    choice: { kind: 'builtin', type: 'CODE' },
  },
];

function optionsOf(catalog: Catalog, mode: 'action' | 'trigger'): Option[] {
  const fromPlugins = catalog.connectors.flatMap((connector): Option[] => {
    const group = connector.displayName;
    const groupId = `${connector.pluginId}-${connector.id}`;
    return mode === 'action'
      ? connector.actions.map((action) => ({
          id: `${groupId}-a-${action.id}`,
          group,
          groupId,
          pluginId: connector.pluginId,
          title: action.displayName,
          description: action.description,
          choice: { kind: 'action', connector, action },
        }))
      : connector.triggers.map((trigger) => ({
          id: `${groupId}-t-${trigger.id}`,
          group,
          groupId,
          pluginId: connector.pluginId,
          title: trigger.displayName,
          description: trigger.description,
          choice: { kind: 'trigger', connector, trigger },
        }));
  });
  return mode === 'action' ? [...builtIns, ...fromPlugins] : fromPlugins;
}

/** Every word of the query appears in the option's plugin, name or description. */
function matches(option: Option, query: string): boolean {
  const text = `${option.group} ${option.title} ${option.description}`.toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => text.includes(word));
}

/**
 * Chooses the action (or trigger) of a new step: one search over the enabled plugins'
 * actions and triggers, grouped by plugin, with descriptions. Arrow keys move, Enter picks.
 */
export function StepPicker({
  open,
  catalog,
  mode,
  onPick,
  onClose,
}: {
  open: boolean;
  catalog: Catalog;
  mode: 'action' | 'trigger';
  onPick: (choice: StepChoice) => void;
  onClose: () => void;
}) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      className="studio-picker-dialog"
      title={mode === 'trigger' ? 'Choose a trigger' : 'Add a step'}
      description={
        mode === 'trigger'
          ? 'What starts this flow: an event in a connected app, a webhook, a schedule or a person.'
          : 'Search the actions of the plugins enabled in this workspace.'
      }
    >
      <PickerList catalog={catalog} mode={mode} onPick={onPick} />
    </Dialog>
  );
}

export function PickerList({
  catalog,
  mode,
  onPick,
}: {
  catalog: Catalog;
  mode: 'action' | 'trigger';
  onPick: (choice: StepChoice) => void;
}) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const listId = useId();
  const all = useMemo(() => optionsOf(catalog, mode), [catalog, mode]);
  const shown = useMemo(() => all.filter((o) => matches(o, query)), [all, query]);
  const groups = useMemo(() => {
    const byGroup = new Map<string, Option[]>();
    for (const option of shown) {
      const list = byGroup.get(option.groupId) ?? [];
      list.push(option);
      byGroup.set(option.groupId, list);
    }
    return [...byGroup.values()];
  }, [shown]);
  const current = shown[Math.min(active, shown.length - 1)];

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      const next = (active + step + shown.length) % Math.max(shown.length, 1);
      setActive(next);
      document.getElementById(`${listId}-${shown[next]?.id}`)?.scrollIntoView({ block: 'nearest' });
    } else if (event.key === 'Enter' && current) {
      event.preventDefault();
      onPick(current.choice);
    }
  };

  return (
    <div className="studio-picker">
      <Input
        type="search"
        role="combobox"
        aria-label={mode === 'trigger' ? 'Search triggers' : 'Search actions'}
        aria-expanded="true"
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={current ? `${listId}-${current.id}` : undefined}
        placeholder="Search, e.g. “webhook” or “send”"
        value={query}
        autoFocus
        onChange={(event) => {
          setQuery(event.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
      />
      <div id={listId} role="listbox" aria-label="Steps" className="studio-picker-list">
        {groups.length === 0 ? (
          <p className="muted studio-picker-empty">
            {all.length === 0
              ? mode === 'trigger'
                ? 'No enabled plugin offers a trigger. An admin can enable plugins in Settings › Plugins.'
                : 'No enabled plugin offers actions. An admin can enable plugins in Settings › Plugins.'
              : `Nothing matches “${query}”.`}
          </p>
        ) : (
          groups.map((options) => {
            const first = options[0] as Option;
            return (
              // biome-ignore lint/a11y/useSemanticElements: an ARIA listbox group, not a fieldset
              <div
                key={first.groupId}
                role="group"
                aria-labelledby={`${listId}-g-${first.groupId}`}
                className="studio-picker-group"
              >
                <div id={`${listId}-g-${first.groupId}`} className="studio-picker-group-name">
                  {first.group}
                </div>
                {options.map((option) => (
                  // biome-ignore lint/a11y/useKeyWithClickEvents: keys are handled by the search box
                  <div
                    key={option.id}
                    id={`${listId}-${option.id}`}
                    role="option"
                    tabIndex={-1}
                    aria-selected={option === current}
                    className={`studio-picker-option${option === current ? ' is-active' : ''}`}
                    onMouseEnter={() => setActive(shown.indexOf(option))}
                    onClick={() => onPick(option.choice)}
                  >
                    <StepIcon
                      step={{
                        type: option.choice.kind === 'builtin' ? option.choice.type : 'PLUGIN',
                      }}
                      pluginId={option.pluginId}
                      label={option.group}
                      size={28}
                    />
                    <span>
                      <span className="studio-picker-title">{option.title}</span>
                      <span className="studio-picker-description">{option.description}</span>
                    </span>
                  </div>
                ))}
              </div>
            );
          })
        )}
      </div>
    </div>
  );
}
