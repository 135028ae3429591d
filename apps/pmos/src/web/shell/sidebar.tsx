import type { ComponentType, SVGProps } from 'react';
import { Link, NavLink } from 'react-router';
import type { Me, WorkspaceSummary } from '../api-types.js';
import {
  ChatIcon,
  HomeIcon,
  PlugIcon,
  PmosMark,
  RunsIcon,
  SettingsIcon,
  ShieldIcon,
  ZapIcon,
} from '../common/icons.js';
import { ServerStatus } from './server-status.js';
import { UserMenu } from './user-menu.js';
import { WorkspaceSwitcher } from './workspace-switcher.js';

interface NavItem {
  to: string;
  label: string;
  icon: ComponentType<SVGProps<SVGSVGElement>>;
  end?: boolean;
}

const workspaceNav: NavItem[] = [
  { to: '', label: 'Dashboard', icon: HomeIcon, end: true },
  { to: 'automations', label: 'Automations', icon: ZapIcon },
  { to: 'runs', label: 'Runs', icon: RunsIcon },
  { to: 'integrations', label: 'Integrations', icon: PlugIcon },
  { to: 'chat', label: 'Chat', icon: ChatIcon },
  { to: 'settings', label: 'Settings', icon: SettingsIcon },
];

export function Sidebar({ me, workspace }: { me: Me; workspace: WorkspaceSummary | undefined }) {
  const isPlatformAdmin = me.platformPermissions.includes('platform.manage');
  return (
    <aside className="sidebar">
      <Link to="/" className="sidebar-brand" aria-label="PMOS home">
        <PmosMark size={26} />
        <span>PMOS</span>
      </Link>
      <WorkspaceSwitcher me={me} current={workspace} />
      {workspace ? (
        <nav className="sidebar-nav" aria-label="Workspace">
          <ul>
            {workspaceNav.map((item) => (
              <li key={item.label}>
                <SidebarLink
                  item={{ ...item, to: `/w/${workspace.id}${item.to ? `/${item.to}` : ''}` }}
                />
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      {isPlatformAdmin ? (
        <nav className="sidebar-nav" aria-label="Instance">
          <p className="sidebar-section">Instance</p>
          <ul>
            <li>
              <SidebarLink item={{ to: '/admin', label: 'Admin', icon: ShieldIcon }} />
            </li>
          </ul>
        </nav>
      ) : null}
      <div className="sidebar-bottom">
        <ServerStatus />
        <UserMenu me={me} />
      </div>
    </aside>
  );
}

function SidebarLink({ item }: { item: NavItem }) {
  const Icon = item.icon;
  return (
    <NavLink to={item.to} end={item.end ?? false} className="sidebar-link">
      <Icon />
      <span>{item.label}</span>
    </NavLink>
  );
}
