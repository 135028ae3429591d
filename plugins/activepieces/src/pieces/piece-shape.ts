/**
 * What the adapter reads of a piece: its runtime shape, duck-typed. Each published piece pins
 * its own `@activepieces/pieces-framework` (0.5 … 0.32 here), so no single framework's types
 * describe them all; these are the fields every version shares.
 */
export interface ApProperty {
  type: string;
  displayName?: string;
  description?: string;
  required?: boolean;
  defaultValue?: unknown;
  // Dropdowns, dynamic properties
  refreshers?: string[];
  refreshOnSearch?: boolean;
  options?: unknown;
  props?: unknown;
  // Arrays
  properties?: Record<string, ApProperty>;
  // Markdown
  value?: string;
  variant?: string;
  // Custom
  code?: string;
}

/** A piece auth (`PieceAuth.*`): a property with auth-only fields. */
export interface ApAuth extends ApProperty {
  authUrl?: string;
  tokenUrl?: string;
  scope?: string[];
  pkce?: boolean;
  authorizationMethod?: string;
  grantType?: string;
  username?: { displayName?: string; description?: string };
  password?: { displayName?: string; description?: string };
  validate?: (params: {
    auth: unknown;
    server?: unknown;
  }) => Promise<{ valid: boolean; error?: string }>;
}

export interface ApAction {
  name: string;
  displayName: string;
  description?: string;
  props: Record<string, ApProperty>;
  requireAuth?: boolean;
  run(ctx: unknown): Promise<unknown>;
  test?(ctx: unknown): Promise<unknown>;
}

export interface ApTrigger extends Omit<ApAction, 'run'> {
  type: string;
  sampleData?: unknown;
  /**
   * Framework 0.2x on: `SIMULATION` when the piece wrote no `test` and Activepieces waits for
   * a real delivery instead (webhook triggers); `createTrigger` then fills in a stand-in
   * `test` that only returns `[sampleData]`.
   */
  testStrategy?: string;
  onEnable?(ctx: unknown): Promise<void>;
  onDisable?(ctx: unknown): Promise<void>;
  run(ctx: unknown): Promise<unknown[]>;
}

export interface ApPiece {
  displayName: string;
  description?: string;
  auth?: ApAuth | ApAuth[];
  minimumSupportedRelease?: string;
  maximumSupportedRelease?: string;
  getContextInfo?: () => { version?: string } | undefined;
  actions?: (() => Record<string, ApAction>) | unknown;
  triggers?: (() => Record<string, ApTrigger>) | unknown;
  _actions?: Record<string, ApAction>;
  _triggers?: Record<string, ApTrigger>;
}

/** Whether a module export is a piece (`createPiece(...)` of any framework version). */
export function isPiece(value: unknown): value is ApPiece {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.displayName === 'string' &&
    (typeof v.actions === 'function' || typeof v._actions === 'object') &&
    (typeof v.triggers === 'function' || typeof v._triggers === 'object')
  );
}

export function actionsOf(piece: ApPiece): ApAction[] {
  const map =
    typeof piece.actions === 'function'
      ? (piece.actions as () => Record<string, ApAction>)()
      : piece._actions;
  return Object.values(map ?? {});
}

export function triggersOf(piece: ApPiece): ApTrigger[] {
  const map =
    typeof piece.triggers === 'function'
      ? (piece.triggers as () => Record<string, ApTrigger>)()
      : piece._triggers;
  return Object.values(map ?? {});
}

/** The context version the piece was built for: undefined (V0, oldest), "1" or "2". */
export function contextVersionOf(piece: ApPiece): string | undefined {
  return piece.getContextInfo?.()?.version;
}
