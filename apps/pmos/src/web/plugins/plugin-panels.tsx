import {
  isPanelDefinition,
  type PanelApi,
  type PanelDefinition,
  type PanelProps,
  type PanelSlot,
  type PanelSlotContext,
} from '@pmos/sdk/ui';
import { Alert, Button, Card, CardContent, CardDescription, CardHeader, CardTitle } from '@pmos/ui';
import {
  Component,
  type ComponentType,
  type ReactNode,
  Suspense,
  use,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { PluginRemote } from '../api-types.js';
import { useWorkspace } from '../shell/use-workspace.js';
import { createPanelApi } from './panel-api.js';
import { usePluginRemotes } from './use-plugin-remotes.js';

export interface PluginPanelsProps<S extends PanelSlot> {
  slot: S;
  /** What the slot tells its panels (see `PanelSlotContext` in `@pmos/sdk/ui`). */
  context: PanelSlotContext[S];
  /** Only the panels of this plugin, e.g. under one of its connectors. */
  pluginId?: string;
}

/**
 * Every panel the workspace's enabled plugins show in `slot`, each in its own card with its
 * own loading state and error boundary: a panel that fails to load or crashes says so in its
 * card and leaves the page working. Renders nothing at all when no panel is for this slot.
 */
export function PluginPanels<S extends PanelSlot>({
  slot,
  context,
  pluginId,
}: PluginPanelsProps<S>) {
  const { workspace } = useWorkspace();
  const remotes = usePluginRemotes(workspace.id);
  const api = useMemo(() => createPanelApi(workspace.id), [workspace.id]);
  const where = useMemo(
    () => ({ id: workspace.id, name: workspace.name }),
    [workspace.id, workspace.name],
  );
  // Callers pass `context={{ connectorId }}` inline: keep it the same object while equal, so
  // a panel's effects that depend on it do not run again on every render of the page.
  const stableContext = useShallowStable(context);
  if (!remotes.isSuccess) return null;
  // A panel that names its connector shows under that connector only; others under each.
  const connectorId = 'connectorId' in context ? context.connectorId : undefined;
  const panels = remotes.data
    .filter((remote) => pluginId === undefined || remote.pluginId === pluginId)
    .flatMap((remote) =>
      remote.panels
        .filter(
          (panel) =>
            panel.slot === slot &&
            (panel.connector === undefined ||
              connectorId === undefined ||
              panel.connector === connectorId),
        )
        .map((panel) => ({ remote, expose: panel.expose })),
    );
  if (panels.length === 0) return null;
  return (
    <div className="plugin-panels">
      {panels.map(({ remote, expose }) => (
        <PanelFrame
          key={`${remote.pluginId}@${remote.version}${expose}`}
          remote={remote}
          expose={expose}
          slot={slot}
          context={stableContext}
          workspace={where}
          api={api}
        />
      ))}
    </div>
  );
}

interface FrameProps {
  remote: PluginRemote;
  expose: string;
  slot: PanelSlot;
  context: PanelSlotContext[PanelSlot];
  workspace: { id: string; name: string };
  api: PanelApi;
}

function PanelFrame(props: FrameProps) {
  const { remote, expose } = props;
  // A new attempt mounts a fresh boundary and asks the runtime again.
  const [attempt, setAttempt] = useState(0);
  return (
    <Card className="plugin-panel" data-plugin-id={remote.pluginId} data-panel-expose={expose}>
      <PanelBoundary
        key={attempt}
        fallback={(error) => (
          <PanelFailure
            remote={remote}
            error={error}
            onRetry={() => {
              forgetPanel(remote, expose);
              setAttempt((count) => count + 1);
            }}
          />
        )}
      >
        <Suspense
          fallback={
            <>
              <CardHeader>
                <CardTitle>{remote.displayName} panel</CardTitle>
              </CardHeader>
              <CardContent>
                <p className="muted" role="status">
                  Loading the {remote.displayName} panel…
                </p>
              </CardContent>
            </>
          }
        >
          <LoadedPanel {...props} />
        </Suspense>
      </PanelBoundary>
    </Card>
  );
}

function LoadedPanel({ remote, expose, slot, context, workspace, api }: FrameProps) {
  const definition = use(panelDefinition(remote, expose, slot));
  const Panel = definition.component as ComponentType<PanelProps>;
  return (
    <>
      <CardHeader>
        <CardTitle>{definition.displayName}</CardTitle>
        <CardDescription>
          From the {remote.displayName} plugin, version {remote.version}.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <Panel
          slot={slot}
          workspace={workspace}
          plugin={{ id: remote.pluginId, version: remote.version }}
          context={context}
          api={api}
        />
      </CardContent>
    </>
  );
}

function PanelFailure({
  remote,
  error,
  onRetry,
}: {
  remote: PluginRemote;
  error: unknown;
  onRetry: () => void;
}) {
  return (
    <>
      <CardHeader>
        <CardTitle>{remote.displayName} panel</CardTitle>
      </CardHeader>
      <CardContent className="stack">
        <Alert tone="danger" title={`The ${remote.displayName} panel could not be loaded.`}>
          <p>The rest of PMOS works normally.</p>
          <details className="plugin-panel-details">
            <summary>Details</summary>
            <pre>{describeError(error)}</pre>
          </details>
        </Alert>
        <div>
          <Button variant="secondary" size="sm" onClick={onRetry}>
            Try again
          </Button>
        </div>
      </CardContent>
    </>
  );
}

/**
 * Catches what a panel throws while loading or rendering, for its own card only. React
 * reports the caught error to the console itself, for whoever debugs the plugin.
 */
class PanelBoundary extends Component<
  { fallback: (error: unknown) => ReactNode; children: ReactNode },
  { failed: boolean; error: unknown }
> {
  override state = { failed: false, error: undefined as unknown };

  static getDerivedStateFromError(error: unknown) {
    return { failed: true, error };
  }

  override render() {
    return this.state.failed ? this.props.fallback(this.state.error) : this.props.children;
  }
}

/** One loading promise per panel, so re-renders and remounts reuse the loaded module. */
const definitions = new Map<string, Promise<PanelDefinition>>();
const panelKey = (remote: PluginRemote, expose: string) =>
  `${remote.mfName}|${remote.manifestUrl}|${expose}`;

function panelDefinition(
  remote: PluginRemote,
  expose: string,
  slot: PanelSlot,
): Promise<PanelDefinition> {
  const key = panelKey(remote, expose);
  let loading = definitions.get(key);
  if (!loading) {
    loading = (async () => {
      const { loadExposed } = await import('./federation.js');
      const module = (await loadExposed(remote, expose)) as { default?: unknown };
      const definition = module.default;
      if (!isPanelDefinition(definition)) {
        throw new Error(
          `${remote.mfName} exposes ${expose}, but its default export is not a panel made with definePanel() from @pmos/sdk/ui.`,
        );
      }
      if (definition.slot !== slot) {
        throw new Error(
          `${remote.mfName} declares ${expose} for the slot "${slot}", but the panel is made for "${definition.slot}".`,
        );
      }
      return definition;
    })();
    definitions.set(key, loading);
  }
  return loading;
}

function forgetPanel(remote: PluginRemote, expose: string): void {
  definitions.delete(panelKey(remote, expose));
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

function useShallowStable<T>(value: T): T {
  const stable = useRef(value);
  if (!shallowEqual(stable.current, value)) stable.current = value;
  return stable.current;
}

function shallowEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  return (
    keysA.length === keysB.length &&
    keysA.every((key) =>
      Object.is((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
    )
  );
}
