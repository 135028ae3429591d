import { Alert } from '@pmos/ui';
import { Link } from 'react-router';

/** Chat has no model yet: where to choose one (admins), or whom to ask (everyone else). */
export function ChatSetupNote({
  workspaceId,
  canManage,
}: {
  workspaceId: string;
  canManage: boolean;
}) {
  return (
    <Alert tone="info">
      Chat needs an AI model.{' '}
      {canManage ? (
        <>
          Connect an AI provider in <Link to={`/w/${workspaceId}/integrations`}>Integrations</Link>,
          then choose it in <Link to={`/w/${workspaceId}/settings/ai`}>Settings › AI</Link>.
        </>
      ) : (
        'Ask a workspace admin to choose one in Settings › AI.'
      )}
    </Alert>
  );
}
