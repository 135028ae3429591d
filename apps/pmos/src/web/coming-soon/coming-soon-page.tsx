import { Button, EmptyState } from '@pmos/ui';
import type { ComponentType, SVGProps } from 'react';
import { Link } from 'react-router';
import { ChatIcon } from '../common/icons.js';
import { PageHeader } from '../common/page-header.js';
import { useWorkspace } from '../shell/use-workspace.js';

interface Section {
  title: string;
  description: string;
  icon: ComponentType<SVGProps<SVGSVGElement>>;
  emptyTitle: string;
  emptyDescription: string;
  /** What to do now, while the section is not built yet. */
  next: { label: string; to: (workspaceId: string) => string; permission?: string };
}

const sections = {
  chat: {
    title: 'Chat',
    description: 'Operate your workspace by asking.',
    icon: ChatIcon,
    emptyTitle: 'Chat is coming soon',
    emptyDescription:
      'Ask the operator agent to look things up or act in your connected systems; anything that changes data waits for your approval first. It needs an AI provider integration, which lands before chat does.',
    next: { label: 'Back to the dashboard', to: (id) => `/w/${id}` },
  },
} satisfies Record<string, Section>;

export type ComingSoonSection = keyof typeof sections;

/** An honest page for a product area that is not built yet: what it will do, what to do now. */
export function ComingSoonPage({ section }: { section: ComingSoonSection }) {
  const { workspace, can } = useWorkspace();
  const content: Section = sections[section];
  const Icon = content.icon;
  const showNext = !content.next.permission || can(content.next.permission);
  return (
    <>
      <PageHeader title={content.title} description={content.description} />
      <EmptyState
        icon={<Icon />}
        title={content.emptyTitle}
        description={content.emptyDescription}
        action={
          showNext ? (
            <Button asChild variant="secondary">
              <Link to={content.next.to(workspace.id)}>{content.next.label}</Link>
            </Button>
          ) : undefined
        }
      />
    </>
  );
}
