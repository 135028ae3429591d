import type { z } from 'zod';
import type {
  approvalSchema,
  chatEventSchema,
  chatSettingsSchema,
  conversationDetailSchema,
  conversationListSchema,
  conversationSchema,
  operationListSchema,
  operationSchema,
  turnSchema,
  turnStartedSchema,
} from '../api/chat-schemas.js';
import type {
  flowSchema,
  flowSummarySchema,
  flowVersionDetailSchema,
  flowVersionSchema,
  stepTestResultSchema,
} from '../api/flow-schemas.js';
import type {
  flowLinkSchema,
  importedFlowSchema,
  remoteFlowListSchema,
  syncResultSchema,
} from '../api/flow-sync-schemas.js';
import type {
  adminPluginSchema,
  authDescriptionSchema,
  catalogSchema,
  connectionSchema,
  optionsResultSchema,
  pluginRemoteSchema,
  startedOAuth2Schema,
  startOAuth2BodySchema,
  workspacePluginSchema,
} from '../api/plugin-schemas.js';
import type { runSchema, runSummarySchema, stepRecordSchema } from '../api/run-schemas.js';
import type {
  acceptedInviteSchema,
  apiTokenSchema,
  auditChainReportSchema,
  auditEventSchema,
  createdApiTokenSchema,
  createdInviteSchema,
  instanceSchema,
  invitePreviewSchema,
  inviteSchema,
  limitsSchema,
  memberSchema,
  secretSchema,
  usageSchema,
  workspaceSummarySchema,
} from '../api/schemas.js';
import type {
  remoteToolListSchema,
  setToolMarksBodySchema,
  toolMarkListSchema,
} from '../api/tool-mark-schemas.js';

// Response types the web app reads, inferred from the API's own schemas.
export type { Me, WorkspaceRole } from '../api/schemas.js';
export type { ToolMark, ToolPolicy, ToolRisk } from '../api/tool-mark-schemas.js';
export type WorkspaceSummary = z.infer<typeof workspaceSummarySchema>;
export type Member = z.infer<typeof memberSchema>;
export type Invite = z.infer<typeof inviteSchema>;
export type CreatedInvite = z.infer<typeof createdInviteSchema>;
export type InvitePreview = z.infer<typeof invitePreviewSchema>;
export type ApiToken = z.infer<typeof apiTokenSchema>;
export type CreatedApiToken = z.infer<typeof createdApiTokenSchema>;
export type AcceptedInvite = z.infer<typeof acceptedInviteSchema>;
export type AuditEvent = z.infer<typeof auditEventSchema>;
export type AuditChainReport = z.infer<typeof auditChainReportSchema>;
export type Secret = z.infer<typeof secretSchema>;
export type InstanceInfo = z.infer<typeof instanceSchema>;
export type Usage = z.infer<typeof usageSchema>;
export type LimitUsage = Usage['limits'][number];
export type LimitName = LimitUsage['name'];
export type Limits = z.infer<typeof limitsSchema>;
export type LimitOverride = Limits['overrides'][number];
export type AdminPlugin = z.infer<typeof adminPluginSchema>;
export type WorkspacePlugin = z.infer<typeof workspacePluginSchema>;
export type PluginRemote = z.infer<typeof pluginRemoteSchema>;
export type Catalog = z.infer<typeof catalogSchema>;
export type CatalogConnector = Catalog['connectors'][number];
export type AuthDescription = z.infer<typeof authDescriptionSchema>;
export type Connection = z.infer<typeof connectionSchema>;
export type ConnectionStatus = Connection['status'];
export type StartOAuth2Body = z.input<typeof startOAuth2BodySchema>;
export type StartedOAuth2 = z.infer<typeof startedOAuth2Schema>;
export interface List<T> {
  data: T[];
  next: string | null;
}
export type RunSummary = z.infer<typeof runSummarySchema>;
export type Run = z.infer<typeof runSchema>;
export type StepRecord = z.infer<typeof stepRecordSchema>;
export type RunStatus = Run['status'];
export type FlowSummary = z.infer<typeof flowSummarySchema>;
export type FlowView = z.infer<typeof flowSchema>;
export type FlowVersion = z.infer<typeof flowVersionSchema>;
export type FlowVersionDetail = z.infer<typeof flowVersionDetailSchema>;
export type StepTestResult = z.infer<typeof stepTestResultSchema>;
export type OptionsResult = z.infer<typeof optionsResultSchema>;
export type CatalogAction = CatalogConnector['actions'][number];
export type CatalogTrigger = CatalogConnector['triggers'][number];

export type ChatSettings = z.infer<typeof chatSettingsSchema>;
export type Conversation = z.infer<typeof conversationSchema>;
export type ConversationList = z.infer<typeof conversationListSchema>;
export type ConversationDetail = z.infer<typeof conversationDetailSchema>;
export type ChatTurn = z.infer<typeof turnSchema>;
export type ChatEvent = z.infer<typeof chatEventSchema>;
export type Approval = z.infer<typeof approvalSchema>;
export type Operation = z.infer<typeof operationSchema>;
export type OperationList = z.infer<typeof operationListSchema>;
export type TurnStarted = z.infer<typeof turnStartedSchema>;
export type FlowLink = z.infer<typeof flowLinkSchema>;
export type RemoteFlowList = z.infer<typeof remoteFlowListSchema>;
export type RemoteFlow = RemoteFlowList['data'][number];
export type ImportedFlow = z.infer<typeof importedFlowSchema>;
export type SyncResult = z.infer<typeof syncResultSchema>;
export type RemoteToolList = z.infer<typeof remoteToolListSchema>;
export type RemoteTool = RemoteToolList['data'][number];
export type SetToolMarksBody = z.input<typeof setToolMarksBodySchema>;
export type ToolMarkList = z.infer<typeof toolMarkListSchema>;
