import { NavLink, Outlet } from 'react-router';
import { PageHeader } from '../common/page-header.js';
import { useWorkspace } from '../shell/use-workspace.js';

export function SettingsLayout() {
  const { workspace, can } = useWorkspace();
  const base = `/w/${workspace.id}/settings`;
  const tabs = [
    { to: base, label: 'General', end: true, show: true },
    { to: `${base}/members`, label: 'Members', end: false, show: can('members.read') },
    { to: `${base}/invites`, label: 'Invites', end: false, show: can('members.manage') },
    { to: `${base}/secrets`, label: 'Secrets', end: false, show: can('connections.read') },
    { to: `${base}/plugins`, label: 'Plugins', end: false, show: can('plugins.read') },
    { to: `${base}/ai`, label: 'AI', end: false, show: can('workspace.read') },
    { to: `${base}/usage`, label: 'Usage', end: false, show: can('workspace.read') },
    { to: `${base}/audit`, label: 'Audit', end: false, show: can('audit.read') },
  ];
  return (
    <>
      <PageHeader title="Settings" description={`Manage ${workspace.name} and who can use it.`} />
      <nav className="tabs" aria-label="Settings sections">
        {tabs
          .filter((tab) => tab.show)
          .map((tab) => (
            <NavLink key={tab.label} to={tab.to} end={tab.end} className="tab">
              {tab.label}
            </NavLink>
          ))}
      </nav>
      <div className="stack-lg">
        <Outlet />
      </div>
    </>
  );
}
